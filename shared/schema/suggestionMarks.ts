import { Mark, mergeAttributes } from '@tiptap/core';
import { parseOwnerKey } from '../ownerKey.js';
import { SUGGEST_DELETE, SUGGEST_INSERT, groupOfOwnerKey } from '../suggestions.js';

// Not rendered as attributes of their own: `id` would become a duplicate HTML id on the two halves of
// a replacement. renderHTML writes them as data-* attributes instead.
function suggestionAttributes() {
  return {
    id: { default: '', rendered: false },
    by: { default: '', rendered: false },
    author: { default: '', rendered: false },
  };
}

function domAttributes(kind: 'insert' | 'delete', attrs: Record<string, unknown>) {
  const by = String(attrs.by ?? '');
  return {
    'data-suggestion': kind,
    'data-amendment': String(attrs.id ?? ''),
    'data-by': by,
    'data-author': String(attrs.author ?? ''),
    // A regional group's suggestions: a tint of the Government colour (styles.css `.owner-region`).
    class: `suggestion suggestion-${kind} group-${groupOfOwnerKey(by)}${parseOwnerKey(by).kind === 'region' ? ' owner-region' : ''}`,
  };
}

/** Text proposed for insertion by an amendment; not part of the official text until accepted. */
export const SuggestionInsert = Mark.create({
  name: SUGGEST_INSERT,
  inclusive: false,
  excludes: `${SUGGEST_INSERT} ${SUGGEST_DELETE}`,
  addAttributes: suggestionAttributes,
  parseHTML() {
    return [{ tag: 'ins[data-suggestion="insert"]' }];
  },
  renderHTML({ mark, HTMLAttributes }) {
    return ['ins', mergeAttributes(HTMLAttributes, domAttributes('insert', mark.attrs)), 0];
  },
});

/** Official text proposed for deletion by an amendment: struck through, kept until accepted. */
export const SuggestionDelete = Mark.create({
  name: SUGGEST_DELETE,
  inclusive: false,
  excludes: `${SUGGEST_INSERT} ${SUGGEST_DELETE}`,
  addAttributes: suggestionAttributes,
  parseHTML() {
    return [{ tag: 'del[data-suggestion="delete"]' }];
  },
  renderHTML({ mark, HTMLAttributes }) {
    return ['del', mergeAttributes(HTMLAttributes, domAttributes('delete', mark.attrs)), 0];
  },
});
