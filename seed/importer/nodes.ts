import type { FigureGroup, PMNode } from '../../shared/schema/index.js';
import type { PlacedNote } from './types.js';

/** Text with its footnotes as inline nodes at their markers' places; never an empty text node. */
export function inlineContent(text: string, notes: PlacedNote[]): PMNode[] {
  const out: PMNode[] = [];
  let at = 0;
  for (const note of [...notes].sort((a, b) => a.offset - b.offset)) {
    const offset = Math.max(at, Math.min(note.offset, text.length));
    if (offset > at) out.push({ type: 'text', text: text.slice(at, offset) });
    out.push({ type: 'footnote', attrs: { marker: note.marker, text: note.text } });
    at = offset;
  }
  if (at < text.length) out.push({ type: 'text', text: text.slice(at) });
  return out;
}

/** A paragraph; empty text gives an empty paragraph, which the schema allows. */
export function paragraphNode(text: string, notes: PlacedNote[] = []): PMNode {
  const content = inlineContent(text, notes);
  return content.length > 0 ? { type: 'paragraph', content } : { type: 'paragraph' };
}

/** A heading of level 1-4 (the schema's range). */
export function headingNode(level: number, text: string): PMNode {
  return { type: 'heading', attrs: { level }, content: text === '' ? [] : [{ type: 'text', text }] };
}

/** A bullet item holding one paragraph. */
export function listItemNode(paragraph: PMNode): PMNode {
  return { type: 'listItem', content: [paragraph] };
}

/** An empty bullet list; items are pushed as they are read. */
export function bulletListNode(): PMNode & { content: PMNode[] } {
  return { type: 'bulletList', content: [] };
}

/** A numbered paragraph; its number is an attribute (a string, as the schema stores it). */
export function numberedParagraphNode(number: number, paragraph: PMNode): PMNode & { content: PMNode[] } {
  return { type: 'numberedParagraph', attrs: { number: String(number) }, content: [paragraph] };
}

/** A boxed text (encadré) with its title; blocks are pushed as they are read. */
export function boxNode(title: string): PMNode & { content: PMNode[] } {
  return { type: 'box', attrs: { title }, content: [] };
}

/** A figure atom with its structured rendering. */
export function figureNode(title: string, groups: FigureGroup[], note: string | null): PMNode {
  return { type: 'figure', attrs: { title, groups, note } };
}

/** The document of one section. */
export function docNode(blocks: PMNode[]): PMNode {
  return { type: 'doc', content: blocks };
}
