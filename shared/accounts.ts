import { z } from 'zod';
import { MIN_PASSWORD_LENGTH, USERNAME_PATTERN } from './limits.js';
import { REGION_CODE_PATTERN } from './ownerKey.js';
import { GROUPS, ROLES } from './roles.js';

/**
 * The Office administers its consultation's accounts (issue 13, item 7): who takes part, in which role,
 * group and State. A government delegate's State is an ISO 3166-1 alpha-2 code (`NG`), named in the
 * reader's language by the client; their regional groups follow from it.
 */

/** An account as the Office sees it: never a password hash. */
export const Account = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  group: z.enum(GROUPS).nullable(),
  memberState: z.string().nullable(),
  demo: z.boolean(),
  active: z.boolean(),
  createdAt: z.number(),
  /** The regional groups the account's State belongs to (codes); empty for anyone without a State. */
  regions: z.array(z.string()),
});
export type Account = z.infer<typeof Account>;

const StateCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'A State is given by its ISO 3166-1 alpha-2 code, such as NG.')
  .refine(
    // DisplayNames throws on what is no region code at all: only two capitals reach it.
    (code) =>
      /^[A-Z]{2}$/.test(code) &&
      new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(code) !== undefined,
    'This is not the code of a State.',
  );

const Who = {
  name: z.string().trim().min(1, 'Give the participant’s name.').max(120),
  role: z.enum(ROLES),
  group: z.enum(GROUPS).nullable(),
  memberState: StateCode.nullable(),
  /**
   * The regional groups of the account's State, all of them: the State joins the listed groups and leaves
   * the others — for every delegate of that State, since membership is the State's. Absent: unchanged.
   */
  regions: z
    .array(z.string().regex(REGION_CODE_PATTERN, 'A regional group is given by its code, such as AFRICA.'))
    .max(32)
    .optional(),
};

/** Delegates belong to a group; a State is for government delegates only. */
function coherent(
  a: { role?: string; group?: string | null; memberState?: string | null; regions?: string[] },
  ctx: z.RefinementCtx,
) {
  if (a.regions !== undefined && a.regions.length > 0 && a.memberState === null) {
    ctx.addIssue({
      code: 'custom',
      path: ['regions'],
      message: 'Regional groups are those of a State: only a government delegate’s account has them.',
    });
  }
  if (a.role === undefined) return;
  if ((a.role === 'delegate') !== (a.group !== null && a.group !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['group'], message: 'A delegate belongs to a group; other roles to none.' });
  }
  const government = a.role === 'delegate' && a.group === 'government';
  if (government !== (a.memberState !== null && a.memberState !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['memberState'],
      message: 'A government delegate speaks for one State; nobody else has one.',
    });
  }
}

/** `POST /api/admin/users`. */
export const CreateAccountRequest = z
  .object({
    username: z.string().regex(USERNAME_PATTERN, 'Usernames are 2 to 40 lowercase letters, digits, dots or dashes.'),
    ...Who,
  })
  .strict()
  .superRefine(coherent);
export type CreateAccountRequest = z.infer<typeof CreateAccountRequest>;

/** `PATCH /api/admin/users/:id`: who the account is (all of it, checked together), and whether it is active. */
export const UpdateAccountRequest = z
  .object({ ...Who, active: z.boolean() })
  .partial()
  .strict()
  .superRefine(coherent);
export type UpdateAccountRequest = z.infer<typeof UpdateAccountRequest>;

/** A new password, shown to the Office once and never again. */
export const AccountWithPassword = z.object({
  account: Account,
  password: z.string().min(MIN_PASSWORD_LENGTH),
});
export type AccountWithPassword = z.infer<typeof AccountWithPassword>;

/** A one-time sign-in link for the Office to send: the path holds the token, shown once. */
export const SignInLink = z.object({
  account: Account,
  /** `/sign-in/link#<token>`: the page signs in with the token, once. */
  path: z.string(),
  expiresAt: z.number(),
});
export type SignInLink = z.infer<typeof SignInLink>;

/** `POST /api/session/link`: the token of a one-time link. */
export const LinkSignInRequest = z.object({ token: z.string().min(20).max(200) }).strict();

/** How long a one-time sign-in link stays usable. */
export const SIGN_IN_LINK_HOURS = 72;
