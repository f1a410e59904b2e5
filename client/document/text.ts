import type { PMNode } from '../../shared/schema/index.js';

/** The words of a node, without footnote markers (as the server's plain text has them). */
export function plainText(node: PMNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'footnote') return '';
  if (node.type === 'figure') {
    const groups = (node.attrs?.groups ?? []) as { heading: string; items: string[] }[];
    return [String(node.attrs?.title ?? ''), ...groups.flatMap((g) => [g.heading, ...g.items])].join(' ');
  }
  const parts = (node.content ?? []).map(plainText);
  const inline = node.type === 'paragraph' || node.type === 'heading';
  return parts.join(inline ? '' : ' ');
}

export interface TextBlock {
  /** The Office's paragraph number, or null for headings and unnumbered text. */
  number: number | null;
  text: string;
}

/** A section's top-level blocks as searchable text, numbered paragraphs keeping their number. */
export function blocksOf(content: PMNode): TextBlock[] {
  return (content.content ?? []).map((block) => {
    const n = block.type === 'numberedParagraph' ? Number.parseInt(String(block.attrs?.number ?? ''), 10) : Number.NaN;
    return { number: Number.isNaN(n) ? null : n, text: plainText(block) };
  });
}

/** Case- and accent-insensitive form for matching French text typed without accents. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}
