import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  InsertedTextRun,
  Packer,
  Paragraph,
  TextRun,
} from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPreview, TableImportResult } from '../../shared/imports.js';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import { type People, buildPeople, client, exportDocument } from '../support/exportFixtures.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

/** A delegate's Word file: each revision carries a Word comment saying why, as delegates write them. */

const DOC = 'gb-999-export-1';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const DATE = '2026-11-20T09:30:00Z';

let server: TestServer;
let people: People;
let http: ReturnType<typeof client>;

async function commentedFile(): Promise<Uint8Array> {
  const revision = { author: 'Julien Moreau', date: DATE };
  const comment = (id: number, text: string) => ({
    id,
    author: 'Julien Moreau',
    date: new Date(DATE),
    children: [new Paragraph({ children: [new TextRun(text)] })],
  });
  const doc = new Document({
    comments: {
      children: [
        comment(0, 'Le mot juste.'),
        // Concord's own note on an exported amendment: its justification is what counts.
        comment(1, 'A-9 — France — Justification : Un budget en hausse.'),
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({
            children: [
              new TextRun('1.\tLe Bureau '),
              new CommentRangeStart(0),
              new DeletedTextRun({ text: 'soutient', id: 10, ...revision }),
              new InsertedTextRun({ text: 'appuie', id: 11, ...revision }),
              new CommentRangeEnd(0),
              new TextRun({ children: [new CommentReference(0)] }),
              new TextRun(' les mandants tripartites dans la mise en œuvre du programme.'),
            ],
          }),
          new Paragraph({
            children: [
              new TextRun('5.\tLe budget '),
              new CommentRangeStart(1),
              new DeletedTextRun({ text: 'reste stable', id: 12, ...revision }),
              new InsertedTextRun({ text: 'augmente', id: 13, ...revision }),
              new CommentRangeEnd(1),
              new TextRun({ children: [new CommentReference(1)] }),
              new TextRun(' en termes réels.'),
            ],
          }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

beforeAll(async () => {
  server = await startTestServer({ document: exportDocument(DOC) });
  people = await buildPeople(server);
  http = client(server, people);
});

afterAll(async () => {
  await server.stop();
});

describe('Word comments on revisions', () => {
  it('become the rationale of the amendments in the preview, and the edited rationale is the one tabled', async () => {
    const res = await http.raw('POST', `/api/documents/${DOC}/imports`, 'france', Buffer.from(await commentedFile()), {
      'content-type': DOCX,
      'x-file-name': 'amendements.docx',
    });
    expect(res.status).toBe(201);
    const preview = (await res.json()) as ImportPreview;
    expect(preview.amendments.map((a) => [a.find, a.text, a.rationale])).toEqual([
      ['soutient', 'appuie', 'Le mot juste.'],
      ['reste stable', 'augmente', 'Un budget en hausse.'],
    ]);
    const [first, second] = preview.amendments;
    const tabled = await http.json('POST', `/api/imports/${preview.id}/table`, 'france', {
      amendments: [first?.id, second?.id],
      rationales: { [second?.id ?? '']: 'Le budget doit suivre les besoins.' },
    });
    expect(tabled.status).toBe(200);
    const result = tabled.body as TableImportResult;
    expect(result.failed).toEqual([]);
    const rationales = [];
    for (const t of result.tabled) {
      const view = (await http.json('GET', `/api/amendments/${t.amendmentId}`, 'france')).body as AmendmentView;
      rationales.push(view.rationale);
    }
    expect(rationales).toEqual(['Le mot juste.', 'Le budget doit suivre les besoins.']);
  });
});
