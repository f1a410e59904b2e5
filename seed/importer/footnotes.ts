import { escapeRegExp } from './text.js';
import type { PendingNote, SourceLine, Unit } from './types.js';

const NOTE_START = /^(\d{1,3}) (\S.*)$/;

/**
 * Replaces the footnotes printed at page bottoms with `footnote` lines. A line `N text` is a footnote
 * only when N is the next footnote number (footnotes are numbered through the document, which tells
 * them from wrapped lines starting with a year or a count) and it sits where notes sit: after a
 * whitespace-only separator, or after a blank line with the page turning right after the note.
 */
export function extractFootnotes(lines: SourceLine[]): SourceLine[] {
  const out: SourceLine[] = [];
  let next = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined) continue;
    const start = line.kind === 'text' && !line.indented ? NOTE_START.exec(line.text) : null;
    if (!start || Number(start[1]) !== next || !sitsLikeNote(lines, i, out)) {
      out.push(line);
      continue;
    }
    const end = noteEnd(lines, i, next + 1);
    const text = lines
      .slice(i, end)
      .map((l) => (l.kind === 'text' ? l.text : ''))
      .join(' ')
      .replace(NOTE_START, '$2')
      .trim();
    out.push({ kind: 'footnote', marker: String(next), text });
    next++;
    i = end - 1;
  }
  return out;
}

/** The last line read before, skipping blanks, and whether blanks were skipped. */
function previousNonBlank(read: SourceLine[]): { line: SourceLine | undefined; blank: boolean } {
  let j = read.length - 1;
  while (j >= 0 && read[j]?.kind === 'blank') j--;
  return { line: read[j], blank: j < read.length - 1 };
}

/** `read` holds the lines already read, notes included, so that notes printed one after another qualify. */
function sitsLikeNote(lines: SourceLine[], i: number, read: SourceLine[]): boolean {
  const before = previousNonBlank(read);
  if (before.line?.kind === 'pageBreak' || before.line?.kind === 'footnote') return true;
  if (!before.blank) return false;
  const after = lines[noteEnd(lines, i, Number.NaN)];
  return after === undefined || after.kind === 'pageBreak' || (after.kind === 'text' && after.indented);
}

/** Index just past a note: it runs on over unindented lines until a blank, a page turn or the next note. */
function noteEnd(lines: SourceLine[], i: number, nextMarker: number): number {
  let j = i + 1;
  for (; j < lines.length; j++) {
    const line = lines[j];
    if (line?.kind !== 'text' || line.indented) break;
    if (Number(NOTE_START.exec(line.text)?.[1]) === nextMarker) break;
  }
  return j;
}

/** Words after which a number is a reference, not a footnote marker ("résultats 1 et 2", "article 24"). */
const NOT_BEFORE_MARKER = new Set([
  'résultat',
  'résultats',
  'produit',
  'produits',
  'paragraphe',
  'paragraphes',
  'article',
  'articles',
  'convention',
  'conventions',
  'recommandation',
  'nº',
  'no',
  'nos',
  'n°',
  'annexe',
  'section',
  'chapitre',
  'point',
  'partie',
  'catalyseur',
  'objectif',
  'cible',
  'tableau',
  'figure',
  'graphique',
  'session',
  'page',
  'pages',
  'outcome',
  'outcomes',
  'output',
  'outputs',
  'paragraph',
  'paragraphs',
  'annex',
  'item',
  'table',
  'chart',
  'target',
  'goal',
  'et',
  'and',
  'à',
  'to',
  'ou',
  'or',
  'de',
  'du',
  'des',
  'les',
  'le',
  'la',
  'of',
  'the',
  'en',
  'in',
  'sur',
  'on',
]);

/** What follows a number that is a quantity, not a marker ("5 pour cent", "2 millions", "3-4"). */
const QUANTITY_AFTER = /^(?:\d|%|pour$|per$|millions?$|milliards?$|billions?$|[-–])/;
/** Words that join numbers in a list or a range ("1 et 2", "3 à 5"). */
const NUMBER_JOINERS = new Set(['et', 'à', 'and', 'to', 'ou', 'or']);

/**
 * Where a footnote marker stands in `text` before `end`: the index of the space that precedes it, or -1.
 * The marker is printed as a lone number after a word ("justice sociale 1 afin de"); the last such
 * position wins, being nearest the note at the page bottom.
 */
export function findMarker(text: string, marker: string, end: number): number {
  const re = new RegExp(` ${escapeRegExp(marker)}(?=$|[\\s,.;:)»])`, 'g');
  let found = -1;
  for (let m = re.exec(text); m !== null && m.index < end; m = re.exec(text)) {
    if (isMarkerAt(text, m.index, marker.length)) found = m.index;
  }
  return found;
}

function isMarkerAt(text: string, space: number, length: number): boolean {
  const before = text.slice(0, space).split(' ').pop() ?? '';
  // Elision is dropped so that "l’article 2" reads as "article 2".
  const word = before
    .replace(/[»”),;:.]+$/, '')
    .replace(/^\p{L}{1,2}[’']/u, '')
    .toLowerCase();
  if (!/\p{L}/u.test(word) || /\d/.test(word) || NOT_BEFORE_MARKER.has(word)) return false;
  const [after, then] = text
    .slice(space + 1 + length)
    .replace(/^[\s,]+/, '')
    .split(' ');
  if (after === undefined || after === '') return true;
  if (QUANTITY_AFTER.test(after)) return false;
  return !(NUMBER_JOINERS.has(after) && /^\d/.test(then ?? ''));
}

/** How many text-bearing units before the note to search for its marker: a page holds about this many. */
const SEARCH_UNITS = 15;

/**
 * Attaches each footnote to the unit whose text holds its marker, removing the marker from the running
 * text. All markers are located first and removed afterwards, so that offsets recorded while reading
 * stay valid. A note whose marker cannot be found is attached where it was met.
 */
export function placeFootnotes(units: Unit[], pending: PendingNote[]): void {
  const located = pending.map((note) => locate(units, note));
  const order = located
    .map((place, i) => ({ place, note: pending[i] }))
    .sort((a, b) => b.place.position - a.place.position);
  for (const { place, note } of order) {
    const unit = units[place.unitIndex];
    if (note === undefined || unit === undefined || !('notes' in unit)) continue;
    if (place.removeMarker) {
      const removed = 1 + note.marker.length;
      unit.text = unit.text.slice(0, place.position) + unit.text.slice(place.position + removed);
      for (const placed of unit.notes) if (placed.offset > place.position) placed.offset -= removed;
    }
    unit.notes.unshift({ offset: place.position, marker: note.marker, text: note.text });
  }
}

interface Place {
  unitIndex: number;
  position: number;
  removeMarker: boolean;
}

function locate(units: Unit[], note: PendingNote): Place {
  let searched = 0;
  for (let i = Math.min(note.unitIndex, units.length - 1); i >= 0 && searched < SEARCH_UNITS; i--) {
    const unit = units[i];
    if (unit === undefined || !('notes' in unit)) continue;
    searched++;
    const end = i === note.unitIndex ? note.offset : unit.text.length;
    const at = findMarker(unit.text, note.marker, end);
    if (at >= 0) return { unitIndex: i, position: at, removeMarker: true };
  }
  const unit = units[note.unitIndex];
  const position = unit && 'notes' in unit ? Math.min(note.offset, unit.text.length) : 0;
  return { unitIndex: Math.max(note.unitIndex, 0), position, removeMarker: false };
}
