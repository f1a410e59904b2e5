import { type AnyExtension, getSchema } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { Box } from './box.js';
import { Figure } from './figure.js';
import { Footnote } from './footnote.js';
import { NumberedParagraph } from './numberedParagraph.js';
import { SuggestionDelete, SuggestionInsert } from './suggestionMarks.js';

export type { FigureGroup } from './figure.js';
export { Box, Figure, Footnote, NumberedParagraph, SuggestionDelete, SuggestionInsert };

/**
 * The extensions that define a GB document: the one schema for the client editor and the server.
 * History is off because Yjs owns undo in a shared document; nodes a GB document never has are off so
 * that a paste cannot smuggle them in.
 */
export function documentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      blockquote: false,
      codeBlock: false,
      code: false,
      horizontalRule: false,
      orderedList: false,
      link: false,
      underline: false,
      strike: false,
      heading: { levels: [1, 2, 3, 4] },
      // It appends an empty paragraph to a section that does not end with one: a write nobody typed,
      // which would change the official text.
      trailingNode: false,
    }),
    NumberedParagraph,
    Box,
    Footnote,
    Figure,
    SuggestionInsert,
    SuggestionDelete,
  ];
}

let schema: Schema | null = null;

/** The ProseMirror schema of a GB document section. */
export function documentSchema(): Schema {
  schema ??= getSchema(documentExtensions());
  return schema;
}

/** ProseMirror JSON, as produced by `Node.toJSON()` and accepted by `Node.fromJSON()`. */
export interface PMNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PMNode[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}
