import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import type { SectionContentResponse } from '../../shared/api.js';
import type { FootnoteInfo, SectionMeta } from '../../shared/document.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { type PMNode, documentSchema } from '../../shared/schema/index.js';

/** The live content of a section as the API returns it: ProseMirror JSON, plain text, footnotes. */
export function presentSection(meta: SectionMeta, doc: Y.Doc): SectionContentResponse {
  const content = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(SECTION_FRAGMENT)) as PMNode;
  const node = documentSchema().nodeFromJSON(content);
  const footnotes: FootnoteInfo[] = [];
  let paragraph: number | null = null;
  node.descendants((child) => {
    if (child.type.name === 'numberedParagraph') {
      const n = Number.parseInt(String(child.attrs.number), 10);
      paragraph = Number.isNaN(n) ? null : n;
    } else if (child.type.name === 'heading') {
      paragraph = null;
    } else if (child.type.name === 'footnote') {
      footnotes.push({ marker: String(child.attrs.marker), text: String(child.attrs.text), paragraph });
    }
    return true;
  });
  return {
    id: meta.id,
    label: meta.label,
    title: meta.title,
    content,
    text: node.textBetween(0, node.content.size, '\n\n', ''),
    footnotes,
  };
}
