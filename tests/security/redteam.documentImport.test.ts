import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cast, buildCast, call, consultationDocument } from '../support/consultation.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Red team on the Office's document import (`POST /api/admin/documents/preview`): the text is read on
 * the event loop, so a pasted text that costs the importer the square of its length stops the server
 * for everyone. A paragraph wrapped over tens of thousands of lines took 54 s to 135 s at the
 * 900,000-character limit; read in linear time it takes about a second — still a second of everyone's
 * edits held, so the text is read in the import worker, under the Word files' time limit.
 */
const DOC = 'gb-999-redteam-docimport-1';
/** Far above the linear reading on a loaded machine, far below the quadratic one. */
const BOUND_MS = 30_000;

let server: TestServer;
let cast: Cast;

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
});

afterAll(async () => {
  await server.stop();
});

/** A GB document whose one paragraph runs over `lines` wrapped lines, up to the route's 900,000 characters. */
function wrappedParagraph(line: string): string {
  const head = 'GB.348/RT/1\n\n I. Introduction \n\n1. Le Bureau présente ce texte\n';
  return (head + `${line}\n`.repeat(Math.ceil(900_000 / (line.length + 1)))).slice(0, 900_000);
}

/** The preview's status, after checking how long it took (the test runs in the server's own process). */
async function previewWithin(text: string): Promise<number> {
  const started = Date.now();
  const answer = await call(server, 'POST', '/api/admin/documents/preview', cast.office, { text });
  expect(Date.now() - started, `the preview held the server more than ${BOUND_MS} ms`).toBeLessThan(BOUND_MS);
  return answer.status;
}

describe('red team: a pasted document cannot hold the server', () => {
  it('a paragraph wrapped over 47,000 lines is read in linear time', { timeout: 240_000 }, async () => {
    expect(await previewWithin(wrappedParagraph('suite de la phrase'))).toBe(200);
    // The server answers others again at once.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('a heading wrapped over 100,000 lines ending in link words is read in linear time', {
    timeout: 240_000,
  }, async () => {
    const text = `GB.348/RT/1\n\n I. Introduction de\n${'suite de\n'.repeat(100_000)}`.slice(0, 900_000);
    expect([200, 400]).toContain(await previewWithin(text));
  });
});

describe('red team: a pasted document is read off the event loop, under a time limit', () => {
  let quick: TestServer;
  let office: Cast['office'];
  beforeAll(async () => {
    // A limit far below what reading 900,000 characters takes anywhere: only a reader that can be
    // stopped from outside (a worker thread) can answer 413 in time; one on the event loop cannot.
    quick = await startTestServer({ document: consultationDocument(DOC), config: { importTimeoutMs: 50 } });
    office = (await buildCast(quick)).office;
  });
  afterAll(async () => {
    await quick.stop();
  });

  it('a text that takes longer than CONCORD_IMPORT_TIMEOUT_MS to read is refused with 413, and the server is unharmed', {
    timeout: 120_000,
  }, async () => {
    const answer = await call<{ message?: string }>(quick, 'POST', '/api/admin/documents/preview', office, {
      text: wrappedParagraph('suite de la phrase'),
    });
    expect(answer.status).toBe(413);
    expect(JSON.stringify(answer.body)).toContain('took more than');
    expect((await fetch(`${quick.url}/healthz`)).status).toBe(200);
    // A worker that overran is dropped; the next reading gets a fresh one and works.
    const small = await call(quick, 'POST', '/api/admin/documents/preview', office, {
      text: 'GB.348/RT/1\n\n I. Introduction \n\n1. Le Bureau présente ce texte.\n',
    });
    expect([200, 400, 413]).toContain(small.status);
  });
});
