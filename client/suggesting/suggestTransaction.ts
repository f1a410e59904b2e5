import type { Mark, MarkType, Node as PMNode, Slice } from '@tiptap/pm/model';
import { type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { ReplaceStep } from '@tiptap/pm/transform';
import { SUGGEST_DELETE, SUGGEST_INSERT, type SuggestionAttrs, newSuggestionId } from '../../shared/suggestions';

/** Who is suggesting: the owner key (group or State) and the user id, as the server knows them. */
export interface SuggestIdentity {
  by: string;
  author: string;
}

/** Meta key set on transactions this module produced, so they are not transformed twice. */
export const SUGGESTED = 'concord-suggested';

interface Marks {
  insert: MarkType;
  delete: MarkType;
}

function marksOf(state: EditorState): Marks {
  const insert = state.schema.marks[SUGGEST_INSERT];
  const del = state.schema.marks[SUGGEST_DELETE];
  if (!insert || !del) throw new Error('The schema has no suggestion marks.');
  return { insert, delete: del };
}

function suggestionOf(node: PMNode | null | undefined, marks: Marks): { kind: 'insert' | 'delete'; attrs: SuggestionAttrs } | null {
  if (!node) return null;
  for (const mark of node.marks) {
    if (mark.type === marks.insert) return { kind: 'insert', attrs: mark.attrs as SuggestionAttrs };
    if (mark.type === marks.delete) return { kind: 'delete', attrs: mark.attrs as SuggestionAttrs };
  }
  return null;
}

/** The proposed paragraph (27bis) that contains `pos`, if any, with its suggestion attrs. */
function suggestedParagraphAt(doc: PMNode, pos: number): SuggestionAttrs | null {
  const $pos = doc.resolve(pos);
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth);
    if (node.type.name === 'numberedParagraph') return (node.attrs.suggestion as SuggestionAttrs | null) ?? null;
  }
  return null;
}

/** Position just after the numbered paragraph containing `pos`, and that paragraph, if any. */
function numberedParagraphAround(doc: PMNode, pos: number): { node: PMNode; after: number } | null {
  const $pos = doc.resolve(pos);
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth);
    if (node.type.name === 'numberedParagraph') return { node, after: $pos.after(depth) };
  }
  return null;
}

/** `27` → `27bis`, `27bis` → `27ter`, … as the Office numbers added paragraphs. */
export function nextParagraphNumber(number: string): string {
  const suffixes = ['bis', 'ter', 'quater', 'quinquies', 'sexies', 'septies', 'octies', 'novies', 'decies'];
  const match = /^(\d+)([a-z]*)$/.exec(number);
  if (!match) return `${number}bis`;
  const [, base, suffix] = match;
  const index = suffix ? suffixes.indexOf(suffix) : -1;
  return `${base}${suffixes[index + 1] ?? `-${index + 2}`}`;
}

/**
 * The id to use for an edit at `from`…`to` of `doc`: that of the user's own (same owner) suggestion
 * directly before or after it, so that consecutive edits grow one amendment; otherwise `fresh`.
 */
function idNear(doc: PMNode, from: number, to: number, marks: Marks, me: SuggestIdentity, fresh: string): string {
  const before = suggestionOf(doc.resolve(from).nodeBefore, marks);
  if (before && before.attrs.by === me.by) return before.attrs.id;
  const after = suggestionOf(doc.resolve(to).nodeAfter, marks);
  if (after && after.attrs.by === me.by) return after.attrs.id;
  return fresh;
}

/** Moves an insertion point out of a deletion or of someone else's insertion, to its end. */
function insertionPoint(doc: PMNode, pos: number, marks: Marks, me: SuggestIdentity): number {
  let at = pos;
  for (;;) {
    const $at = doc.resolve(at);
    const before = suggestionOf($at.nodeBefore, marks);
    const after = suggestionOf($at.nodeAfter, marks);
    const inside =
      after &&
      before &&
      after.attrs.id === before.attrs.id &&
      (after.kind === 'delete' || after.attrs.by !== me.by);
    const deletionAhead = after?.kind === 'delete';
    if (!inside && !deletionAhead) return at;
    at += $at.nodeAfter?.nodeSize ?? 0;
    if (!$at.nodeAfter) return at;
  }
}

/** The inline content of a slice as plain text, blocks joined by spaces (a multi-paragraph paste). */
function sliceText(slice: Slice): string {
  const parts: string[] = [];
  slice.content.descendants((node) => {
    if (node.isText) parts.push(node.text ?? '');
    else if (node.isBlock && parts.length > 0 && !parts[parts.length - 1]?.endsWith(' ')) parts.push(' ');
    return true;
  });
  return parts.join('');
}

function isSplit(slice: Slice): boolean {
  // Enter: a slice of two empty, open textblocks.
  return slice.content.childCount === 2 && slice.openStart > 0 && slice.content.textBetween(0, slice.content.size) === '';
}

/**
 * Turns a user's transaction into a suggestion: deleted official words are marked deleted instead of
 * removed, inserted words are marked inserted, the user's own pending insertions are really deleted,
 * Enter proposes a new paragraph (27bis) after the current one, and anything else — formatting,
 * structure, others' amendments — is left alone. Returns null when nothing is left to do.
 *
 * The server checks the result independently; this only makes an honest client produce it.
 */
export function suggestTransaction(tr: Transaction, state: EditorState, me: SuggestIdentity): Transaction | null {
  const marks = marksOf(state);
  const out = state.tr;
  out.setMeta(SUGGESTED, true);
  for (const key of ['paste', 'uiEvent', 'addToHistory', 'composition']) {
    const value = tr.getMeta(key);
    if (value !== undefined) out.setMeta(key, value);
  }
  let cursor: number | null = null;
  let changed = false;

  tr.steps.forEach((step, index) => {
    if (!(step instanceof ReplaceStep)) return; // formatting and structure are the Office's
    // Back to the original document: through the inverse of every earlier step, latest first.
    const back = (pos: number, assoc: number) =>
      tr.steps.slice(0, index).reduceRight((p, earlier) => earlier.getMap().invert().map(p, assoc), pos);
    const { from: stepFrom, to: stepTo, slice } = step as unknown as { from: number; to: number; slice: Slice };
    const a = out.mapping.map(back(stepFrom, -1), -1);
    const b = out.mapping.map(back(stepTo, 1), 1);
    const fresh = newSuggestionId();

    // Typing into a paragraph the user proposed is plain writing: the whole paragraph is the proposal.
    const ownParagraph = suggestedParagraphAt(out.doc, a);
    if (ownParagraph && suggestedParagraphAt(out.doc, b) === ownParagraph) {
      if (ownParagraph.by !== me.by) return;
      out.replace(a, b, slice);
      cursor = out.mapping.map(b);
      changed = true;
      return;
    }

    const id = idNear(out.doc, a, b, marks, me, fresh);
    const attrs: SuggestionAttrs = { id, by: me.by, author: me.author };

    // 1. Deletion: own insertions go, official words get a deletion mark, the rest stays.
    if (b > a) {
      const remove: [number, number][] = [];
      const strike: [number, number][] = [];
      out.doc.nodesBetween(a, b, (node, pos) => {
        if (!node.isInline) return true;
        const start = Math.max(pos, a);
        const end = Math.min(pos + node.nodeSize, b);
        const suggestion = suggestionOf(node, marks);
        if (suggestion?.kind === 'insert' && suggestion.attrs.by === me.by) remove.push([start, end]);
        else if (!suggestion && node.isText) strike.push([start, end]);
        return false;
      });
      for (const [start, end] of strike) out.addMark(start, end, marks.delete.create(attrs));
      for (const [start, end] of remove.reverse()) out.delete(out.mapping.map(start), out.mapping.map(end));
      changed ||= strike.length > 0 || remove.length > 0;
      const backspace = state.selection.empty && state.selection.head === stepTo;
      cursor = backspace || slice.size > 0 ? out.mapping.map(a, -1) : out.mapping.map(b, 1);
    }

    // 2. Insertion.
    if (slice.size === 0) return;
    const end = out.mapping.map(b, 1);
    if (isSplit(slice)) {
      const around = numberedParagraphAround(out.doc, end);
      if (!around) return;
      const paragraphType = state.schema.nodes.numberedParagraph;
      const textType = state.schema.nodes.paragraph;
      if (!paragraphType || !textType) return;
      const number = nextParagraphNumber(String(around.node.attrs.number ?? ''));
      const proposed = paragraphType.create(
        { number, suggestion: { id: fresh, by: me.by, author: me.author } },
        textType.create(),
      );
      out.insert(around.after, proposed);
      cursor = around.after + 2;
      changed = true;
      return;
    }
    const text = sliceText(slice);
    if (!text) return;
    const at = insertionPoint(out.doc, end, marks, me);
    const inherited: Mark[] = out.doc
      .resolve(at)
      .marks()
      .filter((m) => m.type !== marks.insert && m.type !== marks.delete);
    out.insert(at, state.schema.text(text, [...inherited, marks.insert.create(attrs)]));
    cursor = at + text.length;
    changed = true;
  });

  if (!changed) return null;
  if (cursor !== null) out.setSelection(TextSelection.near(out.doc.resolve(Math.min(cursor, out.doc.content.size))));
  return out.scrollIntoView();
}
