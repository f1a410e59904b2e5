import * as Y from 'yjs';
import { decodeAnchorPosition, paragraphOfPosition, plainTextOf, rootOfPosition } from '../../shared/anchors.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { ThreadAnchor } from '../../shared/threads.js';
import { badRequest } from '../errors.js';

/** What the server learns from a valid anchor in the section's live document. */
export interface CheckedAnchor {
  anchor: ThreadAnchor;
  /** The numbered paragraph the range starts in, if any. */
  paragraph: number | null;
}

/**
 * Checks a text anchor against the section's live document: both ends must be Yjs relative positions
 * (base64 of `Y.encodeRelativePosition`) of characters of this section that the server already has; a
 * client anchoring words it has just typed must let its update reach the server first. When both ends lie
 * in one text, the quote is taken from the text itself rather than from the client.
 */
export function checkAnchor(doc: Y.Doc, anchor: ThreadAnchor): CheckedAnchor {
  const fragment = doc.getXmlFragment(SECTION_FRAGMENT);
  const ends = (['from', 'to'] as const).map((end) => {
    const rpos = decodeAnchorPosition(anchor[end]);
    if (!rpos) throw badRequest(`anchor.${end}: not an encoded Yjs relative position (base64).`);
    if (rpos.tname !== null && rpos.tname !== SECTION_FRAGMENT) {
      throw badRequest(`anchor.${end}: the position is not in this section's text.`);
    }
    const position = Y.createAbsolutePositionFromRelativePosition(rpos, doc);
    if (!position || rootOfPosition(position) !== fragment) {
      throw badRequest(`anchor.${end}: the position is not in this section's text.`);
    }
    return position;
  });
  const [from, to] = ends as [Y.AbsolutePosition, Y.AbsolutePosition];
  let quote = anchor.quote;
  if (from.type === to.type && from.type instanceof Y.XmlText) {
    if (to.index <= from.index) throw badRequest('anchor: the range is empty; select some words first.');
    quote = plainTextOf(from.type).slice(from.index, to.index).slice(0, 2000);
  }
  return { anchor: { from: anchor.from, to: anchor.to, quote }, paragraph: paragraphOfPosition(from) };
}
