import type { Amendment, AmendmentView, StanceCount, Tally } from '../../shared/amendments.js';
import { GROUPS, type PublicUser } from '../../shared/roles.js';
import { groupOfOwnerKey } from '../../shared/suggestions.js';
import { amendmentAbilities } from '../policies/amendments.js';
import type { RoundTiming } from '../policies/rounds.js';
import {
  whyCannotCosponsor,
  whyCannotEditDraft,
  whyCannotEditRationaleNow,
  whyCannotSubAmend,
  whyCannotTable,
  whyCannotUndo,
} from '../policies/drafts.js';
import { whyCannotSecond } from '../policies/seconding.js';

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
  /** Owner of each sub-amendment's parent (by parent id): it decides which deadline governs the sub-amendment. */
  parentOwners?: ReadonlyMap<string, string>;
}

/** Shapes an amendment for everyone (events), or for one reader with its abilities. */
export function presentAmendment(amendment: Amendment, reader?: AmendmentReader): AmendmentView {
  const view: AmendmentView = { ...amendment, tally: tallyOf(amendment) };
  if (reader) {
    const { viewer, timing } = reader;
    // The same rules, with the same inputs, as the commands: the abilities shown are what the server allows.
    const judged = {
      ...amendment,
      parentOwnerKey: amendment.parentId === null ? null : (reader.parentOwners?.get(amendment.parentId) ?? null),
    };
    const late = {
      table: whyCannotTable(viewer, judged, timing),
      undo: whyCannotUndo(viewer, judged, timing),
      subAmend: whyCannotSubAmend(viewer, amendment, timing),
      // A draft's rationale is edited with the draft (abilities.edit).
      editRationale: amendment.status === 'draft' ? null : whyCannotEditRationaleNow(viewer, judged, timing),
    };
    view.abilities = amendmentAbilities(viewer, amendment, {
      table: late.table === null,
      edit: whyCannotEditDraft(viewer, amendment) === null,
      cosponsor: whyCannotCosponsor(viewer, amendment) === null,
      undo: late.undo === null,
      subAmend: late.subAmend === null,
      second: whyCannotSecond(viewer, amendment) === null,
    });
    if (late.editRationale) view.abilities.editRationale = false;
    // Only the deadline's refusals are explained: the others are about who the reader is or what the
    // amendment has become, and the action is simply not offered.
    const reasons = Object.entries(late).flatMap(([action, refusal]) =>
      refusal?.code === 'deadline_passed' ? [[action, refusal.reason] as const] : [],
    );
    if (reasons.length > 0) view.reasons = Object.fromEntries(reasons);
    const codes = Object.entries(late).flatMap(([action, refusal]) =>
      refusal?.code === 'deadline_passed' && refusal.why
        ? [[action, { code: refusal.why, params: refusal.params ?? {} }] as const]
        : [],
    );
    if (codes.length > 0) view.reasonCodes = Object.fromEntries(codes);
  }
  return view;
}
