import type { Editor } from '@tiptap/core';
import type { SectionConnection } from '../collab/SectionConnection';

/**
 * The live editors of the open sections, so that the review panel can read a selection (to anchor a
 * comment), resolve a thread's anchor and highlight a range, without owning the editors.
 */
export interface RegisteredEditor {
  editor: Editor;
  connection: SectionConnection;
}

/** The last non-empty selection made in a section's text: what "comment on the selected words" uses. */
export interface TextSelectionInfo {
  sectionId: string;
  from: number;
  to: number;
  text: string;
}

const editors = new Map<string, RegisteredEditor>();
const listeners = new Set<() => void>();
let selection: TextSelectionInfo | null = null;
/** Bumped when an editor comes or goes. */
let version = 0;
/** The suggestion (amendment id) the caret is in, if any: keyboard users get its details too. */
let caretSuggestion: { sectionId: string; id: string } | null = null;
/** Sections showing why a change was not kept: the caret's suggestion card stays out of its way there. */
const refusalsShown = new Set<string>();

function emit(): void {
  for (const l of listeners) l();
}

export const editorRegistry = {
  register(sectionId: string, entry: RegisteredEditor): () => void {
    editors.set(sectionId, entry);
    version++;
    emit();
    return () => {
      if (editors.get(sectionId) === entry) {
        editors.delete(sectionId);
        version++;
        emit();
      }
      if (selection?.sectionId === sectionId) {
        selection = null;
        emit();
      }
    };
  },
  getVersion: (): number => version,
  get(sectionId: string): RegisteredEditor | undefined {
    return editors.get(sectionId);
  },
  setSelection(next: TextSelectionInfo | null): void {
    if (
      next === selection ||
      (next &&
        selection &&
        next.sectionId === selection.sectionId &&
        next.from === selection.from &&
        next.to === selection.to &&
        next.text === selection.text)
    ) {
      return;
    }
    selection = next;
    emit();
  },
  getSelection: (): TextSelectionInfo | null => selection,
  setCaretSuggestion(next: { sectionId: string; id: string } | null): void {
    if (next?.id === caretSuggestion?.id && next?.sectionId === caretSuggestion?.sectionId) return;
    caretSuggestion = next;
    emit();
  },
  getCaretSuggestion: (): { sectionId: string; id: string } | null => caretSuggestion,
  setRefusalShown(sectionId: string, shown: boolean): void {
    if (shown === refusalsShown.has(sectionId)) return;
    if (shown) refusalsShown.add(sectionId);
    else refusalsShown.delete(sectionId);
    version++;
    emit();
  },
  isRefusalShown: (sectionId: string): boolean => refusalsShown.has(sectionId),
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
