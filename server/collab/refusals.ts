import { CloseCode } from '../../shared/closeCodes.js';
import { parseOwnerKey } from '../../shared/ownerKey.js';
import { stateName } from '../../shared/states.js';
import type { CollabRefusalCode, CollabRefusedPayload } from '../../shared/events.js';
import { type Refusal, closeCodeOf } from '../policies/refusal.js';
import type { GuardRefusal } from './gatekeeper.js';

/** What a refused connection needs to offer: who it is, and a way to be closed. */
export interface RefusableConnection {
  readonly userId: string;
  close(code: number, reason: string): void;
}

/** Refusals a user may have in a window before their updates are turned away unread. */
export const MAX_REFUSALS = 5;
export const REFUSAL_WINDOW_MS = 60_000;

/** Close reasons a delegate can act on: at most 120 bytes (a websocket close frame holds 123). */
export const REFUSAL_REASONS: Record<GuardRefusal['kind'] | 'rate', string> = {
  official: 'Your change would alter the official text; only suggestions are allowed. The section was reloaded.',
  others: "Your change would alter another group's amendment, which only they may edit. The section was reloaded.",
  identity: 'Your change names another author or group on an amendment. The section was reloaded.',
  ownership: 'Your change uses an amendment that is not yours to extend here. The section was reloaded.',
  schema: 'Your change holds content a document may not contain. The section was reloaded.',
  items:
    'Your change would re-create official text or others’ words instead of keeping them. The section was reloaded.',
  overlaps: 'These words are already under another amendment; co-sponsor or support it. The section was reloaded.',
  client: "Your change was sent under another user's editing session. The section was reloaded.",
  dependencies: 'Your change builds on edits this server has not received; reconnecting sends them again.',
  structure: "Your change touches something outside this section's text. The section was reloaded.",
  deadline: 'The deadline for new amendments has passed; your new amendment was not kept. The section was reloaded.',
  rate: 'Too many of your changes were refused in the last minute. Wait a minute, then reload the section.',
};

const MAX_REASON_BYTES = 120;

/** How a refusal reads to people: `A-3 (Government of France)`. */
export function ownerLabel(ownerKey: string): string {
  const owner = parseOwnerKey(ownerKey);
  if (owner.kind === 'government') return `Government of ${stateName(owner.memberState, 'en')}`;
  if (owner.kind === 'region') return `the ${owner.region} regional group`;
  if (owner.kind === 'secretariat') return 'the Office';
  return ownerKey.charAt(0).toUpperCase() + ownerKey.slice(1);
}

/** Cuts a sentence to what a close frame holds, on a character boundary. */
function fitReason(sentence: string): string {
  if (Buffer.byteLength(sentence) <= MAX_REASON_BYTES) return sentence;
  let cut = sentence;
  while (Buffer.byteLength(`${cut}…`) > MAX_REASON_BYTES) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** The sentence for a refusal, naming the amendment it collided with when there is one. */
export function refusalReason(refusal: GuardRefusal | { kind: 'rate' }): string {
  const params = 'params' in refusal ? refusal.params : undefined;
  if (refusal.kind === 'overlaps' && params?.ref && params.ownerKey) {
    return fitReason(
      `These words are already under ${params.ref} (${ownerLabel(params.ownerKey)}); co-sponsor or support it.`,
    );
  }
  if (refusal.kind === 'ownership' && params?.ref && params.ownerKey) {
    return fitReason(`${params.ref} is an amendment of ${ownerLabel(params.ownerKey)}; only they may extend it here.`);
  }
  return REFUSAL_REASONS[refusal.kind];
}

/** The guard's verdict as the one refusal type: its code fixes the close code (4409), its reason the sentence. */
export function asRefusal(refusal: GuardRefusal | { kind: 'rate' }): Refusal {
  const params = 'params' in refusal && refusal.params ? refusal.params : {};
  return { code: 'update_refused', reason: refusalReason(refusal), params: { kind: refusal.kind, ...params } };
}

/** Where a refusal happened, and who is told beside the close (their live-event sockets). */
export interface RefusalNotice {
  documentId: string;
  sectionId: string;
}

export type RefusalListener = (userId: string, payload: CollabRefusedPayload) => void;

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
    private readonly listener: RefusalListener | null = null,
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

  refuse(
    connection: RefusableConnection,
    refusal: GuardRefusal | { kind: 'rate'; detail: string },
    where: string,
    notice?: RefusalNotice,
  ): void {
    const times = this.recent.get(connection.userId) ?? [];
    if (refusal.kind !== 'rate') times.push(this.now());
    this.recent.set(connection.userId, times);
    const count = this.count(connection.userId);
    const shown: GuardRefusal | { kind: 'rate'; detail: string } =
      count > MAX_REFUSALS ? { kind: 'rate', detail: '' } : refusal;
    this.log(
      `${where}: refused an update from user ${connection.userId} (${refusal.kind}: ${refusal.detail}); ` +
        `${count} refusal(s) for this user in the last minute`,
    );
    const refused = asRefusal(shown);
    const reason = refused.reason;
    // What it builds on is missing here (lost between processes, or an update the store could not keep —
    // an open connection's earlier refusal closes it, so never that): the client's copy is sound. 4503
    // makes it reconnect with that copy and send again what the server lacks, judged afresh; after a
    // 44xx the stock y-websocket client gives up, and this client would drop the words.
    const resend = shown.kind === 'dependencies';
    if (notice && this.listener && !resend) {
      const code: CollabRefusalCode = shown.kind;
      const params = 'params' in shown && shown.params ? shown.params : {};
      try {
        this.listener(connection.userId, { ...notice, code, message: reason, params });
      } catch {
        // Telling the user is a courtesy: the close below is what protects the section.
      }
    }
    connection.close(resend ? CloseCode.ServerShutdown : closeCodeOf(refused.code), reason);
  }
}
