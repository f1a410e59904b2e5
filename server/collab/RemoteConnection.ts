import { canEditSection } from '../policies/index.js';
import { authorOf } from './author.js';
import type { UserRecord } from '../storage/Store.js';
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
  private closed = false;

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
    return this.closed;
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.sendClose(code, reason);
  }
}
