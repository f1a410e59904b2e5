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

interface Accumulator {
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
 * Every amendment present in a section's document, by id: a pure reading of the suggestion marks and
 * proposed paragraphs. Runs of one amendment that follow each other are joined; pieces elsewhere are
 * joined with {@link GAP}. Footnote atoms are not text and do not break a run.
 */
export function deriveSuggestions(doc: Y.Doc, sectionId: string): Map<string, DerivedSuggestion> {
  const found = new Map<string, Accumulator>();
  // Counts runs of text in document order; a block boundary counts as one so that runs in two blocks are
  // never adjacent.
  let position = 0;

  function entry(id: string, by: string, author: string): Accumulator {
    let acc = found.get(id);
    if (!acc) {
      acc = {
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
      found.set(id, acc);
    }
    return acc;
  }

  function walk(node: Y.XmlElement | Y.XmlFragment, paragraph: number | null, proposedBy: Accumulator | null): void {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        for (const segment of segmentsOf(child)) {
          position++;
          const mark = suggestionOfSegment(segment.attributes);
          if (proposedBy) {
            // Inside a proposed paragraph every word is proposed, whatever marks it carries.
            append(proposedBy.blocks, proposedBy.lastProposed, position, segment.insert);
            proposedBy.lastProposed = position;
            if (!mark || mark.attrs.id === proposedBy.id) continue;
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
      } else if (child instanceof Y.XmlElement) {
        if (child.nodeName === 'footnote') continue;
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
        position++;
        walk(child, number, owner);
        position++;
      }
    }
  }

  walk(doc.getXmlFragment(SECTION_FRAGMENT), null, null);

  const result = new Map<string, DerivedSuggestion>();
  for (const acc of found.values()) {
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
