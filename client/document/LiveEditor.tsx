import type { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { EditorState } from '@tiptap/pm/state';
import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect } from 'react';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { PMNode } from '../../shared/schema/index.js';
import { SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';
import type { SectionConnection } from '../collab/SectionConnection';
import { Suggesting } from '../suggesting/SuggestingExtension';
import type { SuggestIdentity } from '../suggesting/suggestTransaction';
import { readCaret } from './caretKeeper';
import { editorRegistry } from './editorRegistry';
import { editorExtensions } from './extensions';
import { ReviewHighlight } from './reviewHighlight';
import { CommentHighlights, bindCommentHighlights } from './commentHighlights';
import { ReviewKeys } from './reviewKeys';

export interface LiveEditorProps {
  connection: SectionConnection;
  /** Changes when the connection replaced its Y.Doc after a refusal: the editor is rebuilt on the new one. */
  generation: number;
  sectionId: string;
  editable: boolean;
  /**
   * Who the user suggests as, read at every edit (so the Office's toggle applies at once); null: the
   * edit goes straight into the text (the Office editing directly).
   */
  suggestIdentity: () => SuggestIdentity | null;
  /** Name and group colour drawn on this person's caret for the others (the server has the last word). */
  caretUser: { name: string; color: string };
  lang: string;
  label: string;
  onReady: () => void;
  onFocus: () => void;
}

/** The amendment id of the suggestion at the caret: a suggestion mark, or a proposed paragraph. */
function suggestionAtCaret(state: EditorState): string | null {
  const { $head } = state.selection;
  const candidates = [...$head.marks(), ...($head.nodeAfter?.marks ?? []), ...($head.nodeBefore?.marks ?? [])];
  for (const mark of candidates) {
    if (mark.type.name === SUGGEST_INSERT || mark.type.name === SUGGEST_DELETE) return String(mark.attrs.id ?? '') || null;
  }
  for (let depth = $head.depth; depth > 0; depth--) {
    const node = $head.node(depth);
    const attrs = node.attrs.suggestion as { id?: string } | null | undefined;
    if (node.type.name === 'numberedParagraph' && attrs?.id) return attrs.id;
  }
  return null;
}

/**
 * The TipTap editor of one section, bound to its Y.Doc. Everyone gets the caret extension, so observers
 * see the others' carets too (the server never relays an observer's own presence); delegates' edits go
 * through the Suggesting extension and become tracked suggestions of their group or State.
 */
export function LiveEditor(props: LiveEditorProps) {
  const { connection, generation, sectionId, editable, caretUser, lang, label, onReady, onFocus, suggestIdentity } = props;
  const editor = useEditor(
    {
      extensions: [
        ...editorExtensions(),
        Collaboration.configure({ document: connection.doc, field: SECTION_FRAGMENT, onFirstRender: onReady }),
        CollaborationCaret.configure({ provider: connection.provider, user: caretUser }),
        ReviewHighlight,
        CommentHighlights,
        ReviewKeys,
        ...(editable ? [Suggesting.configure({ identity: suggestIdentity })] : []),
      ],
      editable,
      // The screen owns the Tab order of the text: only the current section's editor is a Tab stop.
      enableCoreExtensions: { tabindex: false },
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
      editorProps: {
        attributes: {
          class: 'doc-text doc-text--live',
          lang,
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': label,
          'aria-readonly': editable ? 'false' : 'true',
          spellcheck: 'false',
        },
      },
      onFocus,
    },
    [connection, generation, editable],
  );

  useEffect(() => {
    if (!editor) return;
    const unregister = editorRegistry.register(sectionId, { editor, connection });
    const unbindComments = bindCommentHighlights(editor, sectionId);
    const onSelection = ({ editor: e }: { editor: Editor }) => {
      const { from, to, empty } = e.state.selection;
      if (empty) {
        if (editorRegistry.getSelection()?.sectionId === sectionId) editorRegistry.setSelection(null);
      } else {
        editorRegistry.setSelection({ sectionId, from, to, text: e.state.doc.textBetween(from, to, ' ') });
      }
      const id = e.isFocused ? suggestionAtCaret(e.state) : null;
      if (id) editorRegistry.setCaretSuggestion({ sectionId, id });
      else if (editorRegistry.getCaretSuggestion()?.sectionId === sectionId) editorRegistry.setCaretSuggestion(null);
    };
    const onBlur = () => {
      if (editorRegistry.getCaretSuggestion()?.sectionId === sectionId) editorRegistry.setCaretSuggestion(null);
    };
    // Read at the moment a refused change drops this doc: where the explanation goes, where the caret returns.
    const probe = () => {
      connection.placeholder = editor.getJSON() as PMNode;
      return readCaret(editor);
    };
    connection.caretProbe = probe;
    editor.on('selectionUpdate', onSelection);
    editor.on('focus', onSelection);
    editor.on('blur', onBlur);
    return () => {
      editor.off('selectionUpdate', onSelection);
      editor.off('focus', onSelection);
      editor.off('blur', onBlur);
      if (connection.caretProbe === probe) connection.caretProbe = null;
      unbindComments();
      unregister();
    };
  }, [editor, sectionId, connection]);

  return <EditorContent editor={editor} />;
}
