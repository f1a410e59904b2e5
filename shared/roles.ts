import { z } from 'zod';

/** Who a user is in a consultation. The server decides; the client only reads. */
export const ROLES = ['secretariat', 'delegate', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** The three groups of the Governing Body. Only delegates belong to one. */
export const GROUPS = ['government', 'employers', 'workers'] as const;
export type Group = (typeof GROUPS)[number];

/** The public face of a user, as the server presents it to everyone. */
export const PublicUser = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  group: z.enum(GROUPS).nullable(),
  /** For government delegates: the member State they speak for ("France"). */
  memberState: z.string().nullable(),
});
export type PublicUser = z.infer<typeof PublicUser>;

/** What the signed-in user may do; computed by the server's policies, only read by the client. */
export const Abilities = z.object({
  read: z.boolean(),
  /** May write to the text at all — directly or as suggestions. */
  edit: z.boolean(),
  /** May change the official text directly (the Office); others' writes must be suggestions. */
  editDirectly: z.boolean(),
  /** Writes become tracked suggestions (amendments) of the user's group or State. */
  suggest: z.boolean(),
  comment: z.boolean(),
  /** May accept or reject amendments. */
  decide: z.boolean(),
});
export type Abilities = z.infer<typeof Abilities>;

/**
 * The user's abilities in a document, as the server's policies decide them: the session-wide ones and
 * what the document's screens offer (the client shows, hides and explains actions from these only).
 */
export const DocumentAbilities = Abilities.extend({
  /** May table amendments (by form, typed, or from Word) on their group's or State's behalf. */
  amend: z.boolean(),
  /** May import amendments from a Word file. */
  import: z.boolean(),
  /** May import on another group's or State's behalf (the Office). */
  importOnBehalf: z.boolean(),
  /** Works at the consolidation desk: rounds, versions, the revised text, the audit log. */
  consolidate: z.boolean(),
  /** May present the document for others to follow. */
  present: z.boolean(),
});
export type DocumentAbilities = z.infer<typeof DocumentAbilities>;

/**
 * One colour per group, used for carets, badges and later amendments. Chosen for a contrast ratio of at
 * least 4.5:1 with white text (WCAG AA), so names on caret labels stay legible.
 */
export const GROUP_COLOURS: Record<Group | 'secretariat' | 'observer', string> = {
  government: '#1f5fa8',
  employers: '#8a4b00',
  workers: '#a3214a',
  secretariat: '#1d6b4f',
  observer: '#5b5b66',
};

/** The colour a user is drawn in: their group's, or their role's when they have no group. */
export function colourOf(user: Pick<PublicUser, 'role' | 'group'>): string {
  if (user.group) return GROUP_COLOURS[user.group];
  return user.role === 'secretariat' ? GROUP_COLOURS.secretariat : GROUP_COLOURS.observer;
}
