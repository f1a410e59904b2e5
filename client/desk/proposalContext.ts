import { SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';
import type { PMNode } from '../../shared/schema/index.js';

/**
 * An amendment in its sentence: the official words before and after it, the words it strikes and those it
 * proposes. Spaces stay where the text has them: a proposal " et prioritaire" keeps its leading space in
 * `proposed`, and the dialog shows it as part of the sentence, never inside the field.
 */
export interface ProposalContext {
  before: string;
  original: string;
  proposed: string;
  after: string;
}

type Piece = { kind: 'ctx' | 'old' | 'new'; text: string };

interface Mark {
  type: string;
  attrs?: { id?: unknown } | null;
}

function piecesOf(node: PMNode, id: string, out: Piece[]): void {
  if (node.type === 'text') {
    const marks = ((node as { marks?: Mark[] }).marks ?? []) as Mark[];
    const insert = marks.find((m) => m.type === SUGGEST_INSERT);
    const del = marks.find((m) => m.type === SUGGEST_DELETE);
    const text = (node as { text?: string }).text ?? '';
    if (insert && String(insert.attrs?.id ?? '') === id) out.push({ kind: 'new', text });
    else if (del && String(del.attrs?.id ?? '') === id) out.push({ kind: 'old', text });
    // Another pending insertion is not official text: the sentence, once decided, will not hold it.
    else if (!insert) out.push({ kind: 'ctx', text });
    return;
  }
  const children = node.content ?? [];
  children.forEach((child, i) => {
    piecesOf(child, id, out);
    // Blocks inside a paragraph (sub-paragraphs, list items) read as separated words.
    if (child.type !== 'text' && i < children.length - 1) out.push({ kind: 'ctx', text: ' ' });
  });
}

/** The paragraph node (numbered) holding the amendment's marks, searched depth first. */
function paragraphHolding(node: PMNode, id: string): PMNode | null {
  if (node.type === 'numberedParagraph') {
    const pieces: Piece[] = [];
    piecesOf(node, id, pieces);
    return pieces.some((p) => p.kind !== 'ctx') ? node : null;
  }
  for (const child of node.content ?? []) {
    const found = paragraphHolding(child, id);
    if (found) return found;
  }
  return null;
}

/** Cuts the context to the sentence around the amendment (or 240 characters each side, at a word). */
function sentenceBefore(text: string): string {
  const ends = [...text.matchAll(/[.!?;](?=\s)/g)];
  const last = ends.at(-1);
  let out = last?.index !== undefined ? text.slice(last.index + 1).replace(/^\s+/, '') : text;
  if (out.length > 240) out = `…${out.slice(out.length - 240).replace(/^\S*\s/, '')}`;
  return out;
}

function sentenceAfter(text: string): string {
  const end = /[.!?;](?=\s|$)/.exec(text);
  let out = end ? text.slice(0, end.index + 1) : text;
  if (out.length > 240) out = `${out.slice(0, 240).replace(/\s\S*$/, '')}…`;
  return out;
}

/** The amendment's sentence in a section's content, from its marks; null when its marks are not there. */
export function contextInContent(content: PMNode, id: string): ProposalContext | null {
  const paragraph = paragraphHolding(content, id);
  if (!paragraph) return null;
  const pieces: Piece[] = [];
  piecesOf(paragraph, id, pieces);
  const first = pieces.findIndex((p) => p.kind !== 'ctx');
  let last = -1;
  pieces.forEach((p, i) => {
    if (p.kind !== 'ctx') last = i;
  });
  if (first < 0) return null;
  const join = (list: Piece[]) => list.map((p) => p.text).join('');
  const middle = pieces.slice(first, last + 1);
  return {
    before: sentenceBefore(join(pieces.slice(0, first))),
    original: middle
      .filter((p) => p.kind !== 'new')
      .map((p) => p.text)
      .join(''),
    proposed: middle
      .filter((p) => p.kind !== 'old')
      .map((p) => p.text)
      .join(''),
    after: sentenceAfter(join(pieces.slice(last + 1))),
  };
}

/** Without marks (a sub-amendment, older data): the original words found once in the official paragraph. */
export function contextInText(official: string, original: string, proposed: string): ProposalContext | null {
  if (!original) return null;
  const at = official.indexOf(original);
  if (at < 0 || official.indexOf(original, at + 1) >= 0) return null;
  return {
    before: sentenceBefore(official.slice(0, at)),
    original,
    proposed,
    after: sentenceAfter(official.slice(at + original.length)),
  };
}

/**
 * The words to send for an acceptance with modifications: the field's words with the proposal's boundary
 * spaces put back (a proposal " et prioritaire" accepted as "et hautement prioritaire" must not glue to the
 * word before). The server applies the same rule; sending the boundary keeps the two in agreement.
 */
export function placedWords(proposed: string, typed: string): string {
  const words = typed.trim().replace(/\s{2,}/g, ' ');
  if (!words) return '';
  return `${/^\s/.test(proposed) ? ' ' : ''}${words}${/\s$/.test(proposed) ? ' ' : ''}`;
}
