import type { Amendment } from '../../shared/amendments.js';
import type { DocumentOutline, SectionMeta } from '../../shared/document.js';
import type { FigureGroup } from '../../shared/schema/index.js';
import type { Thread } from '../../shared/threads.js';

/**
 * What every export reads: a document's live text as a small tree (sections → blocks → inline runs),
 * with each suggestion mark resolved to the amendment it belongs to and each visible comment thread
 * resolved to markers in the text. DOCX, the compilation and Akoma Ntoso are renderings of this tree.
 */

/** A suggestion on a run of text (or on a whole proposed paragraph). */
export interface Change {
  kind: 'ins' | 'del';
  amendmentId: string;
  /** Owner key: `government:France`, `employers`, `workers`, `secretariat`. */
  by: string;
}

export type Inline =
  | { type: 'text'; text: string; bold: boolean; italic: boolean; change: Change | null }
  | { type: 'break' }
  | { type: 'footnote'; marker: string; text: string }
  | { type: 'commentStart'; threadId: string }
  | { type: 'commentEnd'; threadId: string };

export interface TextBlock {
  type: 'paragraph';
  inlines: Inline[];
}

export interface ListBlock {
  type: 'list';
  /** Each item holds its own blocks (a paragraph, possibly a nested list). */
  items: Block[][];
}

export type Block = TextBlock | ListBlock;

export interface HeadingNode {
  type: 'heading';
  level: number;
  inlines: Inline[];
}

/** A numbered paragraph: the Office's (`proposed` null) or one proposed by an amendment (27bis). */
export interface NumberedNode {
  type: 'numbered';
  number: string;
  proposed: Change | null;
  blocks: Block[];
}

export interface BoxNode {
  type: 'box';
  title: string | null;
  blocks: Block[];
}

export interface FigureNode {
  type: 'figure';
  title: string;
  groups: FigureGroup[];
  note: string | null;
}

export type SectionNode = HeadingNode | NumberedNode | BoxNode | FigureNode | Block;

export interface SectionModel {
  meta: SectionMeta;
  nodes: SectionNode[];
}

/** Everything one export needs, already filtered for its reader. */
export interface ExportSource {
  outline: DocumentOutline;
  sections: SectionModel[];
  /** Every amendment of the document, by id (the ids carried by the marks). */
  amendments: Map<string, Amendment>;
  /** Threads the reader may see, with at least one comment, placed in the text (markers emitted). */
  threads: Thread[];
  /** When the export was made (ms). */
  generatedAt: number;
}

/** The inline runs of a block tree, in order (for plain-text readings). */
export function* inlinesOf(blocks: Block[]): Generator<Inline> {
  for (const block of blocks) {
    if (block.type === 'paragraph') yield* block.inlines;
    else for (const item of block.items) yield* inlinesOf(item);
  }
}

/** The official text of inline runs: proposed words left out, words proposed for deletion kept. */
export function officialText(inlines: Iterable<Inline>): string {
  let out = '';
  for (const inline of inlines) {
    // A line break is not text (as for `find` in server/amendments/textEdits.ts).
    if (inline.type === 'text' && inline.change?.kind !== 'ins') out += inline.text;
  }
  return out;
}

/** The paragraphs of a block tree as official text, one string per text block (list items included). */
export function officialBlocks(blocks: Block[]): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    if (block.type === 'paragraph') out.push(officialText(block.inlines));
    else for (const item of block.items) out.push(...officialBlocks(item));
  }
  return out;
}
