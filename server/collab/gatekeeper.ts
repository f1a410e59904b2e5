import type { Clock } from '../clock.js';
import type * as Y from 'yjs';
import type { Amendment } from '../../shared/amendments.js';
import type { CollabRefusedPayload } from '../../shared/events.js';
import type { Store } from '../storage/Store.js';
import { ClientBindings, SERVER_USER, writersOf } from './clientBindings.js';
import { type Author, SERVER_AUTHOR, SuggestionGuard, type Verdict } from './suggestionGuard.js';
import { type OwnershipRefusal, SuggestionOwners } from './suggestionOwners.js';

/**
 * A refused update, with what the sender is told about the amendment it collided with: the guard's
 * verdict, which server/collab/refusals.ts turns into the `update_refused` refusal of
 * server/policies/refusal.ts (its close code, its sentence).
 */
export type GuardRefusal = Extract<Verdict, { ok: false }> & { params?: CollabRefusedPayload['params'] };

/**
 * A hook for amendments tabled or changed by typing: `ids` are the sender's suggestion ids that the
 * update creates (new to the section, or a withdrawn one brought back) or whose words it changes, and
 * that are still in the text afterwards (deleting all of an amendment's words withdraws it and is not
 * listed). Resolves with the reason to refuse them (a passed deadline), or null. Wired in app.ts to
 * server/rounds/deadlines.ts, so the collaboration server knows nothing of rounds.
 */
export type NewSuggestionCheck = (documentId: string, author: Author, ids: readonly string[]) => Promise<string | null>;

/** New clientIDs one update may write under: a client that reconnected a few times, not a forge. */
export const MAX_NEW_CLIENTS_PER_UPDATE = 16;
/** New amendments one update may start. */
export const MAX_NEW_AMENDMENTS_PER_UPDATE = 50;

const FOREIGN_CLIENT: GuardRefusal = {
  ok: false,
  kind: 'client',
  detail: "the update writes with another user's clientID",
};

/**
 * Everything a writer's update must pass before a room stores it: its clientIDs are the sender's, and
 * the suggestion rules hold. Keeps the room's real document out of it: only the shadow sees the update
 * before the verdict.
 */
export class Gatekeeper {
  private readonly guard: SuggestionGuard;
  private readonly bindings: ClientBindings;
  private readonly owners: SuggestionOwners;

  constructor(
    private readonly doc: Y.Doc,
    private readonly store: Store,
    private readonly documentId: string,
    sectionId: string,
    private readonly checkNew?: NewSuggestionCheck,
    clock?: Clock,
  ) {
    this.guard = new SuggestionGuard(doc);
    this.bindings = new ClientBindings(store, documentId, sectionId);
    this.owners = new SuggestionOwners(store, documentId, sectionId, clock);
  }

  /** Call once the room's document is loaded. */
  load(): Promise<void> {
    return this.bindings.load(this.doc);
  }

  /** Judges an update from `author`; when it resolves ok, the caller must store and apply it next. */
  async admit(update: Uint8Array, author: Author): Promise<Verdict> {
    let writers: number[];
    try {
      writers = writersOf(update, this.doc);
    } catch {
      return { ok: false, kind: 'structure', detail: 'the update could not be decoded' };
    }
    // A browser writes under one clientID (a new one after a reload); thousands in one update would
    // grow the section's state vector, and every later sync, for good.
    const fresh = writers.filter((clientId) => this.bindings.ownerOf(clientId) === undefined);
    if (fresh.length > MAX_NEW_CLIENTS_PER_UPDATE) {
      return { ok: false, kind: 'structure', detail: `the update writes under ${fresh.length} new clientIDs` };
    }
    for (const clientId of writers) {
      const owner = this.bindings.ownerOf(clientId);
      if (owner !== undefined && owner !== author.userId) return FOREIGN_CLIENT;
    }
    const verdict = this.guard.judge(update, author);
    if (!verdict.ok) return this.named(verdict);
    // An honest update starts one amendment (a paste, Enter), or a few at most (an undo bringing back a
    // deleted stretch): thousands in one message would flood the records and stall the section.
    if (this.guard.newIds.length > MAX_NEW_AMENDMENTS_PER_UPDATE) {
      this.guard.invalidate();
      return {
        ok: false,
        kind: 'structure',
        detail: `the update starts ${this.guard.newIds.length} amendments at once`,
      };
    }
    const owned = await this.owners.check(this.guard.touchedIds, author);
    if ('detail' in owned) {
      this.guard.invalidate();
      return this.ownershipRefusal(owned);
    }
    const tabled = [...new Set([...this.guard.newIds, ...this.guard.amendedIds])];
    if (tabled.length > 0 && this.checkNew) {
      // The shadow already holds the update: forget it if the amendments are refused.
      const refusal = await this.checkNew(this.documentId, author, tabled);
      if (refusal) {
        this.guard.invalidate();
        return { ok: false, kind: 'deadline', detail: refusal };
      }
    }
    for (const clientId of writers) {
      // Another process may have bound it since we last looked: the store has the final word.
      if ((await this.bindings.bind(clientId, author.userId)) !== author.userId) {
        this.guard.invalidate();
        return FOREIGN_CLIENT;
      }
    }
    const taken = await this.owners.bind(owned.unbound, author);
    if (taken) {
      this.guard.invalidate();
      return this.ownershipRefusal(taken);
    }
    return verdict;
  }

  /**
   * Judges a change the server itself makes (a decision, an amendment by form): it may change anything
   * but must leave a valid document. Refused: the caller must not store it.
   */
  admitServer(update: Uint8Array): Verdict {
    this.owners.forget();
    return this.guard.judge(update, SERVER_AUTHOR);
  }

  /** A change that reached the real document without judgement (a peer process's). */
  absorb(update: Uint8Array): void {
    // Records may have been decided meanwhile: look them up again.
    this.owners.forget();
    this.guard.absorb(update);
  }

  /** Names the amendment a refusal collided with (its reference and owner), for the sentence and the client. */
  private async named(verdict: Extract<Verdict, { ok: false }>): Promise<GuardRefusal> {
    if (!verdict.amendmentId) return verdict;
    const record = await this.store.amendments.get(verdict.amendmentId).catch(() => null);
    return this.withRecord(verdict, verdict.amendmentId, record);
  }

  private ownershipRefusal(owned: OwnershipRefusal): GuardRefusal {
    const refusal: GuardRefusal = {
      ok: false,
      kind: 'ownership',
      detail: owned.detail,
      amendmentId: owned.amendmentId,
    };
    return this.withRecord(refusal, owned.amendmentId, owned.record);
  }

  private withRecord(refusal: GuardRefusal, amendmentId: string, record: Amendment | null): GuardRefusal {
    if (!record || record.documentId !== this.documentId) {
      // No record yet (typed a moment ago): the owner the words carry is all there is to name.
      return { ...refusal, params: { amendmentId, ...(refusal.ownerKey ? { ownerKey: refusal.ownerKey } : {}) } };
    }
    return { ...refusal, params: { amendmentId, ref: record.ref, ownerKey: record.ownerKey } };
  }

  /** An admitted update did not reach the real document after all: the shadow is ahead of it. */
  invalidate(): void {
    this.guard.invalidate();
  }

  async bindServer(clientId: number): Promise<void> {
    if ((await this.bindings.bind(clientId, SERVER_USER)) !== SERVER_USER) {
      throw new Error(`clientID ${clientId} is already bound to a user`);
    }
  }
}
