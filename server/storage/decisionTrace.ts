/**
 * Where a decided amendment's words stand in the text, stored with the decision so that it can be undone
 * (written and read by server/amendments/decisionTrace.ts). A storage type: the store needs no domain module.
 */
export interface DecisionTrace {
  status: 'accepted' | 'rejected' | 'withdrawn';
  /** Relative positions of the words now standing in the amendment's place. */
  range: { from: string; to: string } | null;
  /** Where the words were, when none stand there now. */
  point: string | null;
  /** The words now standing in the range ('' with a point). */
  words: string;
  /** A proposed paragraph (27bis) that was accepted: its number, to give it back its suggestion. */
  paragraph?: string;
  /** For a sub-amendment: the parent's proposed words before the sub-amendment changed them. */
  parentProposal?: string;
}
