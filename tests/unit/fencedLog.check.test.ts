import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SectionFence } from '../../server/storage/sectionFence.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import { expectFencedLog } from '../support/replayCheck.js';

/**
 * The fault tests' check of the fenced log fails on what it is there to catch: a row of a stale epoch.
 * The rows are made by the store, then one is rewritten by hand, as a write around the fence would.
 */

const [D, S] = ['doc', 'part-1'];

describe('expectFencedLog', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'concord-fenced-log-'));
    store = new SqliteStore(path.join(dir, 'concord.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A wrote rows #1 and #2 at epoch 1, B took over at #2 (epoch 2) and wrote #3. */
  async function twoOwners(): Promise<SectionFence> {
    const a = await store.ownership.takeOver(D, S, 'A', -1);
    if (!a.ok) throw new Error('not taken');
    const h1 = await store.ownership.append(D, S, a.fence, new Uint8Array([1]));
    await store.ownership.append(D, S, h1, new Uint8Array([2]));
    const b = await store.ownership.takeOver(D, S, 'B', 60_000);
    if (!b.ok) throw new Error('not taken');
    await store.ownership.append(D, S, b.fence, new Uint8Array([3]));
    return b.fence;
  }

  function rewrite(...statements: string[]): void {
    const raw = new Database(path.join(dir, 'concord.sqlite'));
    try {
      for (const statement of statements) raw.prepare(statement).run();
    } finally {
      raw.close();
    }
  }

  it('passes the log the fence wrote', async () => {
    const takenOver = await twoOwners();
    expect(takenOver).toEqual({ epoch: 2, seq: 2 });
    await expectFencedLog(store, D, S, [], takenOver);
  });

  it('fails on a row of an older epoch after a newer one, numbered in order as it may be', async () => {
    await twoOwners();
    // A, stale, commits #4 around the fence: the numbers still run 1…4 and the head is at the last row.
    rewrite(
      `INSERT INTO section_updates (document_id, section_id, update_data, head_seq, head_epoch) VALUES ('${D}', '${S}', x'04', 4, 1)`,
      `UPDATE section_head SET seq = 4 WHERE document_id = '${D}' AND section_id = '${S}'`,
    );
    await expect(expectFencedLog(store, D, S)).rejects.toThrow('a row of an older epoch stored after a newer one');
  });

  it('fails on a row without an epoch once epochs began', async () => {
    await twoOwners();
    rewrite('UPDATE section_updates SET head_epoch = NULL WHERE head_seq = 3');
    await expect(expectFencedLog(store, D, S)).rejects.toThrow('rows stored without an epoch after epochs began');
  });

  it('fails on a row of the old owner numbered past the take-over', async () => {
    await twoOwners();
    // As if B had taken over at #1: A's #2 would have been committed after the take-over.
    await expect(expectFencedLog(store, D, S, [], { epoch: 2, seq: 1 })).rejects.toThrow(
      'rows committed with an epoch older than 2 after the take-over',
    );
  });
});
