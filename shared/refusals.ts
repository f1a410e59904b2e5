import { z } from 'zod';

/**
 * Why the server refused, as a stable code: the client words it in the UI language from its catalogue
 * (`refusal.reason.<code>` in client/i18n), the server's English sentence being only the fallback for a
 * code the client does not know yet. Every policy refusal names one (tests/unit/refusal-reasons.test.ts).
 *
 * Parameters, when a reason has them: `ref` (an amendment's ref), `status` (an amendment status),
 * `ownerKey` (an owner key, named by the client in its language), `n` (a round number), `deadline`
 * (epoch ms), `kind` (`amendment` | `subAmendment`).
 */
export const REFUSAL_REASONS = [
  'office_only',
  'round_still_open',
  'round_already_closed',
  'deadline_round_closed',
  'deadline_passed',
  'thread_private',
  'thread_observer',
  'thread_no_group',
  'thread_no_author',
  'thread_cannot_resolve',
  'comment_not_author',
  'comment_deleted',
  'comment_cannot_delete',
  'import_observer',
  'import_on_behalf',
  'import_not_yours',
  'import_all_tabled',
  'draft_private',
  'draft_only',
  'draft_not_group',
  'draft_not_region_member',
  'draft_delegation_only',
  'draft_region_not_member',
  'propose_on_behalf',
  'thread_private_circle',
  'thread_delegation_only',
  'thread_region_not_member',
  'cosponsor_observer',
  'cosponsor_office',
  'cosponsor_no_group',
  'cosponsor_own',
  'cosponsor_status',
  'sub_of_sub',
  'sub_status',
  'sub_no_words',
  'undo_office_only',
  'undo_withdrawal',
  'undo_nothing',
  'not_pending',
  'create_observer',
  'create_no_group',
  'create_no_state',
  'vote_observer',
  'vote_office',
  'vote_no_group',
  'vote_own',
  'withdraw_not_owner',
  'decide_office_only',
  'rationale_not_owner',
  'present_office_only',
  'second_observer',
  'second_office',
  'second_no_group',
  'second_not_needed',
  'second_own',
  'second_status',
  'second_already',
  'second_taken',
  'not_seconded',
  'accounts_office_only',
  'account_self_deactivate',
  'account_self_role',
  'draft_on_behalf',
  /** Words already under another pending amendment (by form, tabling a draft): `{ amendmentId, ref, ownerKey }`. */
  'overlaps',
] as const;

export type RefusalReasonCode = (typeof REFUSAL_REASONS)[number];

export type RefusalParams = Record<string, string | number>;

/** On the wire: a plain string code, so that a client older than the server still reads the answer. */
export const RefusalReason = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type RefusalReason = z.infer<typeof RefusalReason>;
