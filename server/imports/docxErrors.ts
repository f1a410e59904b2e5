/** Why a Word file cannot be imported, as the HTTP status to answer (400 unreadable, 413 too big). */
export class DocxReadError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}
