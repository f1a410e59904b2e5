import { Extension } from '@tiptap/core';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { SUGGESTED, type SuggestIdentity, suggestTransaction } from './suggestTransaction';

export interface SuggestingOptions {
  /** The suggesting user; null turns suggesting off (the Office editing directly). */
  identity: () => SuggestIdentity | null;
}

/**
 * Suggesting mode: every edit of the user becomes a tracked suggestion of their group or State.
 * Changes that arrive from Yjs — others' edits, and undo/redo, which only revert one's own changes —
 * pass untouched. The server enforces the same rules; this extension makes an honest client follow them.
 */
export const Suggesting = Extension.create<SuggestingOptions>({
  name: 'suggesting',
  addOptions() {
    return { identity: () => null };
  },
  dispatchTransaction({ transaction, next }) {
    const identity = this.options.identity();
    const fromYjs = (transaction.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin;
    if (!identity || !transaction.docChanged || fromYjs || transaction.getMeta(SUGGESTED)) {
      next(transaction);
      return;
    }
    const suggested = suggestTransaction(transaction, this.editor.state, identity);
    // Nothing suggestible (formatting, structure, others' amendments): keep only the selection move.
    if (!suggested) {
      if (transaction.selectionSet) {
        const selectionOnly = this.editor.state.tr.setSelection(
          transaction.selection.map(this.editor.state.doc, transaction.mapping.invert()),
        );
        next(selectionOnly);
      }
      return;
    }
    next(suggested);
  },
});
