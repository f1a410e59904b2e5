import { DOMSerializer, Node as PMNodeClass } from '@tiptap/pm/model';
import { useLayoutEffect, useRef } from 'react';
import { type PMNode, documentSchema } from '../../shared/schema/index.js';

/**
 * A section's text rendered through the document schema without an editor: what sections far from the
 * viewport show, and what a connecting section shows until its editor has drawn the same text (so
 * nothing moves when it swaps). The DOM serializer escapes text; no HTML string is ever parsed.
 */
export function StaticSection({ content, lang, label }: { content: PMNode; lang: string | undefined; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const schema = documentSchema();
    try {
      const node = PMNodeClass.fromJSON(schema, content);
      element.replaceChildren(DOMSerializer.fromSchema(schema).serializeFragment(node.content));
    } catch {
      element.textContent = '';
    }
  }, [content]);
  return <div ref={ref} className="doc-text doc-text--static" lang={lang} aria-label={label} role="document" />;
}
