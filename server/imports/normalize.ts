/**
 * Text comparison tolerant of what Word and e-mail do to a text: runs of whitespace (spaces, tabs,
 * no-break and thin spaces) count as one space, typographic quotes and apostrophes as straight ones,
 * dashes as hyphens, and soft hyphens and zero-width characters as nothing. Offsets map both ways.
 */

export interface Normalized {
  text: string;
  /** For each character of `text` (and one past the end), the offset in the original string. */
  toOriginal: number[];
  /** For each offset of the original string (and one past the end), the offset in `text`. */
  toNormalized: number[];
}

const SPACE = /[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]/;
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u02BC`´]/;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/;
const DASHES = /[\u2010-\u2015\u2212]/;
/** Characters before which a space is ignored. */
const TIGHT_AFTER_SPACE = /[;:!?\u00BB]/;

export function normalize(original: string): Normalized {
  let text = '';
  const toOriginal: number[] = [];
  const toNormalized: number[] = [];
  let lastWasSpace = false;
  // French typography puts (no-break) spaces inside « » and before ; : ! ? — an English keyboard does not.
  let afterGuillemet = false;
  for (let i = 0; i < original.length; i++) {
    toNormalized.push(text.length);
    const ch = original[i] as string;
    if (INVISIBLE.test(ch)) continue;
    if (SPACE.test(ch)) {
      if (lastWasSpace || afterGuillemet) continue;
      text += ' ';
      toOriginal.push(i);
      lastWasSpace = true;
      continue;
    }
    if (lastWasSpace && TIGHT_AFTER_SPACE.test(ch)) {
      text = text.slice(0, -1);
      toOriginal.pop();
    }
    lastWasSpace = false;
    afterGuillemet = ch === '\u00AB';
    let out = ch;
    if (SINGLE_QUOTES.test(ch)) out = "'";
    else if (DOUBLE_QUOTES.test(ch)) out = '"';
    else if (DASHES.test(ch)) out = '-';
    text += out;
    toOriginal.push(i);
  }
  toNormalized.push(text.length);
  toOriginal.push(original.length);
  return { text, toOriginal, toNormalized };
}

/** Every start offset of `needle` in `haystack` (overlapping ones too). */
export function occurrences(haystack: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) out.push(at);
  return out;
}
