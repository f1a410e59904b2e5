import type { Amendment } from '../../../shared/amendments.js';
import { GAP } from '../../amendments/derive.js';
import type { Block } from '../model.js';

/**
 * A paragraph's words as pieces: unchanged (`same`), proposed (`ins`), proposed for deletion (`del`), and
 * footnote markers (`note`, printed as superscripts). The compilation's two columns read the same pieces:
 * "Texte original" leaves `ins` out and shows `del` as the words concerned; "Amendement" shows both
 * marked. `\n` in a piece separates blocks (a paragraph's list items).
 */
export interface ProposalPiece {
  kind: 'same' | 'ins' | 'del' | 'note';
  text: string;
}

/** Where an amendment acts in its paragraph's official text: [start, end) (an insertion: start = end). */
export interface Span {
  start: number;
  end: number;
}

function pushPiece(pieces: ProposalPiece[], kind: ProposalPiece['kind'], text: string): void {
  const last = pieces.at(-1);
  if (last && last.kind === kind && kind !== 'note') last.text += text;
  else pieces.push({ kind, text });
}

/**
 * The paragraph's official text with amendment `id`'s marks (other amendments left out), footnote
 * markers kept; `found` says whether the amendment has marks there. `id` null: the official text alone.
 */
export function paragraphPieces(blocks: Block[], id: string | null): { pieces: ProposalPiece[]; found: boolean } {
  const pieces: ProposalPiece[] = [];
  let found = false;
  const walk = (list: Block[]) => {
    for (const block of list) {
      if (block.type === 'list') {
        for (const item of block.items) walk(item);
        continue;
      }
      if (pieces.length > 0) pushPiece(pieces, 'same', '\n');
      for (const inline of block.inlines) {
        if (inline.type === 'footnote') pushPiece(pieces, 'note', inline.marker);
        if (inline.type !== 'text') continue;
        if (id !== null && inline.change?.amendmentId === id) {
          found = true;
          pushPiece(pieces, inline.change.kind, inline.text);
        } else if (inline.change?.kind !== 'ins') pushPiece(pieces, 'same', inline.text);
      }
    }
  };
  walk(blocks);
  return { pieces, found };
}

/** The official text the pieces stand on (`same` and `del`). */
export function officialOf(pieces: ProposalPiece[]): string {
  return pieces
    .filter((p) => p.kind === 'same' || p.kind === 'del')
    .map((p) => p.text)
    .join('');
}

/** Where the marked pieces stand in the official text, or null when none is marked. */
export function spanOf(pieces: ProposalPiece[]): Span | null {
  let at = 0;
  let start = -1;
  let end = -1;
  for (const p of pieces) {
    if (p.kind === 'ins' || p.kind === 'del') {
      if (start < 0) start = at;
      end = at + (p.kind === 'del' ? p.text.length : 0);
    }
    if (p.kind === 'same' || p.kind === 'del') at += p.text.length;
  }
  return start < 0 ? null : { start, end: Math.max(start, end) };
}

/**
 * Official pieces with [start, end) marked `within` ('del': proposed for deletion; 'ins': words an
 * accepted amendment put there), `before` written in front of the span and `after` right after it.
 */
export function markSpan(
  official: ProposalPiece[],
  start: number,
  end: number,
  change: { within: 'del' | 'ins'; before?: ProposalPiece; after?: ProposalPiece },
): ProposalPiece[] {
  const out: ProposalPiece[] = [];
  let at = 0;
  let opened = false;
  let closed = false;
  const open = () => {
    if (opened) return;
    opened = true;
    if (change.before?.text) pushPiece(out, change.before.kind, change.before.text);
  };
  const close = () => {
    if (closed) return;
    open();
    closed = true;
    if (change.after?.text) pushPiece(out, change.after.kind, change.after.text);
  };
  for (const p of official) {
    if (p.kind !== 'same') {
      out.push({ ...p });
      continue;
    }
    // Cut the piece where the span starts and ends, so each part is inside or outside it.
    const from = at;
    at += p.text.length;
    const cuts = [0, start - from, end - from, p.text.length].filter((c) => c >= 0 && c <= p.text.length);
    const points = [...new Set(cuts)].sort((x, y) => x - y);
    for (let i = 0; i + 1 < points.length; i++) {
      const a = from + (points[i] ?? 0);
      const b = from + (points[i + 1] ?? 0);
      const part = p.text.slice(a - from, b - from);
      if (!part) continue;
      if (a >= end) close();
      if (a >= start && b <= end && end > start) {
        open();
        pushPiece(out, change.within, part);
      } else pushPiece(out, 'same', part);
    }
  }
  close();
  return out;
}

/** The only place `needle` occurs in `text`, or -1 (absent, or ambiguous). */
function onlyIndex(text: string, needle: string): number {
  if (!needle) return -1;
  const at = text.indexOf(needle);
  return at >= 0 && text.indexOf(needle, at + 1) < 0 ? at : -1;
}

/**
 * A decided (or not yet placed) amendment in the words of its paragraph, from its record: a rejected or
 * withdrawn one on the unchanged text, an accepted one on the text it changed. Null when its words
 * cannot be found once in the paragraph (the record's bare words are then all there is).
 */
export function piecesFromRecord(official: ProposalPiece[], a: Amendment): ProposalPiece[] | null {
  const text = officialOf(official);
  const form = a.form;
  if (a.status === 'accepted') {
    const words = a.modifiedText ?? a.proposedText;
    if (!words) return null;
    const anchored = form?.op === 'insert' ? onlyIndex(text, form.find + words) : -1;
    const at = anchored >= 0 ? anchored + (form?.find.length ?? 0) : onlyIndex(text, words);
    if (at < 0) return null;
    return markSpan(official, at, at + words.length, {
      within: 'ins',
      before: { kind: 'del', text: a.originalText.includes(GAP) ? '' : a.originalText },
    });
  }
  if (form?.op === 'insert') {
    const at = onlyIndex(text, form.find);
    if (at < 0) return null;
    const end = at + form.find.length;
    return markSpan(official, end, end, { within: 'del', after: { kind: 'ins', text: form.text || a.proposedText } });
  }
  const target = a.originalText || form?.find || '';
  if (!target || target.includes(GAP)) return null;
  const at = onlyIndex(text, target);
  if (at < 0) return null;
  return markSpan(official, at, at + target.length, { within: 'del', after: { kind: 'ins', text: a.proposedText } });
}

/** The record's own words when they cannot be placed in the paragraph: deleted, then proposed. */
export function bareRecord(a: Amendment): ProposalPiece[] {
  const pieces: ProposalPiece[] = [];
  if (a.originalText) pieces.push({ kind: 'del', text: a.originalText });
  if (a.originalText && a.proposedText) pieces.push({ kind: 'same', text: ' ' });
  if (a.proposedText) pieces.push({ kind: 'ins', text: a.proposedText });
  return pieces.map((p) => ({ ...p, text: p.text.split(GAP).join(' … ') }));
}

/** Sentence starts of a text: 0, and after each `. `, `! `, `? ` or line break. */
function sentenceStarts(text: string): number[] {
  const starts = [0];
  const re = /[.!?;]\s+(?=\S)|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

/** Which sentence (0-based) holds offset `at`, and how many there are. */
export function sentenceOf(text: string, at: number): { index: number; count: number } {
  const starts = sentenceStarts(text.replace(/\s+$/, ''));
  let index = 0;
  for (let i = 0; i < starts.length; i++) if ((starts[i] ?? 0) <= at) index = i;
  return { index, count: starts.length };
}

/**
 * The pieces around a span, cut to the sentences it touches (`…` marks what is left out), so that the
 * columns quote the words concerned in their sentence rather than a whole long paragraph or a fragment.
 */
export function sentenceWindow(pieces: ProposalPiece[], span: Span): ProposalPiece[] {
  const text = officialOf(pieces);
  const starts = sentenceStarts(text);
  let from = 0;
  let to = text.length;
  for (const s of starts) if (s <= span.start) from = s;
  for (const s of starts) {
    if (s > span.end || (s === span.end && span.end > span.start)) {
      to = s;
      break;
    }
  }
  if (from === 0 && to === text.length) return pieces;
  const out: ProposalPiece[] = [];
  if (from > 0) out.push({ kind: 'same', text: '… ' });
  let at = 0;
  for (const p of pieces) {
    if (p.kind === 'ins' || p.kind === 'note') {
      if (at >= from && at <= to) out.push({ ...p });
      continue;
    }
    const a = Math.max(at, from);
    const b = Math.min(at + p.text.length, to);
    if (b > a) pushPiece(out, p.kind, p.text.slice(a - at, b - at));
    at += p.text.length;
  }
  if (to < text.length) {
    const last = out.at(-1);
    if (last && last.kind === 'same') last.text = last.text.replace(/\s+$/, '');
    pushPiece(out, 'same', ' …');
  }
  return out;
}
