import type { Amendment } from '../../shared/amendments.js';
import { diffWords, tokenize } from '../../shared/diff.js';
import type { CompareParagraph, CompareSegment, ParagraphText } from '../../shared/versions.js';

/**
 * Comparing two states of a document paragraph by paragraph, words inserted and deleted marked, and
 * each change credited to the accepted amendments that explain it: accepted between the two instants,
 * on that paragraph, with proposed (or, for deletions, original) words that cover the changed words.
 */

const key = (p: ParagraphText) => `${p.sectionId}\u0000${p.number}`;
const wordsOf = (text: string) => tokenize(text.toLocaleLowerCase()).filter((t) => /[\p{L}\p{N}]/u.test(t));

/** When the amendment was last accepted, or null. */
function acceptedAt(a: Amendment): number | null {
  for (let i = a.history.length - 1; i >= 0; i--) {
    const event = a.history[i];
    if (event?.status === 'accepted') return event.at;
  }
  return null;
}

function covers(source: string, changed: string): boolean {
  const words = wordsOf(changed);
  if (words.length === 0) return source.includes(changed.trim()) && changed.trim() !== '';
  const available = new Set(wordsOf(source));
  return words.every((w) => available.has(w));
}

function credit(segment: CompareSegment, candidates: Amendment[]): CompareSegment {
  if (segment.type === 'equal') return segment;
  const found = candidates.filter((a) =>
    segment.type === 'insert'
      ? covers(a.modifiedText ?? a.proposedText, segment.text)
      : covers(a.originalText, segment.text),
  );
  if (found.length === 0) return segment;
  return { ...segment, amendments: found.map((a) => ({ id: a.id, ref: a.ref, ownerKey: a.ownerKey })) };
}

/** The paragraphs of both sides, in the order of `to`, with paragraphs only in `from` where they stood. */
function aligned(from: ParagraphText[], to: ParagraphText[]): [ParagraphText | null, ParagraphText | null][] {
  const inTo = new Map(to.map((p) => [key(p), p]));
  const inFrom = new Map(from.map((p) => [key(p), p]));
  const pairs: [ParagraphText | null, ParagraphText | null][] = [];
  let i = 0;
  for (const p of to) {
    const match = inFrom.get(key(p));
    if (match) {
      // Paragraphs of `from` before this one that `to` no longer has were removed here.
      for (; i < from.length && key(from[i] as ParagraphText) !== key(p); i++) {
        const gone = from[i] as ParagraphText;
        if (!inTo.has(key(gone))) pairs.push([gone, null]);
      }
      i++;
      pairs.push([match, p]);
    } else pairs.push([null, p]);
  }
  for (; i < from.length; i++) {
    const gone = from[i] as ParagraphText;
    if (!inTo.has(key(gone))) pairs.push([gone, null]);
  }
  return pairs;
}

/**
 * The comparison of two lists of paragraph texts. `amendments`: the document's amendments; those
 * accepted in (since, until] are credited with the changes they cover.
 */
export function compareParagraphs(
  from: ParagraphText[],
  to: ParagraphText[],
  amendments: Amendment[],
  since: number,
  until: number,
): CompareParagraph[] {
  const [lo, hi] = since <= until ? [since, until] : [until, since];
  const accepted = amendments.filter((a) => {
    const at = acceptedAt(a);
    return a.status === 'accepted' && a.parentId === null && at !== null && at > lo && at <= hi;
  });
  return aligned(from, to).map(([a, b]) => {
    const p = (b ?? a) as ParagraphText;
    const n = Number.parseInt(p.number, 10);
    const candidates = accepted.filter((x) => x.sectionId === p.sectionId && x.paragraphs.includes(n));
    const before = a?.text ?? '';
    const after = b?.text ?? '';
    const segments = diffWords(before, after).map((s) => credit(s, candidates));
    const change = !a ? 'added' : !b ? 'removed' : before === after ? 'unchanged' : 'changed';
    return { number: p.number, sectionId: p.sectionId, change, segments };
  });
}
