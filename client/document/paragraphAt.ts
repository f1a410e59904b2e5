import { editorRegistry } from './editorRegistry';

/** The paragraph number around a position of a section's live editor. */
export function paragraphAt(sectionId: string, pos: number): number | null {
  const entry = editorRegistry.get(sectionId);
  if (!entry) return null;
  try {
    const $pos = entry.editor.state.doc.resolve(pos);
    for (let depth = $pos.depth; depth > 0; depth--) {
      const node = $pos.node(depth);
      if (node.type.name === 'numberedParagraph') {
        const n = Number.parseInt(String(node.attrs.number ?? ''), 10);
        return Number.isFinite(n) ? n : null;
      }
    }
  } catch {
    // A position of an older state: no paragraph.
  }
  return null;
}
