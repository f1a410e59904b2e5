/** Small text helpers shared by the importer's passes. */

/** Collapses every run of whitespace (PDF extraction leaves narrow no-break spaces and runs of spaces). */
export function normalizeSpaces(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The last characters of a text: enough to tell how it ends (a sentence's stop and closing quotes, a
 * hyphen, a short link word). A paragraph the importer grows line by line is tested by its ending, kept
 * beside it (see segment.ts): testing the paragraph itself flattens the whole growing string at every
 * line, so a 900,000-character paste cost the square of its length and held the event loop for minutes.
 */
export function lastCharacters(s: string): string {
  return s.length > 64 ? s.slice(-64) : s;
}

/** True when the text ends a sentence or a list item, so that a following line is not its continuation. */
export function endsSentence(s: string): boolean {
  return /[.;:!?][»”")]*$/.test(s.trimEnd());
}

/** True when the text starts with a lowercase letter: the mark of a wrapped line. */
export function startsLower(s: string): boolean {
  return /^\p{Ll}/u.test(s);
}

/**
 * Joins a wrapped line to the text before it. French typography in GB documents has no soft hyphenation,
 * so a line ending in a hyphen is a compound word cut at its own hyphen ("socio-" + "économiques"):
 * the hyphen stays and no space is added.
 */
export function joinWrapped(before: string, line: string, ending = lastCharacters(before)): string {
  if (before === '') return line;
  if (line === '') return before;
  const glued = /\p{L}-$/u.test(ending) && startsLower(line);
  const openEnd = /[’'«(“/]$/.test(ending);
  const closeStart = /^[»),.;:”]/.test(line);
  return glued || openEnd || closeStart ? before + line : `${before} ${line}`;
}

const ROMAN: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };

/** Value of a Roman numeral made of I, V, X, L, C; NaN when it is not a well-formed one. */
export function romanValue(roman: string): number {
  let total = 0;
  for (let i = 0; i < roman.length; i++) {
    const value = ROMAN[roman[i] ?? ''];
    const next = ROMAN[roman[i + 1] ?? ''] ?? 0;
    if (value === undefined) return Number.NaN;
    total += value < next ? -value : value;
  }
  return total;
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Longest text still taken for a heading: wrapped headings run to two or three short lines. */
const HEADING_MAX = 160;

/** Unnumbered text that reads like a heading: short, not a sentence, not a wrapped line. */
export function looksLikeHeading(s: string): boolean {
  return s.length <= HEADING_MAX && !endsSentence(s) && !/,$/.test(s) && !startsLower(s);
}
