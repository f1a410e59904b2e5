import { type Editor, Extension } from '@tiptap/core';
import { SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';
import { commentStarts } from './commentHighlights';
import { editorRegistry } from './editorRegistry';
import { JUMPED_EVENT } from './useCurrentSection';

/** Asks the screen to comment on the current selection (Ctrl+Alt+M, or the selection bubble). */
export const COMMENT_EVENT = 'concord:comment-selection';
/** Asks the screen to propose an amendment of the selected words (Ctrl+Alt+P, or the selection bubble). */
export const PROPOSE_EVENT = 'concord:propose-selection';
/** Asks the screen to bring a thread's or an amendment's card into view. */
export const REVEAL_EVENT = 'concord:reveal';

export interface RevealDetail {
  kind: 'thread' | 'amendment';
  id: string;
  sectionId: string;
  /** From a click in the text: on narrow screens a closed panel stays closed for suggestions (it would cover the text being edited). */
  fromClick: boolean;
}

export function reveal(detail: RevealDetail): void {
  window.dispatchEvent(new CustomEvent<RevealDetail>(REVEAL_EVENT, { detail }));
}

interface Stop {
  pos: number;
  kind: 'thread' | 'amendment';
  id: string;
}

/** Where each suggestion and each commented range starts, in document order. */
function stopsOf(editor: Editor): Stop[] {
  const stops: Stop[] = [];
  let previous = '';
  editor.state.doc.descendants((node, pos) => {
    const paragraphSuggestion = (node.attrs.suggestion as { id?: string } | null | undefined)?.id;
    if (node.type.name === 'numberedParagraph' && paragraphSuggestion) {
      stops.push({ pos: pos + 1, kind: 'amendment', id: paragraphSuggestion });
      previous = paragraphSuggestion;
      return true;
    }
    if (!node.isText) return true;
    const mark = node.marks.find((m) => m.type.name === SUGGEST_INSERT || m.type.name === SUGGEST_DELETE);
    const id = mark ? String(mark.attrs.id ?? '') : '';
    if (id && id !== previous) stops.push({ pos, kind: 'amendment', id });
    previous = id;
    return false;
  });
  for (const c of commentStarts(editor)) stops.push({ pos: c.from, kind: 'thread', id: c.threadId });
  // A range over several paragraphs is several decorations: one stop per thread or amendment in a row.
  return stops
    .sort((a, b) => a.pos - b.pos)
    .filter((s, i, all) => i === 0 || s.id !== all[i - 1]?.id || s.kind !== all[i - 1]?.kind);
}

/** The section ids with a live editor, in reading order. */
function sectionsInOrder(): string[] {
  return [...document.querySelectorAll<HTMLElement>('main [data-section-id]')].map((e) => e.dataset.sectionId ?? '');
}

/** Moves the caret to the next (or previous) suggestion or comment, into the following sections' editors if need be. */
function goToStop(editor: Editor, sectionId: string, direction: 1 | -1): boolean {
  const head = editor.state.selection.head;
  const here = stopsOf(editor);
  const next = direction === 1 ? here.find((s) => s.pos > head) : [...here].reverse().find((s) => s.pos < head);
  if (next) return land(editor, sectionId, next);
  const order = sectionsInOrder();
  for (let i = order.indexOf(sectionId) + direction; i >= 0 && i < order.length; i += direction) {
    const id = order[i] as string;
    const other = editorRegistry.get(id)?.editor;
    if (!other) continue;
    const stops = stopsOf(other);
    const stop = direction === 1 ? stops[0] : stops[stops.length - 1];
    if (stop) return land(other, id, stop);
  }
  return true;
}

function land(editor: Editor, sectionId: string, stop: Stop): boolean {
  editor.chain().focus(undefined, { scrollIntoView: false }).setTextSelection(stop.pos).scrollIntoView().run();
  reveal({ kind: stop.kind, id: stop.id, sectionId, fromClick: false });
  return true;
}

/** Moves to the next (or previous) section's text: its editor when connected, else the section itself. */
export function goToSection(sectionId: string, direction: 1 | -1): boolean {
  const order = sectionsInOrder();
  const target = order[order.indexOf(sectionId) + direction];
  if (!target) return true;
  const element = document.getElementById(`section-${target}`);
  element?.scrollIntoView({ block: 'start' });
  // The reader asked for that section: it stays current even where it cannot reach the top, or sections
  // above connecting their editors nudge it below the reading line.
  window.dispatchEvent(new CustomEvent(JUMPED_EVENT, { detail: target }));
  const other = editorRegistry.get(target)?.editor;
  if (other) other.chain().focus('start', { scrollIntoView: false }).run();
  else if (element) {
    element.setAttribute('tabindex', '-1');
    element.focus({ preventScroll: true });
  }
  return true;
}

function sectionOf(editor: Editor): string | null {
  return (editor.view.dom.closest('[data-section-id]') as HTMLElement | null)?.dataset.sectionId ?? null;
}

/**
 * Review keys in the text: Alt+↓/↑ next/previous suggestion or comment, Ctrl+Alt+↓/↑ next/previous
 * section, Ctrl+Alt+M comment on the selection, Ctrl+Alt+P propose an amendment of it (the screen
 * ignores either when the reader may not).
 */
export const ReviewKeys = Extension.create({
  name: 'reviewKeys',
  addKeyboardShortcuts() {
    const within = (run: (sectionId: string) => boolean) => () => {
      const sectionId = sectionOf(this.editor);
      return sectionId ? run(sectionId) : false;
    };
    return {
      'Alt-ArrowDown': within((id) => goToStop(this.editor, id, 1)),
      'Alt-ArrowUp': within((id) => goToStop(this.editor, id, -1)),
      'Ctrl-Alt-ArrowDown': within((id) => goToSection(id, 1)),
      'Ctrl-Alt-ArrowUp': within((id) => goToSection(id, -1)),
      'Ctrl-Alt-m': () => {
        if (this.editor.state.selection.empty) return false;
        window.dispatchEvent(new CustomEvent(COMMENT_EVENT));
        return true;
      },
      'Ctrl-Alt-p': () => {
        if (this.editor.state.selection.empty) return false;
        window.dispatchEvent(new CustomEvent(PROPOSE_EVENT));
        return true;
      },
    };
  },
});
