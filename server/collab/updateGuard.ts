import * as Y from 'yjs';
import { SECTION_FRAGMENT } from '../../shared/limits.js';

/** `empty`: the update carries nothing (a sync reply from a client with nothing new) and needs no work. */
export type GuardResult = { ok: true; empty: boolean } | { ok: false; reason: string };

/**
 * Checks a client's Yjs update before anything applies it: it must decode, and every struct whose
 * parent is a top-level type must belong to the section's fragment. y-protocols' own readers apply
 * first and log errors after; we refuse instead, so a bad update is never applied, stored or relayed.
 */
export function checkSectionUpdate(update: Uint8Array): GuardResult {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return { ok: false, reason: 'The update could not be decoded.' };
  }
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const parent = struct.parent;
    // A string parent names a top-level type; an ID parent points inside the document and is checked
    // through the item it points to, which was itself admitted under the same rule.
    if (typeof parent === 'string' && parent !== SECTION_FRAGMENT) {
      return { ok: false, reason: `The update touches "${parent}", which is not part of this section.` };
    }
    if (struct.content instanceof Y.ContentDoc) {
      return { ok: false, reason: 'Sub-documents are not allowed in a section.' };
    }
  }
  return { ok: true, empty: decoded.structs.length === 0 && decoded.ds.clients.size === 0 };
}
