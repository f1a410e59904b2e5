import type { Editor } from '@tiptap/core';
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { CaretMark } from '../collab/SectionConnection';

type Mapping = Parameters<typeof absolutePositionToRelativePosition>[2];

function bindingOf(editor: Editor): { doc: Y.Doc; type: Y.XmlFragment; mapping: Mapping } | null {
  const state = ySyncPluginKey.getState(editor.state) as
    | { doc?: Y.Doc; type?: Y.XmlFragment; binding?: { mapping: Mapping } | null }
    | undefined;
  if (!state?.doc || !state.type || !state.binding) return null;
  return { doc: state.doc, type: state.type, mapping: state.binding.mapping };
}

/**
 * Where the caret of `editor` is, read just before its Y.Doc is dropped after a refusal. The relative
 * position points at the character after the caret: when the refused words were typed before it, that
 * character is the server's, so the same place is found again in the fresh copy without the refused words.
 */
export function readCaret(editor: Editor): CaretMark | null {
  if (editor.isDestroyed) return null;
  const { view, state } = editor;
  const pos = state.selection.head;
  const section = view.dom.closest('.doc-section');
  if (!section) return null;
  const box = view.coordsAtPos(pos);
  const frame = section.getBoundingClientRect();
  const binding = bindingOf(editor);
  let relative: unknown = null;
  if (binding) {
    try {
      // y-tiptap points at the character *before* the caret: the last refused one when the user was typing.
      // Re-anchored on the character after it, the position survives the refused words being dropped.
      const before = absolutePositionToRelativePosition(pos, binding.type, binding.mapping) as Y.RelativePosition;
      const at = Y.createAbsolutePositionFromRelativePosition(before, binding.doc);
      relative = at ? Y.createRelativePositionFromTypeIndex(at.type, at.index, 0) : before;
    } catch {
      relative = null;
    }
  }
  return {
    relative,
    pos,
    top: box.top - frame.top,
    bottom: box.bottom - frame.top,
    left: box.left - frame.left,
    scrollY: window.scrollY,
    focused: view.hasFocus(),
  };
}

/**
 * Puts the caret back where it was in the fresh editor, and the page where it was: the resync must
 * not move what the user was reading, nor where they type.
 */
export function restoreCaret(editor: Editor, caret: CaretMark, attempt = 0): void {
  if (editor.isDestroyed) return;
  if (Math.abs(window.scrollY - caret.scrollY) > 1) window.scrollTo({ top: caret.scrollY, behavior: 'instant' });
  if (!caret.focused) return;
  const binding = bindingOf(editor);
  let pos: number | null = null;
  if (binding && caret.relative) {
    try {
      pos = relativePositionToAbsolutePosition(binding.doc, binding.type, caret.relative, binding.mapping);
    } catch {
      pos = null;
    }
  }
  // The binding's mapping fills in as the fresh editor draws: give it a few frames before falling back.
  if (pos === null && caret.relative && attempt < 10) {
    requestAnimationFrame(() => restoreCaret(editor, caret, attempt + 1));
    return;
  }
  const size = editor.state.doc.content.size;
  const at = Math.max(1, Math.min(pos ?? caret.pos, size - 1));
  editor.commands.focus(at, { scrollIntoView: false });
  if (Math.abs(window.scrollY - caret.scrollY) > 1) window.scrollTo({ top: caret.scrollY, behavior: 'instant' });
}
