import type { PublicUser } from './roles.js';

/**
 * Tracked suggestions (amendments typed into the text) live in the shared Yjs document as marks:
 * `suggestionInsert` on proposed text, `suggestionDelete` on official text proposed for deletion, and
 * a `suggestion` attribute on a whole proposed numbered paragraph (27bis). All carry the same attrs.
 * The *official text* is the document with every pending suggestion rejected: insert-marked text and
 * suggested paragraphs removed, delete marks dropped.
 */
export const SUGGEST_INSERT = 'suggestionInsert';
export const SUGGEST_DELETE = 'suggestionDelete';

export interface SuggestionAttrs {
  /** Amendment id (the record's id): one amendment may hold several marks (a replacement holds both). */
  id: string;
  /** Who the amendment is on behalf of — see {@link ownerKeyOf}. */
  by: string;
  /** User id of the person who typed it. */
  author: string;
}

/**
 * On whose behalf a user proposes: `government:<State>` for a government delegate, `employers`,
 * `workers`, or `secretariat`. Members of the same owner may edit each other's pending amendments;
 * nobody else may.
 */
export function ownerKeyOf(user: Pick<PublicUser, 'role' | 'group' | 'memberState'>): string {
  if (user.role === 'secretariat') return 'secretariat';
  if (user.group === 'government') return `government:${user.memberState ?? 'unknown'}`;
  return user.group ?? user.role;
}

/** The group part of an owner key, for colours: `government:France` → `government`. */
export function groupOfOwnerKey(ownerKey: string): string {
  return ownerKey.split(':')[0] ?? ownerKey;
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A new amendment id: 12 random base-36 characters, created where the amendment is first typed. */
export function newSuggestionId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  let id = '';
  for (const b of bytes) id += ID_ALPHABET[b % 36];
  return id;
}

export const SUGGESTION_ID_PATTERN = /^[0-9a-z]{8,32}$/;
