import { parentPort } from 'node:worker_threads';
import { importGbDocument } from '../../seed/importer/index.js';
import type { ImportedDocument } from '../../shared/document.js';
import { ImportReadError } from './readErrors.js';
import { type WordParagraph, readDocx } from './docxReader.js';

/**
 * Worker thread entry: reads what an import is given — a Word file, or the text of a GB document as
 * pasted — one at a time, answering each by its id. Both are the sender's input, of any size or
 * shape: whatever reading them costs is paid here, never on the event loop.
 */
export type ImportWorkerRequest =
  | { id: number; kind: 'docx'; bytes: Uint8Array }
  | { id: number; kind: 'gbText'; text: string; language?: 'fr' | 'en' | 'es' };

export type ImportWorkerAnswer = { id: number } & (
  | { ok: true; kind: 'docx'; paragraphs: WordParagraph[]; comments: Map<string, string> }
  | { ok: true; kind: 'gbText'; document: ImportedDocument }
  | { ok: false; status: 400 | 413; message: string }
);

async function answer(request: ImportWorkerRequest): Promise<ImportWorkerAnswer> {
  const { id } = request;
  if (request.kind === 'gbText') {
    try {
      const options = request.language ? { language: request.language } : {};
      return { id, ok: true, kind: 'gbText', document: importGbDocument(request.text, options) };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { id, ok: false, status: 400, message: `This text could not be read as a GB document: ${why}` };
    }
  }
  try {
    const { paragraphs, comments } = await readDocx(request.bytes);
    return { id, ok: true, kind: 'docx', paragraphs, comments };
  } catch (err) {
    return err instanceof ImportReadError
      ? { id, ok: false, status: err.status, message: err.message }
      : // A stack overflow on absurd nesting, or anything else the file provokes: its fault, not ours.
        {
          id,
          ok: false,
          status: 400,
          message: 'The Word file could not be read: its content is not as Word writes it.',
        };
  }
}

parentPort?.on('message', (request: ImportWorkerRequest) => {
  void answer(request).then((reply) => parentPort?.postMessage(reply));
});
