import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import type { SectionContentResponse } from '../../shared/api.js';
import type { FootnoteInfo, SectionMeta } from '../../shared/document.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { type PMNode, documentSchema } from '../../shared/schema/index.js';

/**
 * Content as the schema knows it: unknown nodes, marks and attributes dropped, and top-level blocks
 * that still do not make a valid node left out. The guard keeps such content out of the text; this is
 * for older data, so that one bad node never makes a section unreadable for everyone.
 */
function readable(content: PMNode, skipped: string[]): { json: PMNode; node: ProseMirrorNode } {
  const schema = documentSchema();
  const clean = (node: PMNode, path: string): PMNode | null => {
    const type = schema.nodes[node.type];
    if (!type) {
      skipped.push(`${path}: unknown node ${JSON.stringify(node.type)}`);
      return null;
    }
    const out: PMNode = { type: node.type };
    if (node.attrs) {
      const known = type.spec.attrs ?? {};
      out.attrs = Object.fromEntries(Object.entries(node.attrs).filter(([k]) => Object.hasOwn(known, k)));
    }
    if (node.text !== undefined) out.text = node.text;
    if (node.marks) {
      out.marks = node.marks.flatMap((mark) => {
        const markType = schema.marks[mark.type];
        if (!markType) {
          skipped.push(`${path}: unknown mark ${JSON.stringify(mark.type)}`);
          return [];
        }
        const known = markType.spec.attrs ?? {};
        const attrs = Object.fromEntries(Object.entries(mark.attrs ?? {}).filter(([k]) => Object.hasOwn(known, k)));
        return [{ type: mark.type, attrs }];
      });
    }
    if (node.content) {
      out.content = node.content.flatMap((child, i) => {
        const kept = clean(child, `${path}/${i}`);
        return kept ? [kept] : [];
      });
    }
    return out;
  };
  const blocks: PMNode[] = [];
  const nodes: ProseMirrorNode[] = [];
  for (const [i, block] of (content.content ?? []).entries()) {
    const kept = clean(block, String(i));
    if (!kept) continue;
    try {
      const node = schema.nodeFromJSON(kept);
      node.check();
      blocks.push(kept);
      nodes.push(node);
    } catch (err) {
      skipped.push(`${i}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { json: { ...content, content: blocks }, node: schema.topNodeType.create(null, nodes) };
}

/** The live content of a section as the API returns it: ProseMirror JSON, plain text, footnotes. */
export function presentSection(
  meta: SectionMeta,
  doc: Y.Doc,
  log: (message: string) => void = (message) => console.warn(message),
): SectionContentResponse {
  const skipped: string[] = [];
  const { json: content, node } = readable(
    yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(SECTION_FRAGMENT)) as PMNode,
    skipped,
  );
  if (skipped.length > 0) log(`section ${meta.id}: skipped invalid content: ${skipped.join('; ')}`);
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
