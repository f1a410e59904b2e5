import { type Clock, systemClock } from '../clock.js';
import type { Amendment } from '../../shared/amendments.js';
import type { Store } from '../storage/Store.js';
import { sameOwner } from '../../shared/ownerKey.js';
import { type Author, type TouchedId, speaksAs } from './suggestionGuard.js';

/** Why an id may not carry the sender's words, with the amendment it names when there is a record. */
export interface OwnershipRefusal {
  detail: string;
  amendmentId: string;
  record: Amendment | null;
}

/**
 * Who may write under which suggestion id in one section. The mark's own `by` proves nothing beyond
 * being a key the sender speaks for (the guard checks that): an id is bound to its owner key, document and section the first time it is typed (before a record exists), and
 * the record, once written, must be that owner's, in this section, and still proposed.
 *
 * Verified ids are cached per room, so typing inside one's own suggestion costs no store call; the
 * cache is dropped whenever the server or another process changes the section (a decision may have
 * closed a record since).
 */
export class SuggestionOwners {
  /** id → owner key, for ids this room verified since the last server change. */
  private readonly verified = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly documentId: string,
    private readonly sectionId: string,
    private readonly clock: Clock = systemClock,
  ) {}

  forget(): void {
    this.verified.clear();
  }

  /**
   * Checks ids the sender's update wrote, each under the owner key it carries (one the guard found the
   * sender speaks for: their own or a regional group's); resolves with a refusal, or with the ids to bind
   * once the update is admitted.
   */
  async check(ids: readonly TouchedId[], author: Author): Promise<OwnershipRefusal | { unbound: TouchedId[] }> {
    const unbound: TouchedId[] = [];
    for (const touched of ids) {
      const { id, ownerKey } = touched;
      // The guard only lists keys the sender speaks for; checked again here, where ownership is decided.
      if (!speaksAs(author, ownerKey))
        return { detail: `not a speaker for ${ownerKey}`, amendmentId: id, record: null };
      if (this.verified.get(id) === ownerKey) continue;
      const [binding, record] = await Promise.all([this.store.findSuggestionOwner(id), this.store.amendments.get(id)]);
      if (binding) {
        if (!sameOwner(binding.ownerKey, ownerKey))
          return { detail: `id bound to ${binding.ownerKey}`, amendmentId: id, record };
        if (binding.documentId !== this.documentId || binding.sectionId !== this.sectionId) {
          return { detail: `id bound to section ${binding.documentId}/${binding.sectionId}`, amendmentId: id, record };
        }
      }
      if (record) {
        const problem = await this.recordProblem(record, ownerKey);
        if (problem) return { detail: problem, amendmentId: id, record };
      }
      if (!binding) unbound.push(touched);
      else this.verified.set(id, ownerKey);
    }
    return { unbound };
  }

  /** Binds ids first typed by `author`; resolves with a refusal if another process bound one first. */
  async bind(ids: readonly TouchedId[], author: Author): Promise<OwnershipRefusal | null> {
    for (const { id, ownerKey } of ids) {
      const bound = await this.store.bindSuggestion({
        id,
        documentId: this.documentId,
        sectionId: this.sectionId,
        ownerKey,
        userId: author.userId,
        createdAt: this.clock.now(),
      });
      if (
        !sameOwner(bound.ownerKey, ownerKey) ||
        bound.sectionId !== this.sectionId ||
        bound.documentId !== this.documentId
      ) {
        return { detail: `id bound meanwhile to ${bound.ownerKey}`, amendmentId: id, record: null };
      }
      this.verified.set(id, ownerKey);
    }
    return null;
  }

  private async recordProblem(record: Amendment, ownerKey: string): Promise<string | null> {
    if (record.documentId !== this.documentId || record.sectionId !== this.sectionId) {
      return `amendment of section ${record.documentId}/${record.sectionId}`;
    }
    if (!sameOwner(record.ownerKey, ownerKey)) return `amendment of ${record.ownerKey}`;
    if (record.parentId !== null) return 'a sub-amendment, which lives outside the text';
    if (record.status === 'proposed') return null;
    if (record.status === 'withdrawn' && (await this.revivable(record))) return null;
    return `amendment ${record.status}`;
  }

  /**
   * A record withdrawn because its own group deleted all its words (in the text) comes back when they
   * undo that deletion; one withdrawn by decision (the command, with its trace) stays closed.
   */
  private async revivable(record: Amendment): Promise<boolean> {
    const last = record.history.at(-1);
    if (last?.status !== 'withdrawn') return false;
    // Withdrawn in the text (its words deleted, or made a no-op): typing may bring it back.
    if (last.note === 'typed' || last.note === 'no change') return true;
    return last.note === undefined && (await this.store.amendments.getTrace(record.id)) === null;
  }
}
