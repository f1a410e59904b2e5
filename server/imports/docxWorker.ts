import { parentPort } from 'node:worker_threads';
import { DocxReadError } from './docxErrors.js';
import { type WordParagraph, readDocx } from './docxReader.js';

/** Worker thread entry: reads the Word files it is sent, one at a time, answering each by its id. */
export type DocxWorkerAnswer = { id: number } & (
  | { ok: true; paragraphs: WordParagraph[]; comments: Map<string, string> }
  | { ok: false; status: 400 | 413; message: string }
);

parentPort?.on('message', ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  readDocx(bytes).then(
    ({ paragraphs, comments }) =>
      parentPort?.postMessage({ id, ok: true, paragraphs, comments } satisfies DocxWorkerAnswer),
    (err: unknown) => {
      const answer: DocxWorkerAnswer =
        err instanceof DocxReadError
          ? { id, ok: false, status: err.status, message: err.message }
          : // A stack overflow on absurd nesting, or anything else the file provokes: its fault, not ours.
            {
              id,
              ok: false,
              status: 400,
              message: 'The Word file could not be read: its content is not as Word writes it.',
            };
      parentPort?.postMessage(answer);
    },
  );
});
