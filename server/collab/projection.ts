import * as Y from 'yjs';
import { SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';

/**
 * What a section *means* to the suggestion rules, independent of how Yjs stores it: for each top-level
 * block, its official text and each owner's suggestions anchored at offsets of that official text.
 *
 * Rules are judged on these projections rather than on Yjs items because honest clients routinely emit
 * items that look like tampering (formatting cleanup deletes other authors' format markers; typing after
 * someone's suggestion emits a format item carrying their mark). Every string here is canonical, so two
 * projections are equal exactly when the meaning is, and comparing them is a string comparison.
 */

/** The node attribute marking a whole proposed block (27bis); see shared/schema/numberedParagraph.ts. */
export const PROPOSED_BLOCK_ATTR = 'suggestion';

/** Owner of a suggestion whose attrs are malformed: matches no user, so no one may create or change one. */
export const INVALID_OWNER = '\u0000invalid';

export interface SuggestionRef {
  id: string;
  by: string;
  author: string;
}

/** One owner's suggestions in one block, in document order. */
export interface OwnerView {
  /** With official-text offsets: any move, however small, shows. */
  anchored: string;
  /** Without offsets: stable when someone with direct rights edits the official text around them. */
  loose: string;
}

export interface BlockProjection {
  /** Canonical official content; null for a proposed block, which is not official text until accepted. */
  official: string | null;
  owners: ReadonlyMap<string, OwnerView>;
  /** Every suggestion identity the block carries, once each. */
  refs: readonly SuggestionRef[];
}

/** A child of the section's fragment, or of an element: what TipTap writes, plus the hook Yjs allows. */
export type Block = Y.XmlElement | Y.XmlText | Y.XmlHook;

export function suggestionRefOf(value: unknown): SuggestionRef {
  if (value !== null && typeof value === 'object') {
    const { id, by, author } = value as Record<string, unknown>;
    if (typeof id === 'string' && typeof by === 'string' && typeof author === 'string') return { id, by, author };
  }
  return { id: '', by: INVALID_OWNER, author: '' };
}

/** JSON with sorted keys: attribute objects from different clients must serialise identically. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

interface Entry {
  kind: 'I' | 'D' | 'P';
  ref: SuggestionRef;
  at: number;
  len: number;
  content: TokenWriter;
}

/**
 * Accumulates canonical tokens. Adjacent text with the same formatting is merged before encoding, so
 * however Yjs happens to split a run into items, the result is the same.
 */
class TokenWriter {
  private readonly parts: string[] = [];
  private fmt: string | null = null;
  private text = '';

  pushText(text: string, fmt: string): void {
    if (this.fmt !== fmt) this.flush();
    this.fmt = fmt;
    this.text += text;
  }

  pushToken(token: string): void {
    this.flush();
    this.parts.push(token);
  }

  private flush(): void {
    if (this.fmt !== null) this.parts.push(`${this.fmt}${JSON.stringify(this.text)}`);
    this.fmt = null;
    this.text = '';
  }

  toString(): string {
    this.flush();
    return this.parts.join('');
  }
}

function formattingKey(attributes: Record<string, unknown> | undefined, dropSuggestions: boolean): string {
  if (!attributes) return '{}';
  if (!dropSuggestions) return canonicalJson(attributes);
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key !== SUGGEST_INSERT && key !== SUGGEST_DELETE) rest[key] = value;
  }
  return canonicalJson(rest);
}

function elementAttributes(el: Y.XmlElement, skip: string | null): string {
  const attrs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(el.getAttributes())) {
    if (key !== skip && value !== null && value !== undefined) attrs[key] = value;
  }
  return canonicalJson(attrs);
}

interface DeltaOp {
  insert: unknown;
  attributes?: Record<string, unknown>;
}

/** An embed inside a text, or an unexpected child: never produced by TipTap, so always official. */
function opaqueToken(value: unknown): string {
  if (value instanceof Y.AbstractType)
    return `X${JSON.stringify(value.constructor.name)}${canonicalJson(value.toJSON())}`;
  return `E${canonicalJson(value)}`;
}

/** Walks one block in document order, splitting official content from each owner's suggestions. */
class BlockWalker {
  readonly official = new TokenWriter();
  private pos = 0;
  private readonly entries = new Map<string, Entry[]>();
  private readonly refs = new Map<string, SuggestionRef>();

  /** `raw`: inside a proposed block everything is its owner's, marks included, so nothing is split off. */
  walk(node: Block, out: TokenWriter, raw: boolean): void {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as DeltaOp[]) this.text(op, out, raw);
      return;
    }
    if (node instanceof Y.XmlElement) {
      out.pushToken(`<${JSON.stringify(node.nodeName)}${elementAttributes(node, null)}`);
      this.pos++;
      for (const child of node.toArray()) this.walk(child, out, raw);
      out.pushToken('>');
      this.pos++;
      return;
    }
    out.pushToken(opaqueToken(node));
    this.pos++;
  }

  private text(op: DeltaOp, out: TokenWriter, raw: boolean): void {
    if (typeof op.insert !== 'string') {
      out.pushToken(opaqueToken(op.insert));
      this.pos++;
      return;
    }
    const attributes = op.attributes;
    const inserted = attributes?.[SUGGEST_INSERT];
    const deleted = attributes?.[SUGGEST_DELETE];
    if (raw) {
      if (inserted !== undefined) this.noteRef(suggestionRefOf(inserted));
      if (deleted !== undefined) this.noteRef(suggestionRefOf(deleted));
      out.pushText(op.insert, formattingKey(attributes, false));
      return;
    }
    if (inserted !== undefined) {
      // The delete mark is kept as formatting here: both marks on one run is no client's doing and must show.
      const rest = { ...attributes };
      delete rest[SUGGEST_INSERT];
      const entry = this.entryFor('I', suggestionRefOf(inserted), this.pos, 0);
      entry.content.pushText(op.insert, canonicalJson(rest));
      return;
    }
    const fmt = formattingKey(attributes, true);
    if (deleted !== undefined) {
      const entry = this.entryFor('D', suggestionRefOf(deleted), this.pos, op.insert.length);
      entry.content.pushText(op.insert, fmt);
    }
    out.pushText(op.insert, fmt);
    this.pos += op.insert.length;
  }

  /** The owner's current entry if this run continues it (same kind, id, author, adjacent), else a new one. */
  private entryFor(kind: Entry['kind'], ref: SuggestionRef, at: number, len: number): Entry {
    this.noteRef(ref);
    let list = this.entries.get(ref.by);
    if (!list) {
      list = [];
      this.entries.set(ref.by, list);
    }
    const last = list.at(-1);
    const continues =
      last?.kind === kind &&
      last.ref.id === ref.id &&
      last.ref.author === ref.author &&
      (kind === 'I' ? last.at === at : last.at + last.len === at);
    if (last && continues) {
      last.len += len;
      return last;
    }
    const entry: Entry = { kind, ref, at, len, content: new TokenWriter() };
    list.push(entry);
    return entry;
  }

  proposed(el: Y.XmlElement, ref: SuggestionRef): void {
    const entry = this.entryFor('P', ref, 0, 0);
    entry.content.pushToken(`<${JSON.stringify(el.nodeName)}${elementAttributes(el, PROPOSED_BLOCK_ATTR)}`);
    for (const child of el.toArray()) this.walk(child, entry.content, true);
  }

  private noteRef(ref: SuggestionRef): void {
    this.refs.set(`${ref.id}\u0000${ref.by}\u0000${ref.author}`, ref);
  }

  result(official: string | null): BlockProjection {
    const owners = new Map<string, OwnerView>();
    for (const [owner, list] of this.entries) {
      const anchored: string[] = [];
      const loose: string[] = [];
      for (const e of list) {
        const body = `${e.kind}${JSON.stringify(e.ref.id)}${JSON.stringify(e.ref.author)}${e.content.toString()}`;
        loose.push(body);
        anchored.push(`@${e.at}+${e.len}${body}`);
      }
      owners.set(owner, { anchored: anchored.join('\n'), loose: loose.join('\n') });
    }
    return { official, owners, refs: [...this.refs.values()] };
  }
}

/** The projection of one top-level block of a section. */
export function projectBlock(block: Block): BlockProjection {
  const walker = new BlockWalker();
  if (block instanceof Y.XmlElement) {
    const proposal = block.getAttribute(PROPOSED_BLOCK_ATTR);
    if (proposal !== null && proposal !== undefined) {
      walker.proposed(block, suggestionRefOf(proposal));
      return walker.result(null);
    }
  }
  walker.walk(block, walker.official, false);
  return walker.result(walker.official.toString());
}

/** A whole section seen as official blocks plus, per owner, its suggestions placed among them. */
export interface SectionView {
  official: string[];
  owners: Map<string, string[]>;
}

/**
 * Composes block projections, in order, into a section view. A proposed block is placed after the
 * official block it follows; `loose` drops placement for senders allowed to restructure official text.
 */
export function sectionView(blocks: Iterable<BlockProjection>, loose: boolean): SectionView {
  const official: string[] = [];
  const owners = new Map<string, string[]>();
  for (const block of blocks) {
    const place = loose ? '' : `#${official.length}${block.official === null ? 'after' : ''}:`;
    for (const [owner, view] of block.owners) {
      let list = owners.get(owner);
      if (!list) {
        list = [];
        owners.set(owner, list);
      }
      list.push(place + (loose ? view.loose : view.anchored));
    }
    if (block.official !== null) official.push(block.official);
  }
  return { official, owners };
}

/** Projects a whole fragment (tests and full rebuilds). */
export function projectSection(fragment: Y.XmlFragment): BlockProjection[] {
  return fragment.toArray().map((child) => projectBlock(child as Block));
}
