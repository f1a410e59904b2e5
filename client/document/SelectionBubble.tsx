import { useEffect, useState, useSyncExternalStore } from 'react';
import { useT } from '../i18n';
import { editorRegistry } from './editorRegistry';
import { COMMENT_EVENT, PROPOSE_EVENT } from './reviewKeys';
import { headerBottom } from './useCurrentSection';

/** Room the bubble needs above the selection; less than this under the header, it goes below. */
const BUBBLE_ROOM = 44;

/**
 * A small bubble over selected words with **Comment** (Ctrl+Alt+M does the same) and, for those who may
 * table amendments while the round takes them, **Propose an amendment** (Ctrl+Alt+P): the amendment form,
 * the selected words as those to replace or delete. It follows the selection while the page scrolls, and
 * keeps the selection: pressing it does not take the focus first.
 */
export function SelectionBubble({ canComment, canPropose }: { canComment: boolean; canPropose: boolean }) {
  const t = useT();
  const selection = useSyncExternalStore(editorRegistry.subscribe, editorRegistry.getSelection);
  const [, redraw] = useState(0);

  // Focus moving in or out of the text, and scrolling, move or hide the bubble.
  useEffect(() => {
    let frame = 0;
    const schedule = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          redraw((n) => n + 1);
        });
    };
    document.addEventListener('focusin', schedule);
    document.addEventListener('focusout', schedule);
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      if (frame) cancelAnimationFrame(frame);
      document.removeEventListener('focusin', schedule);
      document.removeEventListener('focusout', schedule);
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
    };
  }, []);

  const editor = selection ? editorRegistry.get(selection.sectionId)?.editor : undefined;
  if ((!canComment && !canPropose) || !selection || !editor || editor.isDestroyed || !editor.view.hasFocus()) return null;
  const { from, to } = editor.state.selection;
  if (from === to) return null;
  let start: { top: number; left: number };
  let end: { bottom: number; left: number };
  try {
    start = editor.view.coordsAtPos(from);
    end = editor.view.coordsAtPos(to);
  } catch {
    return null;
  }
  const above = start.top - BUBBLE_ROOM > headerBottom();
  const top = above ? start.top - BUBBLE_ROOM + 4 : end.bottom + 6;
  const width = canComment && canPropose ? 300 : 140;
  const left = Math.max(8, Math.min(window.innerWidth - width, above ? start.left : end.left));
  if (top < 0 || top > window.innerHeight) return null;
  return (
    <div className="selection-bubble" style={{ top, left }} data-testid="selection-bubble">
      {canComment && (
        <button
          type="button"
          className="button button--small"
          // Keep the editor's focus and selection: the comment form reads them.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => window.dispatchEvent(new CustomEvent(COMMENT_EVENT))}
          aria-keyshortcuts="Control+Alt+M"
        >
          {t('bubble.comment')}
        </button>
      )}
      {canPropose && (
        <button
          type="button"
          className="button button--small"
          data-testid="bubble-propose"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => window.dispatchEvent(new CustomEvent(PROPOSE_EVENT))}
          aria-keyshortcuts="Control+Alt+P"
        >
          {t('bubble.propose')}
        </button>
      )}
    </div>
  );
}
