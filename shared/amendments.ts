import { z } from 'zod';
import { RefusalReason } from './refusals.js';
import { parseOwnerKey } from './ownerKey.js';
import { GROUPS } from './roles.js';
import { ThreadAnchor } from './threads.js';

/**
 * An amendment's life: (draft →) proposed → withdrawn (own group) | accepted | rejected (the Office).
 * A `draft` is private to its group and not in the shared text until a member tables it.
 */
export const AMENDMENT_STATUSES = ['draft', 'proposed', 'withdrawn', 'accepted', 'rejected'] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];

/** insert / delete / replace words in a paragraph, or add a whole paragraph (27bis). */
export const AMENDMENT_TYPES = ['insert', 'delete', 'replace', 'paragraph'] as const;
export type AmendmentType = (typeof AMENDMENT_TYPES)[number];

/** Votes and decisions: the actions `POST …/amendments/:id/<action>` runs without a body (accept takes one). */
export const DECISION_ACTIONS = ['support', 'oppose', 'withdraw', 'accept', 'reject'] as const;
export type AmendmentAction = (typeof DECISION_ACTIONS)[number];

/**
 * Every ability an amendment view reports (with `editRationale`): the decisions, plus tabling a draft,
 * co-sponsoring, undoing a decision, editing a draft and tabling a sub-amendment to it.
 */
export const AMENDMENT_ACTIONS = [
  ...DECISION_ACTIONS,
  'table',
  'cosponsor',
  'undo',
  'edit',
  'subAmend',
  'second',
] as const;
export type AmendmentAbility = (typeof AMENDMENT_ACTIONS)[number] | 'editRationale';

export const Stance = z.enum(['support', 'oppose']);
export type Stance = z.infer<typeof Stance>;

export const AmendmentEvent = z.object({
  status: z.enum(AMENDMENT_STATUSES),
  byUserId: z.string(),
  byName: z.string(),
  at: z.number(),
  /** What happened besides the status, when it is not obvious: `tabled`, `undo`, `accepted with modifications`. */
  note: z.string().optional(),
});
export type AmendmentEvent = z.infer<typeof AmendmentEvent>;

/** Another group or State that co-sponsors an amendment: one entry per owner key. */
export const Cosponsor = z.object({
  ownerKey: z.string(),
  byUserId: z.string(),
  byName: z.string(),
  at: z.number(),
});
export type Cosponsor = z.infer<typeof Cosponsor>;

/**
 * Who seconded an amendment tabled by a single State: a delegate of another member (`ownerKey` their
 * State or group), or — `inRoom` — the Office, recording when it accepted that it was seconded aloud.
 */
export const Seconder = z.object({
  ownerKey: z.string(),
  byUserId: z.string(),
  byName: z.string(),
  at: z.number(),
  inRoom: z.boolean(),
});
export type Seconder = z.infer<typeof Seconder>;

/**
 * The Governing Body considers an amendment of a single member only once another member seconds it:
 * one State's amendment needs a seconder; a group's, a regional group's and the Office's do not.
 */
export function needsSeconder(a: { ownerKey: string }): boolean {
  return parseOwnerKey(a.ownerKey).kind === 'government';
}

/** A pending amendment of one State that nobody has seconded yet. */
export function awaitingSeconder(a: { ownerKey: string; status: AmendmentStatus; seconder: Seconder | null }): boolean {
  return a.status === 'proposed' && needsSeconder(a) && a.seconder === null;
}

/** The form an amendment was drafted or tabled with: `find` in paragraph `paragraph`, anchored to the text. */
export const AmendmentForm = z.object({
  paragraph: z.number(),
  op: z.enum(['insert', 'delete', 'replace']),
  find: z.string(),
  text: z.string(),
  /** Yjs relative positions of `find` when it was written, so a draft follows the text (null for sub-amendments). */
  anchor: ThreadAnchor.nullable(),
});
export type AmendmentForm = z.infer<typeof AmendmentForm>;

/** One voice per group or State: `ownerKey` as in shared/suggestions.ts. */
export const AmendmentVote = z.object({
  ownerKey: z.string(),
  stance: Stance,
  byUserId: z.string(),
  byName: z.string(),
  at: z.number(),
});
export type AmendmentVote = z.infer<typeof AmendmentVote>;

export const Amendment = z.object({
  /** The id carried by the suggestion marks in the text. */
  id: z.string(),
  /** Short human reference, per document: `A-12`. */
  ref: z.string(),
  documentId: z.string(),
  sectionId: z.string(),
  /** Numbers of the paragraphs it touches; a new paragraph cites the one it follows. */
  paragraphs: z.array(z.number()),
  type: z.enum(AMENDMENT_TYPES),
  /** The official words it replaces or deletes (empty for a pure insertion). */
  originalText: z.string(),
  /** The words it proposes (empty for a pure deletion). */
  proposedText: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  /** On whose behalf: `government:France`, `employers`, `workers`, `secretariat`. */
  ownerKey: z.string(),
  group: z.enum(GROUPS).nullable(),
  memberState: z.string().nullable(),
  rationale: z.string(),
  status: z.enum(AMENDMENT_STATUSES),
  createdAt: z.number(),
  updatedAt: z.number(),
  history: z.array(AmendmentEvent),
  votes: z.array(AmendmentVote),
  /** For a sub-amendment: the amendment whose proposed words it changes. */
  parentId: z.string().nullable(),
  /** Other groups or States that put their name to it. */
  cosponsors: z.array(Cosponsor),
  /** Drafts, amendments by form and sub-amendments: how it was written (null when typed in the text). */
  form: AmendmentForm.nullable(),
  /** Accepted with modifications: the Office's words, which entered the text instead of `proposedText`. */
  modifiedText: z.string().nullable(),
  /** One State's amendment: who seconded it (null until someone does; always null for groups'). */
  seconder: Seconder.nullable(),
  /**
   * Who may read a draft until it is tabled (see server/policies/drafts.ts): absent or null, its group;
   * `all`, everyone; an owner key, only the delegates who speak for it — `government:ZA` (a delegation),
   * `region:AFRICA` (a regional group's member States). Kept once tabled, read by no rule then.
   */
  draftCircle: z.string().nullable().optional(),
});
export type Amendment = z.infer<typeof Amendment>;

/** The circles a draft may be kept in, as the author chooses them (`region` names one of their regions). */
export const DRAFT_CIRCLES = ['delegation', 'region', 'group', 'all'] as const;
export type DraftCircleChoice = (typeof DRAFT_CIRCLES)[number];

/** Support and opposition of one group: how many of its voices (the group itself, or its States). */
export const StanceCount = z.object({
  support: z.number().int().nonnegative(),
  oppose: z.number().int().nonnegative(),
});
export type StanceCount = z.infer<typeof StanceCount>;

/** One entry per group of the Governing Body, zeros included, so the client shows a stable table. */
export const Tally = z.object({ government: StanceCount, employers: StanceCount, workers: StanceCount });
export type Tally = z.infer<typeof Tally>;

/** What one reader may do with an amendment, as the server's policies decide it. */
export const AmendmentAbilities = z.object(
  Object.fromEntries([...AMENDMENT_ACTIONS, 'editRationale'].map((a) => [a, z.boolean()])) as Record<
    AmendmentAbility,
    z.ZodBoolean
  >,
);
export type AmendmentAbilities = z.infer<typeof AmendmentAbilities>;

/** An amendment as it leaves the server: the record, its tally by group, and (for one reader) abilities. */
export const AmendmentView = Amendment.extend({
  tally: Tally,
  /** What the reader may do with it; present in HTTP answers, absent in broadcast events. */
  abilities: AmendmentAbilities.optional(),
  /**
   * With `abilities`: the server's sentence for an action the reader would have but for the round's
   * deadline (undoing a withdrawal, tabling a draft, a sub-amendment), shown beside the disabled action.
   */
  reasons: z.partialRecord(z.enum([...AMENDMENT_ACTIONS, 'editRationale']), z.string()).optional(),
  /** The same refusals as codes and parameters, for the client to word in the reader's language. */
  reasonCodes: z.partialRecord(z.enum([...AMENDMENT_ACTIONS, 'editRationale']), RefusalReason).optional(),
});
export type AmendmentView = z.infer<typeof AmendmentView>;

/** `amendment:changed` / `draft:changed`. */
export const AmendmentChangedPayload = z.object({ amendment: AmendmentView });
export type AmendmentChangedPayload = z.infer<typeof AmendmentChangedPayload>;

export const RATIONALE_MAX = 2000;

/** `POST /api/documents/:documentId/amendments` — an amendment by form, placed as if typed. */
export const CreateAmendmentRequest = z
  .object({
    /** Required, except for a sub-amendment (which takes its parent's). */
    sectionId: z.string().min(1).max(120).optional(),
    paragraph: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
    op: z.enum(['insert', 'delete', 'replace']),
    /** Words of the paragraph's official text to act on; must occur exactly once there. */
    find: z.string().min(1).max(5000),
    /** New words: inserted after `find` (insert) or in its place (replace); absent for delete. */
    text: z.string().max(5000).optional(),
    rationale: z.string().max(RATIONALE_MAX).default(''),
    /** A sub-amendment: `find` is then looked for in that amendment's proposed words. */
    parentId: z
      .string()
      .regex(/^[0-9a-z]{8,32}$/)
      .optional(),
    /** A draft, private to the author's group until one of its members tables it. */
    draft: z.boolean().default(false),
    /**
     * On whose behalf (an owner key): absent, the author's own group or State; a government delegate may
     * name a regional group their State belongs to (`region:AFRICA`). The server checks membership.
     */
    onBehalfOf: z.string().min(1).max(60).optional(),
    /**
     * A draft's circle: `group` (the default), `delegation` (the author's State), `region` (with
     * `region`, a regional group of the author's State) or `all` (everyone). Ignored unless `draft`.
     */
    circle: z.enum(DRAFT_CIRCLES).optional(),
    /** With circle `region`: the code of a regional group the author's State belongs to. */
    region: z
      .string()
      .regex(/^[A-Z][A-Z0-9_-]{1,19}$/)
      .optional(),
    /** Where `find` starts in the paragraph's official text, when known (Word imports): it may then occur more than once. */
    at: z.number().int().min(0).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.parentId !== undefined) return;
    if (r.sectionId === undefined)
      ctx.addIssue({ code: 'custom', path: ['sectionId'], message: 'Give the section to amend.' });
    if (r.paragraph === undefined) {
      ctx.addIssue({ code: 'custom', path: ['paragraph'], message: 'Give the number of the paragraph to amend.' });
    }
  });
export type CreateAmendmentRequest = z.infer<typeof CreateAmendmentRequest>;

/** `PATCH /api/amendments/:id` — a draft's group edits it before tabling. */
export const EditDraftRequest = z
  .object({
    paragraph: z.number().int().positive().optional(),
    op: z.enum(['insert', 'delete', 'replace']).optional(),
    find: z.string().min(1).max(5000).optional(),
    text: z.string().max(5000).optional(),
    rationale: z.string().max(RATIONALE_MAX).optional(),
  })
  .strict();
export type EditDraftRequest = z.infer<typeof EditDraftRequest>;

/** `POST /api/amendments/:id/accept` — optional body: the Office's own words (accept with modifications). */
export const AcceptRequest = z
  .object({
    text: z.string().max(5000).optional(),
    /** One State's amendment nobody seconded here: the Office confirms it was seconded in the room. */
    secondedInRoom: z.boolean().optional(),
  })
  .strict();

/** `POST /api/documents/:documentId/amendments/bulk`. */
export const BulkRequest = z.object({
  action: z.enum(['accept', 'reject']),
  ids: z
    .array(z.string().regex(/^[0-9a-z]{8,32}$/))
    .min(1)
    .max(500),
});
export type BulkRequest = z.infer<typeof BulkRequest>;

export const AmendmentListQuery = z.object({
  section: z.string().max(120).optional(),
  paragraph: z.string().regex(/^\d+$/).transform(Number).optional(),
  group: z.enum(['government', 'employers', 'workers', 'secretariat']).optional(),
  status: z.enum(AMENDMENT_STATUSES).optional(),
});

export const UpdateRationaleRequest = z.object({ rationale: z.string().max(RATIONALE_MAX) });

/** `POST …/amendments/bulk` answers one line per id. */
export const BulkResponse = z.object({
  action: z.enum(['accept', 'reject']),
  done: z.number().int(),
  failed: z.number().int(),
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      status: z.number().int().optional(),
      error: z.string().optional(),
      message: z.string().optional(),
      amendment: AmendmentView.optional(),
    }),
  ),
});
export type BulkResponse = z.infer<typeof BulkResponse>;
