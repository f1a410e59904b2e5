import { editorRegistry } from '../document/editorRegistry';
import { highlight, scrollToParagraph, scrollToSection } from '../document/jump';
import { reviewHighlightKey } from '../document/reviewHighlight';
import { rangeOfAnchor } from './anchoring';
import type { AmendmentRecord } from './amendmentsStore';
import type { ThreadRecord } from './threadsStore';

const HIGHLIGHT_MS = 2600;
/** How long to wait for a section far away to connect and draw its live text. */
const WAIT_MS = 3000;

function waitFor<T>(find: () => T | null | undefined, timeoutMs = WAIT_MS): Promise<T | null> {
  return new Promise((resolve) => {
    const started = performance.now();
    const tick = () => {
      const found = find();
      if (found) return resolve(found);
      if (performance.now() - started > timeoutMs) return resolve(null);
      requestAnimationFrame(tick);
    };
    tick();
  });
}

function markOf(sectionId: string, amendmentId: string): HTMLElement | null {
  const section = document.getElementById(`section-${sectionId}`);
  const selector = `.ProseMirror [data-amendment="${CSS.escape(amendmentId)}"], .ProseMirror [data-suggestion-attrs*='"id":"${CSS.escape(amendmentId)}"']`;
  return section?.querySelector<HTMLElement>(selector) ?? null;
}

/** Scrolls the text to an amendment's words and highlights them (or to its paragraph once decided). */
export async function showAmendment(amendment: AmendmentRecord): Promise<void> {
  const paragraph = amendment.paragraphs[0];
  const already = markOf(amendment.sectionId, amendment.id);
  if (!already) {
    if (paragraph === undefined || !scrollToParagraph(paragraph)) scrollToSection(amendment.sectionId);
  }
  if (amendment.status !== 'proposed' && amendment.status !== 'withdrawn' && !already) return;
  const mark = already ?? (await waitFor(() => markOf(amendment.sectionId, amendment.id)));
  if (!mark) return;
  mark.scrollIntoView({ block: 'center' });
  const id = CSS.escape(amendment.id);
  highlight(`.ProseMirror [data-amendment="${id}"], .ProseMirror [data-suggestion-attrs*='"id":"${id}"']`);
}

let clearTimer: ReturnType<typeof setTimeout> | null = null;

/** Scrolls the text to a thread's words (or paragraph, or amendment) and highlights them. */
export async function showThread(thread: ThreadRecord, amendment: AmendmentRecord | undefined): Promise<void> {
  if (thread.anchor) {
    const anchor = thread.anchor;
    if (!editorRegistry.get(thread.sectionId)) {
      if (thread.paragraph === null || !scrollToParagraph(thread.paragraph)) scrollToSection(thread.sectionId);
    }
    const found = await waitFor(() => {
      const entry = editorRegistry.get(thread.sectionId);
      if (!entry) return null;
      const range = rangeOfAnchor(entry.editor, anchor);
      return range ? { entry, range } : null;
    });
    if (found) {
      const { editor } = found.entry;
      const { node } = editor.view.domAtPos(found.range.from);
      (node instanceof HTMLElement ? node : node.parentElement)?.scrollIntoView({ block: 'center' });
      editor.view.dispatch(editor.state.tr.setMeta(reviewHighlightKey, found.range));
      if (clearTimer) clearTimeout(clearTimer);
      clearTimer = setTimeout(() => {
        if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(reviewHighlightKey, null));
      }, HIGHLIGHT_MS);
      return;
    }
  }
  if (amendment) return showAmendment(amendment);
  if (thread.paragraph !== null && scrollToParagraph(thread.paragraph)) return;
  scrollToSection(thread.sectionId);
}
