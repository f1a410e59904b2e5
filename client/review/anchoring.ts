import type { Editor } from '@tiptap/core';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { type AnchorState, decodeAnchorPosition, encodeAnchorPosition, resolveAnchor } from '../../shared/anchors.js';
import type { ThreadAnchor } from '../../shared/threads.js';

type Mapping = Parameters<typeof absolutePositionToRelativePosition>[2];

interface Binding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  mapping: Mapping;
}

/** The ySyncPlugin's binding of an editor: its Y.Doc, fragment and ProseMirror ↔ Yjs mapping. */
function bindingOf(editor: Editor): Binding | null {
  const state = ySyncPluginKey.getState(editor.state) as
    | { doc?: Y.Doc; type?: Y.XmlFragment; binding?: { mapping: Mapping } | null }
    | undefined;
  if (!state?.doc || !state.type || !state.binding) return null;
  return { doc: state.doc, type: state.type, mapping: state.binding.mapping };
}

/** Where a ProseMirror position stands in Yjs: the text and index of the character around it. */
function yPositionOf(binding: Binding, pos: number): Y.AbsolutePosition | null {
  const rel = absolutePositionToRelativePosition(pos, binding.type, binding.mapping) as Y.RelativePosition;
  return Y.createAbsolutePositionFromRelativePosition(rel, binding.doc);
}

/**
 * The anchor of the words selected in an editor, as shared/anchors.ts defines it: the start points at the
 * first selected character (association 0), the end at the last (association -1), so that the range
 * follows the text while others type. Null when the selection holds no text.
 */
export function anchorOfSelection(editor: Editor, from: number, to: number, quote: string): ThreadAnchor | null {
  if (to <= from) return null;
  const binding = bindingOf(editor);
  if (!binding) return null;
  // One step inside the range, so the start lands in the text of its first character, not at the end of
  // the text before it; then back by one.
  const start = yPositionOf(binding, from + 1);
  const end = yPositionOf(binding, to);
  if (!start || !end || !(start.type instanceof Y.XmlText) || !(end.type instanceof Y.XmlText) || start.index < 1) return null;
  return {
    from: encodeAnchorPosition(start.type, start.index - 1, 0),
    to: encodeAnchorPosition(end.type, end.index, -1),
    quote: quote.slice(0, 2000),
  };
}

/** Whether a thread's words are still in the text; null when the section is not open here. */
export function anchorStateIn(doc: Y.Doc, anchor: ThreadAnchor): AnchorState {
  return resolveAnchor(doc, anchor).state;
}

/** The ProseMirror range an anchor covers now, or null (deleted, or not in this editor's document). */
export function rangeOfAnchor(editor: Editor, anchor: ThreadAnchor): { from: number; to: number } | null {
  const binding = bindingOf(editor);
  if (!binding) return null;
  const fromRel = decodeAnchorPosition(anchor.from);
  const toRel = decodeAnchorPosition(anchor.to);
  if (!fromRel || !toRel) return null;
  const from = relativePositionToAbsolutePosition(binding.doc, binding.type, fromRel, binding.mapping);
  const to = relativePositionToAbsolutePosition(binding.doc, binding.type, toRel, binding.mapping);
  if (from === null || to === null || to <= from) return null;
  return { from, to };
}
