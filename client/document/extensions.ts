import type { AnyExtension } from '@tiptap/core';
import { documentExtensions } from '../../shared/schema/index.js';

/** The document schema's extensions as the live editor uses them (the shared ones, unchanged). */
export function editorExtensions(): AnyExtension[] {
  return documentExtensions();
}
