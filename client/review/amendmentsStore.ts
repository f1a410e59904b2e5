import type { AmendmentView } from '../../shared/amendments.js';
import { api } from '../api/client';
import { RecordStore } from './recordStore';

export type AmendmentRecord = AmendmentView;

/** Reference order: A-2 before A-10. */
function refNumber(ref: string): number {
  const n = Number.parseInt(ref.replace(/^\D+/, ''), 10);
  return Number.isNaN(n) ? Number.MAX_SAFE_INTEGER : n;
}

export function byParagraphThenRef(a: AmendmentRecord, b: AmendmentRecord): number {
  const pa = a.paragraphs[0] ?? Number.MAX_SAFE_INTEGER;
  const pb = b.paragraphs[0] ?? Number.MAX_SAFE_INTEGER;
  return pa - pb || refNumber(a.ref) - refNumber(b.ref) || a.createdAt - b.createdAt;
}

/** The open document's amendments: GET once, then every `amendment:changed` event. */
/** Broadcasts of one amendment within this window (typing in the text sends many) cost one refetch. */
const REFETCH_AFTER_MS = 250;

export class AmendmentsStore extends RecordStore<AmendmentRecord> {
  private readonly refetching = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(documentId: string) {
    super(documentId, byParagraphThenRef);
  }

  async load(): Promise<void> {
    try {
      this.replaceAll(await api.amendments(this.documentId));
    } catch {
      this.failed();
    }
  }

  /** An HTTP answer: the amendment with the caller's abilities on it. */
  apply(amendment: AmendmentRecord): AmendmentRecord {
    this.upsert(amendment);
    return amendment;
  }

  /**
   * A broadcast (`amendment:changed`): the same for every reader, so without abilities. It is shown at
   * once, then asked again for this reader's abilities, which the change may have altered.
   */
  applyEvent(amendment: AmendmentRecord): void {
    const known = this.getSnapshot().byId.get(amendment.id);
    this.upsert(known?.abilities ? { ...amendment, abilities: known.abilities, reasons: known.reasons } : amendment);
    const pending = this.refetching.get(amendment.id);
    if (pending) clearTimeout(pending);
    this.refetching.set(
      amendment.id,
      setTimeout(() => {
        this.refetching.delete(amendment.id);
        api
          .amendment(amendment.id)
          .then((fresh) => this.upsert(fresh))
          .catch(() => {});
      }, REFETCH_AFTER_MS),
    );
  }

  /** Stops the refetches still waiting (the document was closed). */
  dispose(): void {
    for (const timer of this.refetching.values()) clearTimeout(timer);
    this.refetching.clear();
  }
}
