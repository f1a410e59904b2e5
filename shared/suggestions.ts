import { parseOwnerKey } from './ownerKey.js';

// The owner key lives in shared/ownerKey.ts; re-exported for the modules that build attrs from here.
export { type OwnerKey, ownerKeyOf } from './ownerKey.js';

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

/** The group part of an owner key, for colours: `government:France` → `government`. */
export function groupOfOwnerKey(ownerKey: string): string {
  const owner = parseOwnerKey(ownerKey);
  if (owner.kind === 'secretariat') return 'secretariat';
  return owner.kind === 'other' ? owner.key : owner.group;
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
