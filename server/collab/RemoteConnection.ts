import { canEditSection } from '../policies/index.js';
import type { UserRecord } from '../storage/Store.js';
import { authorOf } from './author.js';
import type { UpdateSender } from './CollabConnection.js';
import type { Author } from './suggestionGuard.js';

/**
 * On the owner of a section: a client connected to another process, whose messages that process
 * forwarded. Judged like a local connection, with the user the other process authenticated; closing it
 * asks that process to close the client's socket with the same code and sentence.
 */
export class RemoteConnection implements UpdateSender {
  readonly userId: string;
  readonly author: Author;
  readonly canEdit: boolean;
  private closedWith: { code: number; reason: string } | null = null;
  private closeSentAt = 0;

  constructor(
    readonly id: string,
    readonly user: UserRecord,
    private readonly sendClose: (code: number, reason: string) => void,
  ) {
    this.userId = user.id;
    this.canEdit = canEditSection(user);
    this.author = authorOf(user);
  }

  get isClosed(): boolean {
    return this.closedWith !== null;
  }

  close(code: number, reason: string): void {
    if (this.closedWith) return;
    this.closedWith = { code, reason };
    this.closeSentAt = performance.now();
    this.sendClose(code, reason);
  }

  /**
   * The close travels over the fan-out, which keeps nothing: lost (Redis cut or restarted), the client
   * stays connected over there and everything it sends is dropped here, its words never stored and never
   * refused. So each message it still sends repeats the close, at most once a second, until one arrives
   * (its process's periodic sync step 1 makes it send at least every 10 s).
   */
  closeAgain(): void {
    if (!this.closedWith || performance.now() - this.closeSentAt < CLOSE_REPEAT_MS) return;
    this.closeSentAt = performance.now();
    this.sendClose(this.closedWith.code, this.closedWith.reason);
  }
}

const CLOSE_REPEAT_MS = 1000;
