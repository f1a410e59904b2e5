import type { ImportReason, ImportReasonCode } from '../../shared/imports.js';

/**
 * The English sentence of each import reason, for API readers and logs. The client words the same
 * codes in the reader's language (client/exports/importReasons.ts); the two lists must name the same
 * codes, which the type checks on both sides.
 */
const ENGLISH: Record<ImportReasonCode, (p: Record<string, string | number>) => string> = {
  heading: () => 'It is in a heading; amendments change numbered paragraphs only.',
  newParagraph: (p) =>
    'A new paragraph cannot be tabled from a Word file: propose it in Concord (a new paragraph after paragraph ' +
    `${p.after ?? '…'}), or insert its words into an existing paragraph.`,
  proposedParagraph: (p) =>
    `It is in paragraph ${p.paragraph}, which is not in the official text (a proposed paragraph).`,
  paragraphNumber: () => 'It changes the paragraph number, which is the Office’s.',
  startOfParagraph: (p) =>
    `It inserts words at the very start of paragraph ${p.paragraph}; propose it in Concord as a replacement of the first words.`,
  startOfBullet: () =>
    'It inserts words at the very start of a bullet; propose it in Concord as a replacement of the first words.',
  spacesOnly: () => 'It deletes only spaces or punctuation that could not be located exactly.',
  noWords: () => 'The paragraph has no words of the official text to place it by.',
  repeatedInParagraph: (p) =>
    `Its text occurs ${p.count} times in paragraph ${p.paragraph}; number the paragraph (“${p.paragraph}.”) or give more words.`,
  inSeveralParagraphs: (p) =>
    `Its text occurs in ${p.count} paragraphs (${p.paragraphs}); keep the paragraph number (“27.”) at the start of the paragraph.`,
  notInParagraph: (p) =>
    `Its text is not in paragraph ${p.paragraph} nor anywhere else in the document (the text may have changed since the file was made).`,
  notFound: () => 'Its text was not found in the document (the text may have changed since the file was made).',
  alreadyTabled: (p) => `Already tabled as ${p.ref} by ${p.owner}.`,
  underAmendment: (p) => `${p.detail} (amendment ${p.ref})`,
  notPlaceable: (p) => String(p.detail),
  notInImport: (p) => `There is no ${p.id} in this import.`,
  tabledHere: (p) => `${p.id} was already tabled as ${p.ref}.`,
  refused: (p) => String(p.detail),
};

export function reason(code: ImportReasonCode, params: Record<string, string | number> = {}): ImportReason {
  return { code, params };
}

export function englishReason(why: ImportReason): string {
  return ENGLISH[why.code](why.params);
}
