import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { importDocument } from '../../server/commands/importDocument.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { freePort, loginTo, spawnServer } from '../support/childServer.js';
import { buildDocument } from '../support/fixtures.js';
import { buildUser } from '../support/testServer.js';

const ROOM = 'gb-999-test-1/part-1';
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});


/** A y-websocket update message inserting a plain (official) paragraph: a delegate may not send it. */
function forgedParagraph(words: string): Uint8Array {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(words)]);
  doc.getXmlFragment(SECTION_FRAGMENT).insert(0, [paragraph]);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // messageSync
  encoding.writeVarUint(encoder, 2); // update
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc));
  return encoding.toUint8Array(encoder);
}

describe('a refused connection', () => {
  it('is told why (4409 and the sentence), even when its client keeps sending right behind the refused update', async () => {
    // The server runs as its own process so that the client's next messages really are in flight when
    // the refusal lands. Dropping the socket while they sat unread made the kernel reset the connection
    // and throw the queued close frame away: the browser saw 1006 and no reason (a CI failure).
    const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-refusal-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const setup = new SqliteStore(path.join(dataDir, 'concord.sqlite'));
    await importDocument(setup, buildDocument());
    const delegates = await Promise.all(
      [1, 2, 3, 4].map((n) => buildUser(setup, { username: `w${n}`, role: 'delegate', group: 'workers' })),
    );
    await setup.close();
    const { child, url } = await spawnServer(dataDir, await freePort());
    cleanups.push(() => child.kill('SIGKILL'));

    const update = forgedParagraph('Écrit par un délégué');
    const barrier = new Uint8Array([0, 0, 1, 0]); // sync step 1 with an empty state vector
    const outcomes: string[] = [];
    // Five tries per delegate: a sixth refusal in a minute reads as the rate limit instead.
    for (const delegate of delegates) {
      const token = await loginTo(url, delegate.username);
      for (let attempt = 0; attempt < 5; attempt++) {
        const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/collab/${ROOM}?token=${token}`);
        ws.on('error', () => {});
        const closed = new Promise<string>((resolve) => {
          ws.on('close', (code, reason) => resolve(`${code} ${reason.toString()}`));
        });
        await new Promise<void>((resolve) => ws.once('open', () => resolve()));
        ws.send(new Uint8Array([0, 1, 2, 0, 0])); // an empty sync step 2, as a stock client answers first
        ws.send(update);
        const chatter = setInterval(() => {
          if (ws.readyState === ws.OPEN) for (let i = 0; i < 20; i++) ws.send(barrier);
        }, 0);
        outcomes.push(await closed);
        clearInterval(chatter);
      }
    }
    expect(outcomes.filter((o) => !o.startsWith(`${CloseCode.UpdateRefused} `))).toEqual([]);
    expect(outcomes[0]).toMatch(/official text/);

    const reader = await loginTo(url, delegates[0]?.username ?? '');
    const res = await fetch(`${url}/api/documents/gb-999-test-1/sections/part-1`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(((await res.json()) as { text: string }).text).not.toContain('Écrit par un délégué');
  }, 60_000);
});
