import { fromBase64, toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';
import type { ThreadAnchor } from './threads.js';

/**
 * Text-range anchors of comment threads, independent of ProseMirror: each end is a Yjs relative
 * position, encoded with `Y.encodeRelativePosition` and then base64 (lib0's, so it runs in Node and in
 * browsers). A relative position points at a character, not at an offset, so the range follows the text
 * while others type before, inside or after it, and survives a reload of the document.
 *
 * The start points at the first character of the range (association 0) and the end at its last
 * (association -1): text typed inside the range widens it, text typed just before or just after does not.
 */

/** `live`: some of the anchored text is still there. `deleted`: it is gone ("on deleted text"). */
export type AnchorState = 'live' | 'deleted';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Encodes the position at `index` of `type` (a Y.XmlText usually). */
export function encodeAnchorPosition<T>(type: Y.AbstractType<T>, index: number, assoc = 0): string {
  return toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(type, index, assoc)));
}

/**
 * The anchor of the range [from, to) of a text, with the words it quotes. Throws when the range is empty
 * or outside the text: an anchor must hold at least one character.
 */
export function createTextAnchor(text: Y.XmlText, from: number, to: number): ThreadAnchor {
  if (!(from >= 0 && to > from && to <= text.length)) {
    throw new RangeError(`A text anchor needs 0 <= from < to <= ${text.length}; got [${from}, ${to}).`);
  }
  return {
    from: encodeAnchorPosition(text, from, 0),
    to: encodeAnchorPosition(text, to, -1),
    quote: plainTextOf(text).slice(from, to),
  };
}

/**
 * Decodes an encoded end of an anchor; null for anything that is not exactly the base64 of an encoded
 * relative position (so that garbage is refused, not half-understood).
 */
export function decodeAnchorPosition(encoded: string): Y.RelativePosition | null {
  if (encoded.length === 0 || encoded.length > 400 || !BASE64.test(encoded)) return null;
  try {
    const bytes = fromBase64(encoded);
    const rpos = Y.decodeRelativePosition(bytes);
    if (rpos.item === null && rpos.type === null && rpos.tname === null) return null;
    // A round trip must give the same bytes: trailing or truncated data is not an anchor.
    const again = Y.encodeRelativePosition(rpos);
    if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) return null;
    return rpos;
  } catch {
    return null;
  }
}

/** True when the character a relative position points at was deleted (or was never in this doc). */
function pointsAtDeleted(doc: Y.Doc, rpos: Y.RelativePosition): boolean {
  const id = rpos.item;
  if (id === null) return false;
  const store = doc.store;
  if (Y.getState(store, id.client) <= id.clock) return true;
  let struct = Y.getItem(store, id);
  // An undo restores deleted text as new items; follow them like Yjs does.
  while (struct instanceof Y.Item && struct.deleted && struct.redone !== null) {
    const next = struct.redone;
    if (Y.getState(store, next.client) <= next.clock) break;
    struct = Y.getItem(store, next);
  }
  return !(struct instanceof Y.Item) || struct.deleted;
}

/**
 * Resolves one encoded end against a document: the type and index it stands at now, or null when it
 * cannot be decoded, is unknown to this document, or the character it points at was deleted.
 */
export function resolveAnchorPosition(doc: Y.Doc, encoded: string): Y.AbsolutePosition | null {
  const rpos = decodeAnchorPosition(encoded);
  if (!rpos || pointsAtDeleted(doc, rpos)) return null;
  return Y.createAbsolutePositionFromRelativePosition(rpos, doc);
}

/** Where an anchor stands now. Deleted anchors still resolve: the thread never vanishes. */
export interface ResolvedAnchor {
  state: AnchorState;
  /** Where the range starts and ends now; for deleted text, where it used to be (null if unknown). */
  from: Y.AbsolutePosition | null;
  to: Y.AbsolutePosition | null;
  /** The anchored text as it reads now, when both ends are in the same text; '' once deleted. */
  text: string | null;
}

/**
 * Resolves a [from, to) anchor against a document. `deleted` when both ends were deleted or the range
 * collapsed to nothing; positions of deleted ends fall back to where the text was, so the client can
 * still place the thread ("on deleted text").
 */
export function resolveAnchor(doc: Y.Doc, anchor: Pick<ThreadAnchor, 'from' | 'to'>): ResolvedAnchor {
  const fromRel = decodeAnchorPosition(anchor.from);
  const toRel = decodeAnchorPosition(anchor.to);
  const from = fromRel ? Y.createAbsolutePositionFromRelativePosition(fromRel, doc) : null;
  const to = toRel ? Y.createAbsolutePositionFromRelativePosition(toRel, doc) : null;
  const fromDeleted = !fromRel || pointsAtDeleted(doc, fromRel);
  const toDeleted = !toRel || pointsAtDeleted(doc, toRel);
  const sameType = from !== null && to !== null && from.type === to.type;
  const collapsed = sameType && to.index <= from.index;
  const state: AnchorState = (fromDeleted && toDeleted) || collapsed ? 'deleted' : 'live';
  let text: string | null = null;
  if (state === 'deleted') text = '';
  else if (sameType && from.type instanceof Y.XmlText) text = plainTextOf(from.type).slice(from.index, to.index);
  return { state, from, to, text };
}

/** Whether the anchored text is still there. */
export function anchorState(doc: Y.Doc, anchor: Pick<ThreadAnchor, 'from' | 'to'>): AnchorState {
  return resolveAnchor(doc, anchor).state;
}

/**
 * The numbered paragraph an anchor's start lies in (the `number` attribute of the closest enclosing
 * `numberedParagraph`), or null.
 */
export function paragraphOfPosition(position: Y.AbsolutePosition): number | null {
  let type: Y.AbstractType<unknown> | null = position.type;
  while (type) {
    if (type instanceof Y.XmlElement && type.nodeName === 'numberedParagraph') {
      const n = Number.parseInt(String(type.getAttribute('number') ?? ''), 10);
      return Number.isNaN(n) ? null : n;
    }
    const parent: Y.AbstractType<unknown> | null = type._item ? (type._item.parent as Y.AbstractType<unknown>) : null;
    type = parent;
  }
  return null;
}

/** The top-level type a position lies in, e.g. a section's `default` fragment. */
export function rootOfPosition(position: Y.AbsolutePosition): Y.AbstractType<unknown> {
  let type: Y.AbstractType<unknown> = position.type;
  while (type._item) type = type._item.parent as Y.AbstractType<unknown>;
  return type;
}

/** The characters of a text, without formatting; embeds count as one character each (as in Yjs). */
export function plainTextOf(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as { insert: unknown }[]) {
    out += typeof op.insert === 'string' ? op.insert : '\uFFFC';
  }
  return out;
}
