import type { AnyExtension } from '@tiptap/core';
import { documentExtensions } from '../../shared/schema/index.js';

/**
 * The document schema's extensions as the live editor uses them. StarterKit 3 adds TrailingNode, which
 * appends an empty paragraph to any section that does not end with one — a write nobody typed, which
 * the server rightly refuses from a delegate (it changes the official text) and which would otherwise
 * reach the official text from the Office. The editor never adds it.
 */
export function editorExtensions(): AnyExtension[] {
  return documentExtensions().map((extension) =>
    extension.name === 'starterKit' ? extension.configure({ trailingNode: false }) : extension,
  );
}
