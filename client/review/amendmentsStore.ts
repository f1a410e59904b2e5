import { api } from '../api/client';
import { RecordStore } from './recordStore';
import { type AmendmentRecord, AmendmentSchema, listOf, oneOf } from './schemas';

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
export class AmendmentsStore extends RecordStore<AmendmentRecord> {
  constructor(documentId: string) {
    super(documentId, byParagraphThenRef);
  }

  async load(): Promise<void> {
    try {
      this.replaceAll(listOf(AmendmentSchema, 'amendments', await api.amendments(this.documentId)));
    } catch {
      this.failed();
    }
  }

  /** The payload of `amendment:changed`, or an HTTP answer carrying one amendment. */
  applyRaw(payload: unknown): AmendmentRecord | null {
    const amendment = oneOf(AmendmentSchema, 'amendment', payload);
    if (amendment) this.upsert(amendment);
    return amendment;
  }
}
