import { CloseCode } from '../../shared/closeCodes.js';
import type { Refusal } from './gatekeeper.js';

/** What a refused connection needs to offer: who it is, and a way to be closed. */
export interface RefusableConnection {
  readonly userId: string;
  close(code: number, reason: string): void;
}

/** Refusals a user may have in a window before their updates are turned away unread. */
export const MAX_REFUSALS = 5;
export const REFUSAL_WINDOW_MS = 60_000;

/** Close reasons a delegate can act on: at most 120 bytes (a websocket close frame holds 123). */
export const REFUSAL_REASONS: Record<Refusal['kind'] | 'rate', string> = {
  official: 'Your change would alter the official text; only suggestions are allowed. The section was reloaded.',
  others: "Your change would alter another group's amendment, which only they may edit. The section was reloaded.",
  identity: 'Your change names another author or group on an amendment. The section was reloaded.',
  client: "Your change was sent under another user's editing session. The section was reloaded.",
  dependencies: 'Your change builds on edits the server refused or never received. The section was reloaded.',
  structure: "Your change touches something outside this section's text. The section was reloaded.",
  deadline: 'The deadline for new amendments has passed; your new amendment was not kept. The section was reloaded.',
  rate: 'Too many of your changes were refused in the last minute. Wait a minute, then reload the section.',
};

/**
 * Counts refused updates per user. Each refusal closes the connection (the client must resync with a
 * fresh document), and a refusal costs the server a shadow rebuild (5–30 ms), so a user refused more
 * than MAX_REFUSALS times in a window has further updates turned away unjudged until it passes.
 */
export class Refusals {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly log: (message: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  private count(userId: string): number {
    const since = this.now() - REFUSAL_WINDOW_MS;
    const times = (this.recent.get(userId) ?? []).filter((t) => t > since);
    if (times.length === 0) this.recent.delete(userId);
    else this.recent.set(userId, times);
    return times.length;
  }

  /** True while the user is over the limit: close without judging. */
  blocked(userId: string): boolean {
    return this.recent.has(userId) && this.count(userId) > MAX_REFUSALS;
  }

  refuse(connection: RefusableConnection, refusal: Refusal | { kind: 'rate'; detail: string }, where: string): void {
    const times = this.recent.get(connection.userId) ?? [];
    if (refusal.kind !== 'rate') times.push(this.now());
    this.recent.set(connection.userId, times);
    const count = this.count(connection.userId);
    const kind = count > MAX_REFUSALS ? 'rate' : refusal.kind;
    this.log(
      `${where}: refused an update from user ${connection.userId} (${refusal.kind}: ${refusal.detail}); ` +
        `${count} refusal(s) for this user in the last minute`,
    );
    connection.close(CloseCode.UpdateRefused, REFUSAL_REASONS[kind]);
  }
}
