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
  /** As `overlaps`, when the amendment in the way is no longer on record to be named. */
  'words_taken',
  /** A draft's quoted words read otherwise now: `{ find, words }`. */
  'draft_words_changed',
  'accept_modified_paragraph',
  'accept_modified_scattered',
  /** Undoing a decision whose words were changed since. */
  'undo_words_changed',
  /** `{ paragraph }`: the paragraph label a decision's undo needs. */
  'paragraph_gone',
  'sub_parent_no_run',
  /** `{ ref, status }` of the parent when it is still on record (empty when it is gone). */
  'sub_parent_decided',
  /** `{ ref }` of the parent, whose proposal changed since the Office looked. */
  'sub_parent_changed',
  /** The parent is no longer on record. */
  'sub_parent_gone',
  /** `{ ref, status }`: a decision on an amendment that stood in several places cannot be undone by the machine. */
  'undo_scattered',
  /** The same Idempotency-Key is being (or was) carried out, its answer not stored: reload to see the outcome. */
  'idempotency_in_progress',
  /** `{ ref }` of the sub-amendment. */
  'sub_no_form',
  /** `{ find, ref }`: the sub-amendment's words are not in its parent's proposal (`ref`: the parent). */
  'sub_find_missing',
  /** `{ find, ref }`: they occur more than once there. */
  'sub_find_ambiguous',
  /** `{ ref }`: an accepted sub-amendment whose acceptance left nothing to undo by. */
  'undo_no_trace',
  /** `{ username }` */
  'username_taken',
  /** `{ name }` */
  'account_deactivated',
] as const;

export type RefusalReasonCode = (typeof REFUSAL_REASONS)[number];

export type RefusalParams = Record<string, string | number>;

/** On the wire: a plain string code, so that a client older than the server still reads the answer. */
export const RefusalReason = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type RefusalReason = z.infer<typeof RefusalReason>;
