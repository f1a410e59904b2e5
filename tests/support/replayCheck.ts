import { expect } from 'vitest';
import * as Y from 'yjs';
import { ownerKeyOf } from '../../shared/suggestions.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { SERVER_USER, writersOf } from '../../server/collab/clientBindings.js';
import { type Author, SERVER_AUTHOR, SuggestionGuard } from '../../server/collab/suggestionGuard.js';
import { canEditDirectly } from '../../server/policies/index.js';
import type { Store } from '../../server/storage/Store.js';

/**
 * The check every multi-process test ends with: the section's stored log, replayed in one process
 * through the guard, accepts every row (each judged as the user its clientIDs are bound to); no
 * owner-numbered row appears twice; and every client's document equals the replay's.
 *
 * A row that writes no new structs (deletions only) names no clientID: it is accepted when one of the
 * section's writers (or the server) may make it — the log does not record who sent it.
 */
export async function replayCheck(
  store: Store,
  documentId: string,
  sectionId: string,
  clients: readonly Y.Doc[],
): Promise<Y.Doc> {
  const rows = await store.ownership.log(documentId, sectionId, 0);
  const numbered = rows.flatMap((r) => (r.headSeq === null ? [] : [r.headSeq]));
  expect(new Set(numbered).size, 'an owner-numbered row appears twice').toBe(numbered.length);

  const bindings = new Map(
    (await store.loadClientBindings(documentId, sectionId)).map((b) => [b.clientId, b.userId] as const),
  );
  const authors = new Map<string, Author>([[SERVER_USER, SERVER_AUTHOR]]);
  for (const userId of new Set(bindings.values())) {
    if (userId === SERVER_USER) continue;
    const user = await store.findUserById(userId);
    if (user) authors.set(userId, { userId, ownerKey: ownerKeyOf(user), direct: canEditDirectly(user) });
  }

  const doc = new Y.Doc();
  const guard = new SuggestionGuard(doc);
  for (const row of rows) {
    const writers = writersOf(row.update, doc);
    // An unbound clientID wrote before bindings existed: the imported text, the server's.
    const named = [...new Set(writers.map((w) => bindings.get(w) ?? SERVER_USER))];
    const candidates = named.length > 0 ? named.map((u) => authors.get(u) ?? SERVER_AUTHOR) : [...authors.values()];
    let accepted = false;
    for (const author of candidates) {
      if (accepted) break;
      accepted = guard.judge(row.update, author).ok;
    }
    expect(accepted, `stored row ${row.seq} (owner's #${row.headSeq}) is refused by the guard on replay`).toBe(true);
    Y.applyUpdate(doc, row.update);
  }
  const expected = doc.getXmlFragment(SECTION_FRAGMENT).toJSON();
  for (const [i, client] of clients.entries()) {
    expect(client.getXmlFragment(SECTION_FRAGMENT).toJSON(), `client ${i} differs from the replay`).toBe(expected);
  }
  return doc;
}
