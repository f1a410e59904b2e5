import type { AmendmentForm } from '../../shared/amendments.js';

/**
 * A sub-amendment changes its parent's proposed words, as an amendment by form changes a paragraph:
 * `find` must occur exactly once in them. Pure string work: the parent's words in the text are replaced
 * only when the Office accepts it (see decisionTrace.replaceProposedWords).
 */
export class SubAmendmentError extends Error {
  constructor(
    message: string,
    /** Which refusal it is (shared/refusals.ts), and the words it names. */
    readonly code: 'sub_find_missing' | 'sub_find_ambiguous',
    readonly find: string,
  ) {
    super(message);
  }
}

const quote = (text: string) => (text.length > 60 ? `“${text.slice(0, 57)}…”` : `“${text}”`);

/** The parent's proposal with the sub-amendment applied; `text` overrides the form's words (the Office's modification). */
export function applySubAmendment(
  proposal: string,
  form: Pick<AmendmentForm, 'op' | 'find' | 'text'>,
  text: string = form.text,
): string {
  const at = proposal.indexOf(form.find);
  if (at < 0) {
    throw new SubAmendmentError(
      `${quote(form.find)} is not in the proposed words ${quote(proposal)}.`,
      'sub_find_missing',
      quote(form.find),
    );
  }
  if (proposal.indexOf(form.find, at + 1) >= 0) {
    throw new SubAmendmentError(
      `${quote(form.find)} occurs more than once in the proposed words; give more words.`,
      'sub_find_ambiguous',
      quote(form.find),
    );
  }
  const end = at + form.find.length;
  if (form.op === 'insert') return proposal.slice(0, end) + text + proposal.slice(end);
  if (form.op === 'delete' && text === '') return proposal.slice(0, at) + proposal.slice(end);
  return proposal.slice(0, at) + text + proposal.slice(end);
}

/** Whether the new words fit the operation: insert and replace need some, delete none. */
export function formTextProblem(op: AmendmentForm['op'], text: string): string | null {
  if ((op === 'insert' || op === 'replace') && text === '') return `An ${op} needs the new words in “text”.`;
  if (op === 'delete' && text !== '')
    return 'A delete takes no “text”: use replace to put new words in place of old ones.';
  return null;
}
