/**
 * What a Word import may cost, whatever the file claims. A GB document's body is under 5 MB of XML,
 * about 100,000 elements and 2,000 paragraphs; these leave room for ten times that and no more.
 * Only `word/document.xml` is ever inflated, so its size is also the total inflated per import.
 */
export const IMPORT_LIMITS = {
  /** Parts listed in the zip. */
  entries: 2000,
  /** Inflated bytes of word/document.xml, counted as they come out. */
  documentXmlBytes: 32 * 1024 * 1024,
  /** Elements of word/document.xml, counted before it is parsed. */
  xmlElements: 1_000_000,
  /** Paragraphs of the body. */
  paragraphs: 50_000,
  /** Heap of the worker that reads one file: past it the worker dies and the file is refused. */
  workerHeapMb: 256,
  /** Files read at the same time; more wait their turn. */
  concurrentReads: 2,
} as const;
