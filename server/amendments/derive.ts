import * as Y from 'yjs';
import type { AmendmentType } from '../../shared/amendments.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { paragraphNumber, paragraphSuggestion, segmentsOf, suggestionOfSegment } from './yText.js';

/** What the text says about one amendment: the fields of its record that come from the marks. */
export interface DerivedSuggestion {
  id: string;
  sectionId: string;
  /** Numbered paragraphs it touches, ascending; a proposed 27bis counts as 27. */
  paragraphs: number[];
  type: AmendmentType;
  /** Delete-marked official words; for a proposed paragraph, empty. */
  originalText: string;
  /** Insert-marked words, or the whole text of a proposed paragraph. */
  proposedText: string;
  by: string;
  author: string;
}

/** Separates non-adjacent pieces of one amendment (words in two places, or in two blocks). */
export const GAP = ' … ';

export interface Accumulator {
  id: string;
  by: string;
  author: string;
  paragraphs: Set<number>;
  paragraph: boolean;
  original: string[];
  proposed: string[];
  /** Blocks of a proposed paragraph, joined with a line break. */
  blocks: string[];
  /** Position (in the walk's run counter) of the last run of each kind, to tell adjacent runs apart. */
  lastOriginal: number;
  lastProposed: number;
}

function append(pieces: string[], last: number, position: number, text: string): void {
  if (pieces.length > 0 && last === position - 1) pieces[pieces.length - 1] += text;
  else pieces.push(text);
}

/**
 * What one top-level block of a section says: the pieces of each amendment in it, its paragraph
 * number and its official words. Readings of blocks merge into the section's amendments
 * ({@link mergeReadings}), so that a change re-reads only the blocks it touched.
 */
export interface BlockReading {
  pieces: Map<string, Accumulator>;
  /** The block's printed paragraph number; null for a heading or a block without one. */
  paragraph: number | null;
  /** Official words of the block (delete-marked ones included); empty for a proposed paragraph. */
  official: string;
}

function newAccumulator(id: string, by: string, author: string): Accumulator {
  return {
    id,
    by,
    author,
    paragraphs: new Set(),
    paragraph: false,
    original: [],
    proposed: [],
    blocks: [],
    lastOriginal: -9,
    lastProposed: -9,
  };
}

/** Reads one top-level block (see {@link BlockReading}). Footnote atoms are not text and break no run. */
export function readBlock(block: Y.XmlElement | Y.XmlText | Y.XmlHook): BlockReading {
  const found = new Map<string, Accumulator>();
  const official: string[] = [];
  // Counts runs of text in document order; a block boundary counts as one so that runs in two blocks are
  // never adjacent.
  let position = 0;
  let blockParagraph: number | null = null;

  function entry(id: string, by: string, author: string): Accumulator {
    let acc = found.get(id);
    if (!acc) {
      acc = newAccumulator(id, by, author);
      found.set(id, acc);
    }
    return acc;
  }

  function readText(child: Y.XmlText, paragraph: number | null, proposedBy: Accumulator | null): void {
    for (const segment of segmentsOf(child)) {
      position++;
      const mark = suggestionOfSegment(segment.attributes);
      if (proposedBy) {
        // Inside a proposed paragraph every word is proposed, whatever marks it carries.
        append(proposedBy.blocks, proposedBy.lastProposed, position, segment.insert);
        proposedBy.lastProposed = position;
        if (!mark || mark.attrs.id === proposedBy.id) continue;
      }
      if (!mark || mark.kind === 'delete') {
        if (!proposedBy) official.push(segment.insert);
      }
      if (!mark) continue;
      const acc = entry(mark.attrs.id, mark.attrs.by, mark.attrs.author);
      if (paragraph !== null) acc.paragraphs.add(paragraph);
      if (mark.kind === 'insert') {
        append(acc.proposed, acc.lastProposed, position, segment.insert);
        acc.lastProposed = position;
      } else {
        append(acc.original, acc.lastOriginal, position, segment.insert);
        acc.lastOriginal = position;
      }
    }
  }

  function readElement(child: Y.XmlElement, paragraph: number | null, proposedBy: Accumulator | null, top: boolean) {
    if (child.nodeName === 'footnote') return;
    let number = paragraph;
    let owner = proposedBy;
    if (child.nodeName === 'numberedParagraph') {
      number = paragraphNumber(child);
      const suggestion = paragraphSuggestion(child);
      if (suggestion) {
        owner = entry(suggestion.id, suggestion.by, suggestion.author);
        owner.paragraph = true;
        if (number !== null) owner.paragraphs.add(number);
      }
    } else if (child.nodeName === 'heading') {
      number = null;
    }
    if (top) blockParagraph = number;
    position++;
    for (const grandchild of child.toArray()) {
      if (grandchild instanceof Y.XmlText) readText(grandchild, number, owner);
      else if (grandchild instanceof Y.XmlElement) readElement(grandchild, number, owner, false);
    }
    position++;
  }

  if (block instanceof Y.XmlText) readText(block, null, null);
  else if (block instanceof Y.XmlElement) readElement(block, null, null, true);
  return { pieces: found, paragraph: blockParagraph, official: official.join('') };
}

/** The amendments of a section from the readings of its blocks, in document order. */
export function mergeReadings(readings: Iterable<BlockReading>, sectionId: string): Map<string, DerivedSuggestion> {
  const merged = new Map<string, Accumulator>();
  for (const reading of readings) {
    for (const piece of reading.pieces.values()) {
      let acc = merged.get(piece.id);
      if (!acc) {
        acc = newAccumulator(piece.id, piece.by, piece.author);
        merged.set(piece.id, acc);
      }
      for (const n of piece.paragraphs) acc.paragraphs.add(n);
      if (piece.paragraph) acc.paragraph = true;
      acc.original.push(...piece.original);
      acc.proposed.push(...piece.proposed);
      acc.blocks.push(...piece.blocks);
    }
  }
  const result = new Map<string, DerivedSuggestion>();
  for (const acc of merged.values()) {
    const hasOriginal = acc.original.length > 0;
    const hasProposed = acc.proposed.length > 0;
    let type: AmendmentType;
    if (acc.paragraph) type = 'paragraph';
    else if (hasOriginal && hasProposed) type = 'replace';
    else if (hasOriginal) type = 'delete';
    else type = 'insert';
    result.set(acc.id, {
      id: acc.id,
      sectionId,
      paragraphs: [...acc.paragraphs].sort((a, b) => a - b),
      type,
      originalText: acc.original.join(GAP),
      proposedText: acc.paragraph ? acc.blocks.join('\n') : acc.proposed.join(GAP),
      by: acc.by,
      author: acc.author,
    });
  }
  return result;
}

/**
 * Every amendment present in a section's document, by id: a pure reading of the suggestion marks and
 * proposed paragraphs. Runs of one amendment that follow each other are joined; pieces elsewhere are
 * joined with {@link GAP}.
 */
export function deriveSuggestions(doc: Y.Doc, sectionId: string): Map<string, DerivedSuggestion> {
  return mergeReadings(doc.getXmlFragment(SECTION_FRAGMENT).toArray().map(readBlock), sectionId);
}

/** The fields of a record that the text decides. */
export type DerivedContent = Pick<
  DerivedSuggestion,
  'sectionId' | 'paragraphs' | 'type' | 'originalText' | 'proposedText'
>;

/** True when two readings of one amendment say the same. */
export function sameContent(a: DerivedContent, b: DerivedContent): boolean {
  return (
    a.sectionId === b.sectionId &&
    a.type === b.type &&
    a.originalText === b.originalText &&
    a.proposedText === b.proposedText &&
    a.paragraphs.length === b.paragraphs.length &&
    a.paragraphs.every((n, i) => n === b.paragraphs[i])
  );
}
