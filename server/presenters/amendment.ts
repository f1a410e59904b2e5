import type { Amendment, AmendmentView, StanceCount, Tally } from '../../shared/amendments.js';
import { GROUPS, type PublicUser } from '../../shared/roles.js';
import { groupOfOwnerKey } from '../../shared/suggestions.js';
import { amendmentAbilities } from '../policies/amendments.js';
import type { RoundTiming } from '../policies/rounds.js';
import {
  whyCannotCosponsor,
  whyCannotEditDraft,
  whyCannotSubAmend,
  whyCannotTable,
  whyCannotUndo,
} from '../policies/drafts.js';

export type { AmendmentView, StanceCount };

/** The tally by group: each vote is one owner's voice (a group, or a State within the Government group). */
export function tallyOf(amendment: Pick<Amendment, 'votes'>): Tally {
  const tally = Object.fromEntries(GROUPS.map((g) => [g, { support: 0, oppose: 0 }])) as Tally;
  for (const vote of amendment.votes) {
    const group = groupOfOwnerKey(vote.ownerKey);
    const entry = (tally as Record<string, StanceCount | undefined>)[group];
    if (entry) entry[vote.stance]++;
  }
  return tally;
}

/** Who reads an amendment, and the round and time its deadline-bound abilities are judged by. */
export interface AmendmentReader {
  viewer: Pick<PublicUser, 'role' | 'group' | 'memberState'>;
  timing: RoundTiming;
}

/** Shapes an amendment for everyone (events), or for one reader with its abilities. */
export function presentAmendment(amendment: Amendment, reader?: AmendmentReader): AmendmentView {
  const view: AmendmentView = { ...amendment, tally: tallyOf(amendment) };
  if (reader) {
    const { viewer, timing } = reader;
    view.abilities = amendmentAbilities(viewer, amendment, {
      table: whyCannotTable(viewer, amendment, timing) === null,
      edit: whyCannotEditDraft(viewer, amendment) === null,
      cosponsor: whyCannotCosponsor(viewer, amendment) === null,
      undo: whyCannotUndo(viewer, amendment, timing) === null,
      subAmend: whyCannotSubAmend(viewer, amendment, timing) === null,
    });
  }
  return view;
}
