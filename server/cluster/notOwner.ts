/**
 * This process does not own the section (another one holds its lease): what changes the section's
 * text must be done by `processId` (forwarded to it), never here.
 */
export class NotOwner extends Error {
  constructor(
    readonly documentId: string,
    readonly sectionId: string,
    readonly processId: string,
  ) {
    super(`section ${documentId}/${sectionId} is owned by process ${processId}`);
    this.name = 'NotOwner';
  }
}
