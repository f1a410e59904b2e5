import type { Amendment, AmendmentView, StanceCount, Tally } from '../../shared/amendments.js';
import { GROUPS, type PublicUser } from '../../shared/roles.js';
import { groupOfOwnerKey } from '../../shared/suggestions.js';
import { amendmentAbilities } from '../policies/amendments.js';
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

/** Shapes an amendment for everyone (events), or for one reader with `viewer`. */
export function presentAmendment(
  amendment: Amendment,
  viewer?: Pick<PublicUser, 'role' | 'group' | 'memberState'>,
): AmendmentView {
  const view: AmendmentView = { ...amendment, tally: tallyOf(amendment) };
  if (viewer) {
    view.abilities = amendmentAbilities(viewer, amendment, {
      table: whyCannotTable(viewer, amendment) === null,
      edit: whyCannotEditDraft(viewer, amendment) === null,
      cosponsor: whyCannotCosponsor(viewer, amendment) === null,
      undo: whyCannotUndo(viewer, amendment) === null,
      subAmend: whyCannotSubAmend(viewer, amendment) === null,
    });
  }
  return view;
}
