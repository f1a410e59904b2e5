import type * as Y from 'yjs';
import { SUGGEST_DELETE, SUGGEST_INSERT, type SuggestionAttrs } from '../../shared/suggestions.js';

/**
 * Reading suggestion marks in a section's Yjs document. y-tiptap stores a ProseMirror mark as a
 * formatting attribute of a Y.XmlText, keyed by the mark's name (or `name--hash` for marks that may
 * overlap themselves, which ours do not, but an older client might write), with the mark's attrs as value.
 */

export type SuggestionKind = 'insert' | 'delete';

/** One run of a Y.XmlText with the same formatting, as `toDelta()` gives it. */
export interface TextSegment {
  insert: string;
  attributes?: Record<string, unknown>;
}

const MARK_KEY = /^(suggestionInsert|suggestionDelete)(?:--.*)?$/;

export function isSuggestionAttrs(value: unknown): value is SuggestionAttrs {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && v.id !== '' && typeof v.by === 'string' && typeof v.author === 'string';
}

/** The suggestion a run of text carries, if any: insert-marked (proposed) or delete-marked (official). */
export function suggestionOfSegment(
  attributes: Record<string, unknown> | undefined,
): { kind: SuggestionKind; attrs: SuggestionAttrs; key: string } | null {
  if (!attributes) return null;
  for (const [key, value] of Object.entries(attributes)) {
    const match = MARK_KEY.exec(key);
    if (!match || !isSuggestionAttrs(value)) continue;
    return { kind: match[1] === SUGGEST_INSERT ? 'insert' : 'delete', attrs: value, key };
  }
  return null;
}

/** Formatting keys of a run that are suggestion marks (to clear them). */
export function suggestionKeys(attributes: Record<string, unknown> | undefined): string[] {
  return Object.keys(attributes ?? {}).filter((key) => MARK_KEY.test(key));
}

/** A run's formatting without suggestion marks: what newly inserted words inherit (bold, italic). */
export function plainFormatting(attributes: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes ?? {})) if (!MARK_KEY.test(key)) out[key] = value;
  return out;
}

/** The text runs of a Y.XmlText; embeds (none in our schema) are left out. */
export function segmentsOf(text: Y.XmlText): TextSegment[] {
  const delta = text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[];
  return delta.filter((d): d is TextSegment => typeof d.insert === 'string');
}

/** The `suggestion` attribute of a proposed numbered paragraph (27bis), if it is one. */
export function paragraphSuggestion(el: Y.XmlElement): SuggestionAttrs | null {
  if (el.nodeName !== 'numberedParagraph') return null;
  const value: unknown = el.getAttribute('suggestion');
  return isSuggestionAttrs(value) ? value : null;
}

/** A paragraph's number as cited: `27` for 27, and for `27bis` the paragraph it follows, 27. */
export function paragraphNumber(el: Y.XmlElement): number | null {
  const n = Number.parseInt(String(el.getAttribute('number') ?? ''), 10);
  return Number.isNaN(n) ? null : n;
}

export const INSERT_KEY = SUGGEST_INSERT;
export const DELETE_KEY = SUGGEST_DELETE;
