import { parseFigure } from './figure.js';
import { FIGURE_ITEM, isCapitalsLine, matchBullet, matchHeading, matchNumbered } from './patterns.js';
import { endsSentence, joinWrapped, lastCharacters, looksLikeHeading, startsLower } from './text.js';
import type { PendingNote, SourceLine, Unit } from './types.js';

/** The units of a document in reading order, and the footnotes met on the way. */
export interface Segmented {
  units: Unit[];
  notes: PendingNote[];
}

interface State {
  units: Unit[];
  notes: PendingNote[];
  /** The unit that a following line may continue (a wrapped line, or a paragraph cut by a page turn). */
  open: Unit | null;
  /** Blank lines were met since the last text line. */
  gap: boolean;
  /** A page turn was met since the last text line. */
  broken: boolean;
  expectedPara: number;
  expectedPart: number;
  lastOutcome: number;
  lastEnabler: number;
}

/**
 * Reads cleaned lines into units: structural headings (with their wrapped titles), numbered paragraphs,
 * bullet items, unnumbered text and figures. Paragraph numbers must follow each other, which is what tells
 * a paragraph from a numbered item of a figure or a wrapped line that starts with a number.
 */
export function segment(lines: SourceLine[], language: string): Segmented {
  const s: State = {
    units: [],
    notes: [],
    open: null,
    gap: false,
    broken: false,
    expectedPara: 1,
    expectedPart: 1,
    lastOutcome: 0,
    lastEnabler: 0,
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line.kind === 'blank') {
      s.gap = true;
    } else if (line.kind === 'pageBreak') {
      turnPage(s);
    } else if (line.kind === 'footnote') {
      recordNote(s, line.marker, line.text);
      turnPage(s);
    } else if (startsFigure(lines, i, s.expectedPara)) {
      i = readFigure(s, lines, i, language) - 1;
    } else {
      readText(s, line.text, line.indented);
      s.gap = false;
      s.broken = false;
    }
  }
  return { units: s.units, notes: s.notes };
}

function turnPage(s: State): void {
  const last = s.units[s.units.length - 1];
  if (last?.type === 'text' && s.open === last) last.endsPage = true;
  s.gap = true;
  s.broken = true;
}

function recordNote(s: State, marker: string, text: string): void {
  let unitIndex = s.units.length - 1;
  while (unitIndex >= 0 && !('notes' in (s.units[unitIndex] as Unit))) unitIndex--;
  const unit = s.units[unitIndex];
  const offset = unit && 'notes' in unit ? unit.text.length : 0;
  s.notes.push({ marker, text, unitIndex, offset });
}

/**
 * The ending of each unit's text (or heading's title) while lines are joined to it: how a unit ends is
 * tested at every line, and testing the growing text itself would flatten it each time (lastCharacters).
 */
const endings = new WeakMap<Unit, string>();

function endingOf(unit: Unit): string {
  const known = endings.get(unit);
  if (known !== undefined) return known;
  if (unit.type === 'heading') return lastCharacters(unit.title);
  return unit.type === 'figure' ? '' : lastCharacters(unit.text);
}

function push(s: State, unit: Unit): void {
  s.units.push(unit);
  s.open = unit;
}

function readText(s: State, text: string, indented: boolean): void {
  const broken = s.broken || indented;
  if (readHeading(s, text)) return;
  const numbered = matchNumbered(text);
  if (numbered && isNextParagraph(s, numbered.number, numbered.rest, broken)) {
    push(s, { type: 'para', number: numbered.number, text: numbered.rest, notes: [] });
    s.expectedPara = numbered.number + 1;
    return;
  }
  const bullet = matchBullet(text);
  if (bullet !== null) {
    push(s, { type: 'bullet', text: bullet, notes: [] });
    return;
  }
  const open = s.open;
  if (open && continues(open, text, s.gap, broken)) {
    const ending = endingOf(open);
    if (open.type === 'heading') open.title = joinWrapped(open.title, text, ending);
    else if (open.type !== 'figure') open.text = joinWrapped(open.text, text, ending);
    endings.set(open, lastCharacters(joinWrapped(ending, text, ending)));
    return;
  }
  push(s, { type: 'text', text, notes: [], indented, endsPage: false });
}

function readHeading(s: State, text: string): boolean {
  const m = matchHeading(text, s.expectedPart);
  if (!m) return false;
  if (m.role === 'part') s.expectedPart++;
  if (m.role === 'outcome') {
    // Outcomes are numbered in order: "Résultat 2." at a line start after outcome 5 is running text.
    if (m.number <= s.lastOutcome) return false;
    s.lastOutcome = m.number;
  }
  if (m.role === 'enabler') {
    if (m.key.charCodeAt(0) <= s.lastEnabler) return false;
    s.lastEnabler = m.key.charCodeAt(0);
  }
  push(s, { type: 'heading', ...m });
  return true;
}

/**
 * The next paragraph carries the expected number. A number one or two ahead is accepted too when it
 * opens a new block with a capital, so that a paragraph lost by the extraction does not swallow the rest.
 */
function isNextParagraph(s: State, n: number, rest: string, broken: boolean): boolean {
  if (n === s.expectedPara) return true;
  const freshBlock = (s.gap || broken) && (s.open === null || !('text' in s.open) || endsSentence(endingOf(s.open)));
  return n > s.expectedPara && n <= s.expectedPara + 2 && freshBlock && /^\p{Lu}/u.test(rest);
}

/**
 * Whether a line continues the open unit. Consecutive lines always do. Across blank lines, only a line
 * starting in lowercase after unfinished text does (a heading wrapped with a blank line in between),
 * except across a page turn, where a paragraph resumes whatever its first letter ("Nations | Unies").
 */
function continues(open: Unit, text: string, gap: boolean, broken: boolean): boolean {
  if (open.type === 'figure') return false;
  const lower = startsLower(text);
  if (open.type === 'heading') return open.title === '' || lower || endsWithLinkWord(endingOf(open));
  const terminal = endsSentence(endingOf(open));
  if (!gap && !broken) return true;
  if (!gap && broken && !lower && terminal) return false;
  if (open.type === 'text') {
    if (lower) return !terminal || broken;
    return endsWithLinkWord(endingOf(open)) || (broken && !terminal && !looksLikeHeading(open.text));
  }
  return broken ? !terminal || lower : lower && !terminal;
}

/** Words that cannot end a title: a title ending with one runs on, even onto a capitalised name. */
const LINK_WORD =
  /(?:^|\s)(?:de|des|du|la|le|les|et|à|aux|au|en|pour|sur|par|dans|avec|d’|l’|of|the|and|for|in|to|on|with|by|a|an)$/i;

function endsWithLinkWord(text: string): boolean {
  return LINK_WORD.test(text);
}

function nextTextLine(lines: SourceLine[], i: number): string | null {
  for (let j = i + 1; j < lines.length; j++) {
    const line = lines[j];
    if (line?.kind === 'text') return line.text;
    if (line?.kind !== 'blank') return null;
  }
  return null;
}

/**
 * A diagram flattened by the extraction shows as a column title in capitals followed by an item such as
 * "1. Une action normative forte" whose number is not the paragraph expected next.
 */
function startsFigure(lines: SourceLine[], i: number, expectedPara: number): boolean {
  const line = lines[i];
  if (line?.kind !== 'text' || !isCapitalsLine(line.text)) return false;
  const next = nextTextLine(lines, i);
  const item = next === null ? null : FIGURE_ITEM.exec(next);
  return item?.[1] !== undefined && (!/^\d/.test(item[1]) || Number(item[1]) !== expectedPara);
}

/** Consumes a figure's scattered words up to the page turn or the text resuming; returns the next index. */
function readFigure(s: State, lines: SourceLine[], start: number, language: string): number {
  const labels = popCaptions(s);
  const words: string[] = [];
  let j = start;
  for (; j < lines.length; j++) {
    const line = lines[j];
    if (line === undefined || line.kind === 'blank') continue;
    if (line.kind !== 'text' || line.indented || resumesText(s, line.text)) break;
    words.push(line.text);
  }
  push(s, { type: 'figure', title: '', groups: parseFigure(words, labels, language), labels, note: null });
  s.open = null;
  s.gap = true;
  s.broken = j < lines.length && lines[j]?.kind !== 'text';
  return j;
}

/** A line that ends a figure: a part or outcome heading, or the expected paragraph at full line width. */
function resumesText(s: State, text: string): boolean {
  const heading = matchHeading(text, s.expectedPart);
  if (heading && heading.role !== 'output' && heading.role !== 'enabler') return true;
  const numbered = matchNumbered(text);
  return numbered?.number === s.expectedPara && text.length >= 60;
}

/** The short captions printed just above a diagram ("Résultats stratégiques proposés") belong to it. */
function popCaptions(s: State): string[] {
  const labels: string[] = [];
  for (let last = s.units[s.units.length - 1]; labels.length < 3; last = s.units[s.units.length - 1]) {
    if (last?.type !== 'text' || last.indented || last.notes.length > 0 || !looksLikeHeading(last.text)) break;
    labels.unshift(last.text);
    s.units.pop();
  }
  return labels;
}
