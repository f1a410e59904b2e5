import * as Y from 'yjs';

/**
 * True when `update` holds nothing `doc` lacks: every struct is already there and every deletion already
 * made. Such an update (a reconnecting client's sync reply, a forward delivered twice) is not judged or
 * stored again. `Y.diffUpdate` drops known structs but keeps every deletion, so those are looked up.
 */
export function addsNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(doc)));
  if (structs.length > 0) return false;
  if (ds.clients.size === 0) return true;
  const known = Y.snapshot(doc).ds;
  for (const [client, items] of ds.clients) {
    for (const item of items) {
      for (let clock = item.clock; clock < item.clock + item.len; clock++) {
        if (!Y.isDeleted(known, Y.createID(client, clock))) return false;
      }
    }
  }
  return true;
}
