import type { RefusalParams, RefusalReasonCode } from '../../shared/refusals.js';
import * as Y from 'yjs';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { SUGGEST_DELETE, SUGGEST_INSERT, type SuggestionAttrs } from '../../shared/suggestions.js';
import { paragraphSuggestion, plainFormatting, segmentsOf, suggestionOfSegment } from './yText.js';

/**
 * The server's own edits of a section's text, run through `room.submitServerChange` so that they are
 * stored, applied and relayed in order like anyone's: deciding an amendment, and placing one by form.
 */

export interface Run {
  text: Y.XmlText;
  /** Index of the run in its Y.XmlText. */
  index: number;
  length: number;
  value: string;
  attributes: Record<string, unknown> | undefined;
}

/** Every run of text and every element under the fragment, in document order. */
export function collect(root: Y.XmlFragment | Y.XmlElement, runs: Run[], elements: Y.XmlElement[]): void {
  for (const child of root.toArray()) {
    if (child instanceof Y.XmlText) {
      let index = 0;
      for (const segment of segmentsOf(child)) {
        runs.push({
          text: child,
          index,
          length: segment.insert.length,
          value: segment.insert,
          attributes: segment.attributes,
        });
        index += segment.insert.length;
      }
    } else if (child instanceof Y.XmlElement) {
      elements.push(child);
      collect(child, runs, elements);
    }
  }
}

/**
 * Applies a text edit per run, last run first within each Y.XmlText, so that the indexes of the runs not
 * yet edited stay valid.
 */
function editRuns(runs: Run[], edit: (run: Run) => boolean): boolean {
  let changed = false;
  for (let i = runs.length - 1; i >= 0; i--) {
    if (edit(runs[i] as Run)) changed = true;
  }
  return changed;
}

function removeElement(el: Y.XmlElement): void {
  const parent = el.parent;
  if (!(parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment)) return;
  const index = parent.toArray().indexOf(el);
  if (index >= 0) parent.delete(index, 1);
}

/**
 * Accepts amendment `id` into the official text: its delete-marked words go, its inserted words lose
 * their mark, and a paragraph it proposed becomes an ordinary one. False when the text holds nothing of it.
 */
export function acceptSuggestion(doc: Y.Doc, id: string): boolean {
  return settleSuggestion(doc, id, 'accept');
}

/**
 * Takes amendment `id` out of the text (rejected or withdrawn): its inserted words and proposed
 * paragraphs go, its delete marks are dropped. False when the text holds nothing of it.
 */
export function removeSuggestion(doc: Y.Doc, id: string): boolean {
  return settleSuggestion(doc, id, 'remove');
}

/** Accepting and removing are mirror images: which kind of marked words goes, which loses its mark. */
function settleSuggestion(doc: Y.Doc, id: string, outcome: 'accept' | 'remove'): boolean {
  const goes = outcome === 'accept' ? 'delete' : 'insert';
  const runs: Run[] = [];
  const elements: Y.XmlElement[] = [];
  collect(doc.getXmlFragment(SECTION_FRAGMENT), runs, elements);
  let changed = editRuns(runs, (run) => {
    const mark = suggestionOfSegment(run.attributes);
    if (mark?.attrs.id !== id) return false;
    if (mark.kind === goes) run.text.delete(run.index, run.length);
    else run.text.format(run.index, run.length, { [mark.key]: null });
    return true;
  });
  for (const el of elements) {
    // Outermost first: removing a proposed paragraph removes whatever it holds.
    if (paragraphSuggestion(el)?.id !== id || el.parent === null) continue;
    if (outcome === 'accept') el.removeAttribute('suggestion');
    else removeElement(el);
    changed = true;
  }
  return changed;
}

/** Why an amendment by form cannot be placed: a 400 (the request does not fit the text) or a 409. */
export class PlacementError extends Error {
  constructor(
    readonly status: 400 | 409,
    message: string,
    /** For a 409: the amendment whose marks are in the way. */
    readonly conflictingId: string | null = null,
    /** For a 409 without one: which refusal it is, for clients to word (shared/refusals.ts). */
    readonly why: { code: RefusalReasonCode; params?: RefusalParams } | null = null,
  ) {
    super(message);
  }
}

export interface PlacementRequest {
  paragraph: number;
  op: 'insert' | 'delete' | 'replace';
  find: string;
  text?: string | undefined;
  attrs: SuggestionAttrs;
  /**
   * Official offset of `find` in the paragraph, when the caller knows it (a draft's anchor): then `find`
   * must stand there, and may occur elsewhere too.
   */
  at?: number | undefined;
}

/** A run of the paragraph's text with its offset in the official text (-1: proposed words, not official). */
export interface MappedRun extends Run {
  official: number;
}

export function findParagraph(root: Y.XmlFragment | Y.XmlElement, number: string): Y.XmlElement | null {
  for (const child of root.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.nodeName === 'numberedParagraph') {
      if (String(child.getAttribute('number') ?? '') === number && !paragraphSuggestion(child)) return child;
      continue;
    }
    const inside = findParagraph(child, number);
    if (inside) return inside;
  }
  return null;
}

/** The blocks (paragraphs and headings) of a numbered paragraph, each as its runs of text. */
export function blocksOf(paragraph: Y.XmlElement): Run[][] {
  const blocks: Run[][] = [];
  function walk(el: Y.XmlElement): void {
    for (const child of el.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName === 'paragraph' || child.nodeName === 'heading') {
        const block: Run[] = [];
        collect(child, block, []);
        blocks.push(block);
      } else walk(child);
    }
  }
  walk(paragraph);
  return blocks;
}

/**
 * The paragraph's official text and where each run of it sits: insert-marked words are skipped (they
 * are proposals), delete-marked words count (they are still official), footnotes are not text, and
 * blocks (the paragraph and its bullets) are joined with a line break so `find` never spans two.
 */
export function mapParagraph(paragraph: Y.XmlElement): { official: string; runs: MappedRun[] } {
  const blocks = blocksOf(paragraph);
  const mapped: MappedRun[] = [];
  let official = '';
  blocks.forEach((block, i) => {
    if (i > 0) official += '\n';
    for (const run of block) {
      const mark = suggestionOfSegment(run.attributes);
      if (mark?.kind === 'insert') {
        mapped.push({ ...run, official: -1 });
        continue;
      }
      mapped.push({ ...run, official: official.length });
      official += run.value;
    }
  });
  return { official, runs: mapped };
}

function countOccurrences(haystack: string, needle: string): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    if (first < 0) first = at;
    count++;
  }
  return { count, first };
}

function quote(text: string): string {
  return text.length > 60 ? `“${text.slice(0, 57)}…”` : `“${text}”`;
}

interface Covered {
  run: MappedRun;
  from: number;
  to: number;
}

/**
 * The runs that official offsets [start, end) cover. A deletion or replacement may not overlap another
 * amendment: no words of the range proposed for deletion by it, no words proposed by it inside the
 * range. An insertion only anchors on the range, and may not split another amendment's deletion.
 */
function checkRange(
  runs: MappedRun[],
  start: number,
  end: number,
  request: PlacementRequest,
): { covered: Covered[] } | null {
  const own = request.attrs.id;
  const marking = request.op !== 'insert';
  const covered: Covered[] = [];
  let officialEnd = 0;
  let after: MappedRun | null = null;
  for (const run of runs) {
    const mark = suggestionOfSegment(run.attributes);
    const other = mark && mark.attrs.id !== own ? mark.attrs.id : null;
    if (run.official < 0) {
      if (marking && other && officialEnd > start && officialEnd < end) {
        throw new PlacementError(
          409,
          `The words ${quote(request.find)} hold words proposed by another amendment; amend that one or choose other words.`,
          other,
        );
      }
      continue;
    }
    officialEnd = run.official + run.length;
    if (after === null && run.official + run.length > end) after = run;
    const from = Math.max(start, run.official);
    const to = Math.min(end, run.official + run.length);
    if (from >= to) continue;
    if (marking && other) {
      throw new PlacementError(
        409,
        `The words ${quote(request.find)} are already proposed for deletion by another amendment.`,
        other,
      );
    }
    covered.push({ run, from, to });
  }
  const last = covered.at(-1);
  if (!last) return null;
  if (!marking) {
    // Inserting between two words that another amendment deletes would split its deletion.
    const before = suggestionOfSegment(last.run.attributes);
    const next = after ? suggestionOfSegment(after.attributes) : null;
    if (
      before?.kind === 'delete' &&
      next?.kind === 'delete' &&
      before.attrs.id === next.attrs.id &&
      before.attrs.id !== own
    ) {
      throw new PlacementError(
        409,
        `The words after ${quote(request.find)} are proposed for deletion by another amendment; insert before or after them.`,
        before.attrs.id,
      );
    }
  }
  return { covered };
}

/**
 * Where to insert after official offset `to` inside `run`. When `find` ends with words another
 * amendment replaces, the insertion goes after that amendment's new words, not between its deletion
 * and its insertion — which would cut it in two (as the suggesting editor does too).
 */
function insertionIndex(runs: MappedRun[], run: MappedRun, to: number): number {
  let index = run.index + (to - run.official);
  const ending = suggestionOfSegment(run.attributes);
  if (to !== run.official + run.length || ending?.kind !== 'delete') return index;
  for (let i = runs.indexOf(run) + 1; i < runs.length; i++) {
    const next = runs[i] as MappedRun;
    const mark = suggestionOfSegment(next.attributes);
    if (next.text !== run.text || next.official >= 0 || mark?.kind !== 'insert' || mark.attrs.id !== ending.attrs.id)
      break;
    index = next.index + next.length;
  }
  return index;
}

/**
 * Places an amendment by form as if its author had typed it: `find` must occur exactly once in the
 * official text of paragraph `paragraph`; delete marks it, insert adds `text` right after it, replace
 * does both under one id. Refuses a range that touches another amendment's marks. Throws
 * {@link PlacementError}; returns true once placed.
 */
export function placeByForm(doc: Y.Doc, request: PlacementRequest): boolean {
  const { paragraph, op, find, attrs } = request;
  const text = request.text ?? '';
  if ((op === 'insert' || op === 'replace') && text === '') {
    throw new PlacementError(400, `An ${op} needs the new words in “text”.`);
  }
  if (op === 'delete' && text !== '') {
    throw new PlacementError(400, 'A delete takes no “text”: use replace to put new words in place of old ones.');
  }
  const el = findParagraph(doc.getXmlFragment(SECTION_FRAGMENT), String(paragraph));
  if (!el) throw new PlacementError(400, `There is no paragraph ${paragraph} in this section.`);
  const { official, runs } = mapParagraph(el);
  const { count, first } =
    request.at !== undefined && official.slice(request.at, request.at + find.length) === find
      ? { count: 1, first: request.at }
      : countOccurrences(official, find);
  if (count === 0) {
    throw new PlacementError(
      400,
      `${quote(find)} occurs 0 times in paragraph ${paragraph}; copy the words exactly as they are in the official text.`,
    );
  }
  if (count > 1) {
    throw new PlacementError(
      400,
      `${quote(find)} occurs ${count} times in paragraph ${paragraph}; give more words so it is unique.`,
    );
  }
  const start = first;
  const end = first + find.length;

  const range = checkRange(runs, start, end, request);
  if (!range) throw new PlacementError(400, `${quote(find)} could not be located in paragraph ${paragraph}.`);
  const { covered } = range;

  if (op === 'insert' || op === 'replace') {
    // Right after the last character of `find`, with that character's formatting (bold stays bold).
    const { run, to } = covered[covered.length - 1] as Covered;
    run.text.insert(insertionIndex(runs, run, to), text, {
      ...plainFormatting(run.attributes),
      [SUGGEST_INSERT]: { ...attrs },
    });
  }
  if (op === 'delete' || op === 'replace') {
    for (const { run, from, to } of covered) {
      run.text.format(run.index + (from - run.official), to - from, { [SUGGEST_DELETE]: { ...attrs } });
    }
  }
  return true;
}
