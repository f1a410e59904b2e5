import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { documentExtensions } from '../../shared/schema/index.js';
import type { SectionConnection } from '../collab/SectionConnection';

export interface LiveEditorProps {
  connection: SectionConnection;
  editable: boolean;
  /** Name and group colour drawn on this person's caret for the others (the server has the last word). */
  caretUser: { name: string; color: string };
  lang: string;
  label: string;
  onReady: () => void;
  onFocus: () => void;
}

/**
 * The TipTap editor of one section, bound to its Y.Doc. Observers get the text without the caret
 * extension: they have no caret to show and set no cursor in their presence state.
 */
export function LiveEditor({ connection, editable, caretUser, lang, label, onReady, onFocus }: LiveEditorProps) {
  const editor = useEditor(
    {
      extensions: [
        ...documentExtensions(),
        Collaboration.configure({ document: connection.doc, field: SECTION_FRAGMENT, onFirstRender: onReady }),
        ...(editable ? [CollaborationCaret.configure({ provider: connection.provider, user: caretUser })] : []),
      ],
      editable,
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
      editorProps: {
        attributes: {
          class: 'doc-text doc-text--live',
          lang,
          'aria-label': label,
          'aria-readonly': editable ? 'false' : 'true',
          spellcheck: 'false',
        },
      },
      onFocus,
    },
    [connection, editable],
  );
  return <EditorContent editor={editor} />;
}
