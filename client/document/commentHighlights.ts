import { type Editor, Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { GROUP_COLOURS } from '../../shared/roles.js';
import type { ThreadAnchor } from '../../shared/threads.js';
import { rangeOfAnchor } from '../review/anchoring';

/** What the text needs to know of a thread to mark its words. */
export interface AnchoredThread {
  id: string;
  sectionId: string;
  anchor: ThreadAnchor;
  /** Set for a group-only thread: its words take the group's tint instead of the neutral colour. */
  group: keyof typeof GROUP_COLOURS | null;
}

/**
 * The open document's anchored, unresolved threads by section, fed by the screen (which has the review
 * store) and read by each section's editor. A module store, like the editor registry: the editors are
 * deep in the tree and must not re-render when a comment arrives.
 */
let bySection = new Map<string, AnchoredThread[]>();
const listeners = new Set<() => void>();

export const commentAnchors = {
  set(threads: readonly AnchoredThread[]): void {
    const next = new Map<string, AnchoredThread[]>();
    for (const th of threads) next.set(th.sectionId, [...(next.get(th.sectionId) ?? []), th]);
    bySection = next;
    for (const l of listeners) l();
  },
  of: (sectionId: string): readonly AnchoredThread[] => bySection.get(sectionId) ?? [],
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export const commentHighlightsKey = new PluginKey<DecorationSet>('concord-comment-highlights');

interface HighlightRange {
  from: number;
  to: number;
  threadId: string;
  group: AnchoredThread['group'];
}

/**
 * Commented words, drawn as decorations (never part of the shared document): recomputed from the anchors
 * with `tr.setMeta(commentHighlightsKey, ranges)`, mapped through every edit in between.
 */
export const CommentHighlights = Extension.create({
  name: 'commentHighlights',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: commentHighlightsKey,
        state: {
          init: () => DecorationSet.empty,
          apply(tr, set) {
            const ranges = tr.getMeta(commentHighlightsKey) as HighlightRange[] | undefined;
            if (!ranges) return set.map(tr.mapping, tr.doc);
            return DecorationSet.create(
              tr.doc,
              ranges.map((r) =>
                Decoration.inline(
                  r.from,
                  r.to,
                  {
                    class: r.group ? 'comment-highlight comment-highlight--group' : 'comment-highlight',
                    'data-thread-id': r.threadId,
                    'data-testid': 'comment-highlight',
                    ...(r.group ? { style: `--comment-tint: ${GROUP_COLOURS[r.group]}` } : {}),
                  },
                  { threadId: r.threadId },
                ),
              ),
            );
          },
        },
        props: {
          decorations: (state) => commentHighlightsKey.getState(state),
        },
      }),
    ];
  },
});

/** Starts of the commented ranges in an editor and their threads, in document order. */
export function commentStarts(editor: Editor): { from: number; threadId: string }[] {
  const set = commentHighlightsKey.getState(editor.state);
  return (set?.find() ?? [])
    .map((d) => ({ from: d.from, threadId: String((d.spec as { threadId?: string }).threadId ?? '') }))
    .filter((c) => c.threadId !== '')
    .sort((a, b) => a.from - b.from);
}

/**
 * Keeps an editor's highlights in step with its section's threads: recomputed when threads change and
 * after the text changes (the first sync brings the text the anchors point into), at most once a frame.
 */
export function bindCommentHighlights(editor: Editor, sectionId: string): () => void {
  let frame = 0;
  let last = '';
  const recompute = () => {
    frame = 0;
    if (editor.isDestroyed) return;
    const ranges: HighlightRange[] = [];
    for (const th of commentAnchors.of(sectionId)) {
      const range = rangeOfAnchor(editor, th.anchor);
      if (range) ranges.push({ ...range, threadId: th.id, group: th.group });
    }
    const key = JSON.stringify(ranges);
    if (key === last) return;
    last = key;
    editor.view.dispatch(editor.state.tr.setMeta(commentHighlightsKey, ranges).setMeta('addToHistory', false));
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(recompute);
  };
  const onUpdate = schedule;
  const unsubscribe = commentAnchors.subscribe(schedule);
  editor.on('update', onUpdate);
  schedule();
  return () => {
    if (frame) cancelAnimationFrame(frame);
    unsubscribe();
    editor.off('update', onUpdate);
  };
}
