/** Why an import's input (a Word file, a pasted text) cannot be read, as the HTTP status to answer (400 unreadable, 413 too big). */
export class ImportReadError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}
