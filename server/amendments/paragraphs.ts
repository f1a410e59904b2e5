import * as Y from 'yjs';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { ParagraphText } from '../../shared/versions.js';
import { blocksOf, mapParagraph } from './textEdits.js';
import { paragraphSuggestion, suggestionOfSegment } from './yText.js';

/**
 * Reading a section paragraph by paragraph: the official text of each numbered paragraph (what versions
 * freeze and compare, and what the Office's desk shows), the text as if every pending amendment were
 * accepted (the revised preview), and where each amendment stands in its paragraph (to tell rivals).
 */

/** Every numbered paragraph of a section, in document order, with whether it is a proposed one (27bis). */
export function numberedParagraphs(doc: Y.Doc): Y.XmlElement[] {
  const found: Y.XmlElement[] = [];
  function walk(node: Y.XmlFragment | Y.XmlElement): void {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName === 'numberedParagraph') found.push(child);
      else walk(child);
    }
  }
  walk(doc.getXmlFragment(SECTION_FRAGMENT));
  return found;
}

function label(el: Y.XmlElement): string {
  return String(el.getAttribute('number') ?? '');
}

/**
 * The text of each numbered paragraph. `official`: pending suggestions left out (inserted words and
 * proposed paragraphs dropped, words proposed for deletion kept). `pending`: as if every pending
 * amendment were accepted. Blocks of a paragraph (its bullets) are joined with a line break.
 */
export function paragraphTexts(doc: Y.Doc, sectionId: string, mode: 'official' | 'pending'): ParagraphText[] {
  const out: ParagraphText[] = [];
  for (const el of numberedParagraphs(doc)) {
    const proposed = paragraphSuggestion(el) !== null;
    if (proposed && mode === 'official') continue;
    const text = blocksOf(el)
      .map((block) =>
        block
          .filter((run) => {
            const kind = suggestionOfSegment(run.attributes)?.kind;
            return mode === 'official' ? kind !== 'insert' : kind !== 'delete';
          })
          .map((run) => run.value)
          .join(''),
      )
      .join('\n');
    out.push({ number: label(el), sectionId, text });
  }
  return out;
}

/** Where an amendment stands in a paragraph's official text: [from, to) (from === to for an insertion). */
export interface AmendmentSpan {
  /** The paragraph as printed; a proposed 27bis counts under the paragraph it follows. */
  paragraph: string;
  from: number;
  to: number;
}

/**
 * Each amendment's span in official-text offsets of its paragraph. A proposed paragraph (27bis) stands
 * at the end of the paragraph it follows, so two proposed after the same paragraph are rivals. An
 * amendment in several places gets the span that covers them all.
 */
export function amendmentSpans(doc: Y.Doc): Map<string, AmendmentSpan> {
  const spans = new Map<string, AmendmentSpan>();
  const widen = (id: string, paragraph: string, from: number, to: number) => {
    const span = spans.get(id);
    if (!span) spans.set(id, { paragraph, from, to });
    else if (span.paragraph === paragraph) {
      span.from = Math.min(span.from, from);
      span.to = Math.max(span.to, to);
    }
  };
  let previous: { label: string; length: number } | null = null;
  for (const el of numberedParagraphs(doc)) {
    const suggestion = paragraphSuggestion(el);
    if (suggestion) {
      if (previous) widen(suggestion.id, previous.label, previous.length, previous.length);
      continue;
    }
    const { official, runs } = mapParagraph(el);
    let officialEnd = 0;
    for (const run of runs) {
      const mark = suggestionOfSegment(run.attributes);
      if (run.official >= 0) {
        officialEnd = run.official + run.length;
        if (mark) widen(mark.attrs.id, label(el), run.official, officialEnd);
      } else if (mark) widen(mark.attrs.id, label(el), officialEnd, officialEnd);
    }
    previous = { label: label(el), length: official.length };
  }
  return spans;
}

/**
 * Two spans that act on the same words of a paragraph: rival amendments, alternatives to each other.
 * Ranges clash when they share words; an insertion clashes with a range it falls in or at either end
 * of, and with another insertion at the same place.
 */
export function spansClash(a: AmendmentSpan, b: AmendmentSpan): boolean {
  if (a.paragraph !== b.paragraph) return false;
  if (a.from === a.to || b.from === b.to) return a.from <= b.to && b.from <= a.to;
  return a.from < b.to && b.from < a.to;
}
