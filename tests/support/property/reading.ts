import type { Node as PMNode } from '@tiptap/pm/model';
import { initProseMirrorDoc } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { SECTION_FRAGMENT } from '../../../shared/limits.js';
import { documentSchema } from '../../../shared/schema/index.js';
import { SUGGEST_DELETE, SUGGEST_INSERT, type SuggestionAttrs } from '../../../shared/suggestions.js';

/**
 * Independent readings of a section's text for the property test: what the official text is, and which
 * suggestions it carries. Written from the contract in shared/suggestions.ts, not from the server's
 * derive.ts, so that the test does not share the server's mistakes.
 */

export const schema = documentSchema();

export function pmOf(doc: Y.Doc): PMNode {
  return initProseMirrorDoc(doc.getXmlFragment(SECTION_FRAGMENT), schema).doc;
}

/** Runs of whitespace are one space: the server may normalise boundaries, words must not change. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The official text, block by block (`number` for numbered paragraphs, `#i` for other blocks), with
 * every pending suggestion rejected — or, with `applied`, that one amendment taken as if accepted
 * (its words in, its struck words out, `replacement` in place of its inserted words when given).
 */
export function officialText(doc: PMNode, applied?: { id: string; replacement?: string }): Map<string, string> {
  const out = new Map<string, string>();
  doc.forEach((block, _offset, index) => {
    const proposal = block.attrs.suggestion as SuggestionAttrs | null | undefined;
    if (proposal && proposal.id !== applied?.id) return;
    let text = '';
    /** The proposal's own words, where `replacement` goes: it keeps the proposal's boundary spaces. */
    const run: { proposed: string | null } = { proposed: null };
    block.descendants((node) => {
      if (!node.isText) return true;
      const ins = node.marks.find((m) => m.type.name === SUGGEST_INSERT)?.attrs as SuggestionAttrs | undefined;
      const del = node.marks.find((m) => m.type.name === SUGGEST_DELETE)?.attrs as SuggestionAttrs | undefined;
      if (ins) {
        if (ins.id !== applied?.id) return false;
        if (applied.replacement !== undefined) {
          if (run.proposed === null) text += PLACEHOLDER;
          run.proposed = (run.proposed ?? '') + (node.text ?? '');
          return false;
        }
      }
      if (del && del.id === applied?.id) return false;
      text += node.text ?? '';
      return false;
    });
    const proposed = run.proposed;
    if (proposed !== null && applied?.replacement !== undefined) {
      const lead = /^\s*/.exec(proposed)?.[0] ?? '';
      const trail = proposed.trim() ? (/\s*$/.exec(proposed)?.[0] ?? '') : '';
      text = text.replace(PLACEHOLDER, `${lead}${applied.replacement.trim()}${trail}`);
    }
    const key = block.type.name === 'numberedParagraph' ? String(block.attrs.number) : `#${index}`;
    out.set(key, squash(text));
  });
  return out;
}

const PLACEHOLDER = '\u0000';

export interface SeenSuggestion {
  id: string;
  by: string;
  author: string;
  /** Printed numbers of the official paragraphs it is in (a proposed 27bis counts as 27). */
  paragraphs: number[];
  kinds: Set<'insert' | 'delete' | 'paragraph'>;
  /** Inserted words (or the proposed paragraph's text), whitespace squashed, pieces concatenated. */
  proposed: string;
  /** Struck official words, whitespace squashed, pieces concatenated. */
  original: string;
  /**
   * The same, with spacing kept as the server compares it for a no-op (runs of spaces made one, ends
   * trimmed; pieces joined by a space): striking "e t" and typing " et" changes the words.
   */
  proposedSpaced: string;
  originalSpaced: string;
  /** Separate runs of inserted words: accept-with-modifications is only tried on a single run. */
  insertRuns: number;
  /** The same id with different `by` or `author` on different marks. */
  mixedIdentity: boolean;
}

/** Every suggestion in the text, by id. */
export function suggestionsIn(doc: PMNode): Map<string, SeenSuggestion> {
  const found = new Map<string, SeenSuggestion & { proposedRaw: string; originalRaw: string; lastInsert: number }>();
  let run = 0;
  const entry = (attrs: SuggestionAttrs, paragraph: number | null) => {
    let e = found.get(attrs.id);
    if (!e) {
      e = {
        id: attrs.id,
        by: attrs.by,
        author: attrs.author,
        paragraphs: [],
        kinds: new Set(),
        proposed: '',
        proposedSpaced: '',
        originalSpaced: '',
        original: '',
        proposedRaw: '',
        originalRaw: '',
        insertRuns: 0,
        lastInsert: -2,
        mixedIdentity: false,
      };
      found.set(attrs.id, e);
    }
    if (e.by !== attrs.by || e.author !== attrs.author) e.mixedIdentity = true;
    if (paragraph !== null && !e.paragraphs.includes(paragraph)) e.paragraphs.push(paragraph);
    return e;
  };
  doc.forEach((block) => {
    run++;
    const number = block.type.name === 'numberedParagraph' ? Number.parseInt(String(block.attrs.number), 10) : null;
    const proposal = block.attrs.suggestion as SuggestionAttrs | null | undefined;
    if (proposal) {
      const e = entry(proposal, number);
      e.kinds.add('paragraph');
      e.proposedRaw += `${e.proposedRaw ? ' ' : ''}${block.textContent}`;
      return;
    }
    block.descendants((node) => {
      if (!node.isText) return true;
      run++;
      const ins = node.marks.find((m) => m.type.name === SUGGEST_INSERT)?.attrs as SuggestionAttrs | undefined;
      const del = node.marks.find((m) => m.type.name === SUGGEST_DELETE)?.attrs as SuggestionAttrs | undefined;
      if (ins) {
        const e = entry(ins, number);
        e.kinds.add('insert');
        e.proposedRaw += ` ${node.text ?? ''}`;
        if (e.lastInsert !== run - 1) e.insertRuns++;
        e.lastInsert = run;
      }
      if (del) {
        const e = entry(del, number);
        e.kinds.add('delete');
        e.originalRaw += ` ${node.text ?? ''}`;
      }
      return false;
    });
  });
  const result = new Map<string, SeenSuggestion>();
  for (const [id, e] of found) {
    const { proposedRaw, originalRaw, lastInsert: _ignored, ...rest } = e;
    result.set(id, {
      ...rest,
      paragraphs: [...e.paragraphs].sort((a, b) => a - b),
      proposed: wordsOf(proposedRaw),
      original: wordsOf(originalRaw),
      proposedSpaced: squash(proposedRaw),
      originalSpaced: squash(originalRaw),
    });
  }
  return result;
}

/** Words without any spacing: pieces of one amendment are compared whatever joins them. */
export function wordsOf(text: string): string {
  return text.replace(/\s+|…/g, '');
}

/** The textblocks of a document with their positions, for picking where to edit. */
export function textblocks(
  doc: PMNode,
): { node: PMNode; pos: number; numbered: string | null; proposal: SuggestionAttrs | null }[] {
  const blocks: { node: PMNode; pos: number; numbered: string | null; proposal: SuggestionAttrs | null }[] = [];
  doc.forEach((block, offset) => {
    const numbered = block.type.name === 'numberedParagraph' ? String(block.attrs.number) : null;
    const proposal = (block.attrs.suggestion as SuggestionAttrs | null | undefined) ?? null;
    block.descendants((node, pos) => {
      if (node.isTextblock) {
        blocks.push({ node, pos: offset + 1 + pos, numbered, proposal });
        return false;
      }
      return true;
    });
  });
  return blocks;
}

/** Unmarked official text nodes with their positions: where a direct edit touches only official words. */
export function officialRuns(doc: PMNode): { from: number; to: number; text: string }[] {
  const runs: { from: number; to: number; text: string }[] = [];
  doc.forEach((block, offset) => {
    if (block.attrs.suggestion) return;
    block.descendants((node, pos) => {
      if (!node.isText) return true;
      if (node.marks.some((m) => m.type.name === SUGGEST_INSERT || m.type.name === SUGGEST_DELETE)) return false;
      const from = offset + 1 + pos;
      runs.push({ from, to: from + node.nodeSize, text: node.text ?? '' });
      return false;
    });
  });
  return runs;
}
