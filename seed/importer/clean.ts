import { escapeRegExp, normalizeSpaces } from './text.js';
import type { SourceLine } from './types.js';

/** A GB document symbol: `GB.346/PFA/1`, `GB.347/INS/3/2`, `GB.346/PFA/1(Rev.1)`. */
const SYMBOL = /GB\.\d+\/[A-Z]+(?:\/[A-Za-z0-9]+)*(?:\(Rev\.\d+\))?/;

/**
 * Finds the document symbol. Page headers print it alone with a page number, so a symbol on such a line
 * wins over symbols merely cited in the text (footnotes cite other documents: `GB.346/INS/17/1`).
 */
export function detectSymbol(text: string): string | null {
  const counts = new Map<string, number>();
  let firstCited: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = normalizeSpaces(raw);
    const found = SYMBOL.exec(line);
    if (!found) continue;
    firstCited ??= found[0];
    if (line.replace(found[0], '').replace(/\d+/g, '').trim() === '') {
      counts.set(found[0], (counts.get(found[0]) ?? 0) + 1);
    }
  }
  let best: string | null = null;
  for (const [symbol, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = symbol;
  return best ?? firstCited;
}

/** A page header: the symbol and a page number in either order, or the symbol alone (cover page). */
function pageHeaderPattern(symbol: string): RegExp {
  const s = escapeRegExp(symbol);
  return new RegExp(`^(?:\\d+ )?${s}(?: \\d+)?$`);
}

const URL_LINE = /^(?:https?:\/\/|www\.)\S+$/;

/**
 * Turns raw extracted text into classified lines: page headers, stray URL lines (hyperlinks the PDF
 * prints at page bottoms) and whitespace-only separators become page breaks; the rest is trimmed text.
 */
export function cleanLines(text: string, symbol: string | null): SourceLine[] {
  const header = symbol ? pageHeaderPattern(symbol) : null;
  const lines: SourceLine[] = [];
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    // A form feed is an explicit page break in some extractions; the text after it starts the new page.
    const parts = raw.split('\f');
    parts.forEach((part, i) => {
      if (i > 0) lines.push({ kind: 'pageBreak' });
      lines.push(classify(part, header, i > 0));
    });
  }
  return lines;
}

function classify(raw: string, header: RegExp | null, afterFormFeed: boolean): SourceLine {
  if (raw === '') return { kind: 'blank' };
  const text = normalizeSpaces(raw);
  if (text === '') return { kind: 'pageBreak' };
  if (header?.test(text) || URL_LINE.test(text)) return { kind: 'pageBreak' };
  return { kind: 'text', text, indented: afterFormFeed || /^\s/.test(raw) };
}
