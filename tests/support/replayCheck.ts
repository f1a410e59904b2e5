import { expect } from 'vitest';
import * as Y from 'yjs';
import { ownerKeyOf } from '../../shared/suggestions.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { SERVER_USER, writersOf } from '../../server/collab/clientBindings.js';
import { type Author, SERVER_AUTHOR, SuggestionGuard } from '../../server/collab/suggestionGuard.js';
import { canEditDirectly } from '../../server/policies/index.js';
import type { SectionFence } from '../../server/storage/sectionFence.js';
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

/**
 * What the fence leaves in a section's log, checked on the rows themselves: once owners numbered rows,
 * every later row is numbered (a write that bypassed the fence would store an unnumbered row), and the
 * numbers run 1, 2, 3… in the order the rows were stored — each commit advanced exactly the head it
 * found. Each row names the epoch of the owner that wrote it: once rows carry epochs (rows stored
 * before migration 0013 have none), every later row does, and epochs never go down along the log — a
 * commit of a stale epoch after a take-over would show as a lower epoch after a higher one. With
 * `takenOver` (the head read once another process had taken the section over), no row numbered past
 * it carries an epoch older than the take-over's: the old owner committed nothing after it.
 * Each of `words` is stored in exactly one row: typed once, committed once, whoever stored it and
 * however often the client resent it.
 */
export async function expectFencedLog(
  store: Store,
  documentId: string,
  sectionId: string,
  words: readonly string[] = [],
  takenOver?: SectionFence,
): Promise<void> {
  const rows = await store.ownership.log(documentId, sectionId, 0);
  const first = rows.findIndex((r) => r.headSeq !== null);
  expect(first, 'no owner-numbered row at all').toBeGreaterThanOrEqual(0);
  const numbered = rows.slice(first);
  expect(
    numbered.filter((r) => r.headSeq === null).map((r) => r.seq),
    'rows stored without an owner number after owners began',
  ).toEqual([]);
  const numbers = numbered.map((r) => r.headSeq);
  const start = numbers[0] as number;
  expect(numbers, 'owner numbers out of order, repeated or with a gap').toEqual(numbers.map((_, i) => start + i));
  const head = await store.ownership.head(documentId, sectionId);
  expect(head?.seq, 'the head is not at the last row').toBe(numbers.at(-1));

  const epochsFrom = numbered.findIndex((r) => r.headEpoch !== null);
  const withEpochs = epochsFrom < 0 ? [] : numbered.slice(epochsFrom);
  expect(
    withEpochs.filter((r) => r.headEpoch === null).map((r) => r.seq),
    'rows stored without an epoch after epochs began',
  ).toEqual([]);
  const lower = withEpochs.filter((r, i) => i > 0 && (r.headEpoch ?? 0) < (withEpochs[i - 1]?.headEpoch ?? 0));
  expect(
    lower.map((r) => `#${r.headSeq} at epoch ${r.headEpoch}`),
    'a row of an older epoch stored after a newer one',
  ).toEqual([]);
  expect(head === null || withEpochs.every((r) => (r.headEpoch ?? 0) <= head.epoch), 'a row past the head').toBe(true);
  if (takenOver) {
    const stale = numbered.filter((r) => (r.headSeq ?? 0) > takenOver.seq && (r.headEpoch ?? 0) < takenOver.epoch);
    expect(
      stale.map((r) => `#${r.headSeq} at epoch ${r.headEpoch}`),
      `rows committed with an epoch older than ${takenOver.epoch} after the take-over`,
    ).toEqual([]);
  }
  const decoder = new TextDecoder();
  const texts = rows.map((r) => decoder.decode(r.update));
  const notOnce = words.filter((w) => texts.filter((t) => t.includes(w)).length !== 1);
  expect(notOnce, 'words stored in no row or in several rows').toEqual([]);
}
