import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DeletedTextRun, Document, HeadingLevel, InsertedTextRun, Packer, Paragraph, TextRun } from 'docx';

/**
 * Word files made with tools independent of Concord: the `docx` library (as a delegate's own tooling
 * would write them) and LibreOffice with change tracking on.
 */

const run = promisify(execFile);

let revisionId = 100;

/** One piece of a paragraph: plain text, or a revision by `author`. */
export type Piece = string | { ins: string; author?: string } | { del: string; author?: string };

export interface FixtureParagraph {
  pieces: Piece[];
  heading?: boolean;
  /** The whole paragraph is a new one (its mark inserted). */
  inserted?: boolean;
}

const DATE = '2026-11-20T09:30:00Z';

/** A .docx built with the `docx` library, revisions as w:ins / w:del. */
export async function docxLibraryFile(
  paragraphs: FixtureParagraph[],
  defaultAuthor = 'Julien Moreau',
): Promise<Uint8Array> {
  const children = paragraphs.map(
    (p) =>
      new Paragraph({
        heading: p.heading ? HeadingLevel.HEADING_2 : undefined,
        children: p.pieces.map((piece) => {
          if (typeof piece === 'string') return new TextRun(piece);
          if ('ins' in piece) {
            return new InsertedTextRun({
              text: piece.ins,
              id: revisionId++,
              author: piece.author ?? defaultAuthor,
              date: DATE,
            });
          }
          return new DeletedTextRun({
            text: piece.del,
            id: revisionId++,
            author: piece.author ?? defaultAuthor,
            date: DATE,
          });
        }),
        ...(p.inserted ? { run: { insertion: { id: revisionId++, author: defaultAuthor, date: DATE } } } : {}),
      }),
  );
  const doc = new Document({ sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(doc));
}

export const SOFFICE = ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice'].find((p) => existsSync(p)) ?? null;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A .docx written by LibreOffice from an OpenDocument text with change tracking on: each revision is a
 * tracked change of the ODF file (text:tracked-changes), which LibreOffice saves as Word revisions.
 */
export async function libreOfficeFile(paragraphs: FixtureParagraph[], author = 'Ana Lima'): Promise<Uint8Array> {
  if (!SOFFICE) throw new Error('LibreOffice is not installed');
  const regions: string[] = [];
  let next = 1;
  const change = `<office:change-info><dc:creator>${esc(author)}</dc:creator><dc:date>2026-11-20T09:30:00</dc:date></office:change-info>`;
  const body = paragraphs
    .map((p) => {
      const inner = p.pieces
        .map((piece) => {
          if (typeof piece === 'string') return esc(piece);
          const id = `ct${next++}`;
          if ('ins' in piece) {
            regions.push(
              `<text:changed-region xml:id="${id}" text:id="${id}"><text:insertion>${change}</text:insertion></text:changed-region>`,
            );
            return `<text:change-start text:change-id="${id}"/>${esc(piece.ins)}<text:change-end text:change-id="${id}"/>`;
          }
          regions.push(
            `<text:changed-region xml:id="${id}" text:id="${id}"><text:deletion>${change}<text:p>${esc(piece.del)}</text:p></text:deletion></text:changed-region>`,
          );
          return `<text:change text:change-id="${id}"/>`;
        })
        .join('');
      return p.heading ? `<text:h text:outline-level="2">${inner}</text:h>` : `<text:p>${inner}</text:p>`;
    })
    .join('\n');
  const fodt = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:body><office:text>
<text:tracked-changes text:track-changes="true">${regions.join('')}</text:tracked-changes>
${body}
</office:text></office:body></office:document>`;
  const dir = mkdtempSync(path.join(tmpdir(), 'concord-lo-'));
  try {
    const source = path.join(dir, 'amendments.fodt');
    writeFileSync(source, fodt);
    await run(
      SOFFICE,
      [
        `-env:UserInstallation=file://${dir}/profile`,
        '--headless',
        '--convert-to',
        'docx:MS Word 2007 XML',
        '--outdir',
        dir,
        source,
      ],
      {
        timeout: 120_000,
      },
    );
    return new Uint8Array(readFileSync(path.join(dir, 'amendments.docx')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Converts a file with LibreOffice headless (`pdf`, `docx`…); returns the output path in `dir`. */
export async function convertWithLibreOffice(file: string, to: string, dir: string): Promise<string> {
  if (!SOFFICE) throw new Error('LibreOffice is not installed');
  await run(
    SOFFICE,
    [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', to, '--outdir', dir, file],
    {
      timeout: 180_000,
    },
  );
  return path.join(dir, `${path.basename(file, path.extname(file))}.${to.split(':')[0]}`);
}
