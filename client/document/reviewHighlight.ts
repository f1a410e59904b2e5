import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

/** A range of the text to show for a moment (a comment's words, clicked in the review panel). */
export const reviewHighlightKey = new PluginKey<DecorationSet>('concord-review-highlight');

/**
 * Draws a temporary highlight over a range, mapped through later edits. A decoration, not a mark: it is
 * never part of the shared document. Set with `tr.setMeta(reviewHighlightKey, { from, to } | null)`.
 */
export const ReviewHighlight = Extension.create({
  name: 'reviewHighlight',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: reviewHighlightKey,
        state: {
          init: () => DecorationSet.empty,
          apply(tr, set) {
            const meta = tr.getMeta(reviewHighlightKey) as { from: number; to: number } | null | undefined;
            if (meta === null) return DecorationSet.empty;
            if (meta) {
              return DecorationSet.create(tr.doc, [
                Decoration.inline(meta.from, meta.to, { class: 'review-highlight', 'data-testid': 'review-highlight' }),
              ]);
            }
            return set.map(tr.mapping, tr.doc);
          },
        },
        props: {
          decorations(state) {
            return reviewHighlightKey.getState(state);
          },
        },
      }),
    ];
  },
});
