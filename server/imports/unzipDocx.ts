import yauzl from 'yauzl';
import { ImportReadError } from './readErrors.js';
import { IMPORT_LIMITS } from './importLimits.js';

/**
 * The main part of a Word file (`word/document.xml`), inflated as a stream with every limit counted on
 * what actually comes out, never on the sizes the zip declares: a zip may claim 1 KB and inflate to
 * 1 GiB. Only that part is inflated; the others are listed, to refuse duplicate names (which part a
 * reader takes is then anyone's guess).
 */
export async function readDocumentXml(bytes: Uint8Array): Promise<string> {
  return (await readDocxParts(bytes)).documentXml;
}

/**
 * The main part and, when there is one, `word/comments.xml` (comments anchored on revisions become the
 * amendments' rationales), each inflated under the same limits.
 */
export async function readDocxParts(bytes: Uint8Array): Promise<{ documentXml: string; commentsXml: string | null }> {
  const zip = await open(bytes);
  try {
    const { main, comments } = await findEntries(zip);
    const documentXml = await inflate(zip, main);
    const commentsXml = comments ? await inflate(zip, comments) : null;
    return { documentXml, commentsXml };
  } finally {
    zip.close();
  }
}

function open(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      { lazyEntries: true, validateEntrySizes: true },
      (err, zip) => {
        if (err || !zip) reject(notAWordFile());
        else resolve(zip);
      },
    );
  });
}

function notAWordFile(): ImportReadError {
  return new ImportReadError(400, 'This file is not a Word document (.docx): it could not be opened as one.');
}

function findEntries(zip: yauzl.ZipFile): Promise<{ main: yauzl.Entry; comments: yauzl.Entry | null }> {
  return new Promise((resolve, reject) => {
    const seen = new Set<string>();
    let main: yauzl.Entry | null = null;
    let comments: yauzl.Entry | null = null;
    let count = 0;
    zip.on('entry', (entry: yauzl.Entry) => {
      count++;
      if (count > IMPORT_LIMITS.entries) {
        reject(
          new ImportReadError(
            413,
            `This file holds more than ${IMPORT_LIMITS.entries} parts; a Word file has far fewer.`,
          ),
        );
        return;
      }
      // Part names are case-insensitive in Office files (ECMA-376 part 2, 9.1.1.4).
      const name = entry.fileName.toLowerCase();
      if (seen.has(name)) {
        reject(
          new ImportReadError(400, `This file holds several parts named "${entry.fileName}": it is damaged or forged.`),
        );
        return;
      }
      seen.add(name);
      if (name === 'word/document.xml') main = entry;
      if (name === 'word/comments.xml') comments = entry;
      zip.readEntry();
    });
    zip.once('end', () => {
      if (main) resolve({ main, comments });
      else reject(new ImportReadError(400, 'This file has no Word document body (word/document.xml): is it a .docx?'));
    });
    zip.once('error', () => reject(notAWordFile()));
    zip.readEntry();
  });
}

function tooLarge(): ImportReadError {
  const mib = IMPORT_LIMITS.documentXmlBytes / 1024 / 1024;
  return new ImportReadError(
    413,
    `The Word document body is larger than ${mib} MiB once unpacked; it cannot be imported.`,
  );
}

function tooManyElements(): ImportReadError {
  return new ImportReadError(
    413,
    `The Word document holds more than ${IMPORT_LIMITS.xmlElements.toLocaleString('en')} XML elements; it cannot be imported.`,
  );
}

function tooManyParagraphs(): ImportReadError {
  return new ImportReadError(
    413,
    `The Word document has more than ${IMPORT_LIMITS.paragraphs.toLocaleString('en')} paragraphs; it cannot be imported.`,
  );
}

const LT = 0x3c;
const NOT_AN_ELEMENT = new Set([0x2f /* / */, 0x21 /* ! */, 0x3f /* ? */]);
/** `<w:p` as Word writes it; a paragraph when followed by one of PARAGRAPH_END. */
const PARAGRAPH_TAG = [0x3c, 0x77, 0x3a, 0x70];
const PARAGRAPH_END = new Set([0x3e /* > */, 0x2f /* / */, 0x20, 0x09, 0x0a, 0x0d]);

/**
 * Counts elements ('<' then a name) and paragraphs (`<w:p`, Word's prefix: another prefix is still
 * caught after parsing, within the element cap) across the chunks of a stream.
 */
class XmlCounter {
  elements = 0;
  paragraphs = 0;
  private afterLt = false;
  private matched = 0;

  feed(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (this.afterLt && !NOT_AN_ELEMENT.has(byte)) this.elements++;
      this.afterLt = byte === LT;
      if (this.matched === PARAGRAPH_TAG.length) {
        if (PARAGRAPH_END.has(byte)) this.paragraphs++;
        this.matched = 0;
      }
      if (byte === PARAGRAPH_TAG[this.matched]) this.matched++;
      else this.matched = byte === LT ? 1 : 0;
    }
  }
}

function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  if (entry.uncompressedSize > IMPORT_LIMITS.documentXmlBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) {
        reject(new ImportReadError(400, 'The Word document body could not be unpacked: the file is damaged.'));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const counter = new XmlCounter();
      let failed = false;
      const fail = (error: ImportReadError) => {
        if (failed) return;
        failed = true;
        stream.destroy();
        reject(error);
      };
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > IMPORT_LIMITS.documentXmlBytes) return fail(tooLarge());
        // Counted as it comes, so that a file of millions of empty paragraphs is refused before any of it
        // becomes a DOM.
        counter.feed(chunk);
        if (counter.elements > IMPORT_LIMITS.xmlElements) return fail(tooManyElements());
        if (counter.paragraphs > IMPORT_LIMITS.paragraphs) return fail(tooManyParagraphs());
        chunks.push(chunk);
      });
      stream.once('error', () =>
        // yauzl checks that the inflated size matches the declared one: a lying zip ends here.
        fail(new ImportReadError(400, 'The Word document body could not be unpacked: its sizes do not match.')),
      );
      stream.once('end', () => {
        if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
  });
}
