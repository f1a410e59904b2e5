import type { ContentMatch, MarkType, NodeType } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { documentSchema } from '../../shared/schema/index.js';
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

/** Shared between walks (see suggestionRefOf): never changed once made. */
export interface SuggestionRef {
  readonly id: string;
  readonly by: string;
  readonly author: string;
}

/** One owner's suggestions in one block, in document order. */
export interface OwnerView {
  /** With official-text offsets: any move, however small, shows. */
  anchored: string;
  /** Without offsets: stable when someone with direct rights edits the official text around them. */
  readonly loose: string;
}

/** One suggestion run, at offsets of the official text (a deletion covers `len` official characters). */
export interface Span {
  kind: 'I' | 'D' | 'P';
  ref: SuggestionRef;
  at: number;
  len: number;
}

/** The owner of official characters in {@link BlockProjection.content}. */
export const OFFICIAL = '';

export interface BlockProjection {
  /** Canonical official content; null for a proposed block, which is not official text until accepted. */
  official: string | null;
  owners: ReadonlyMap<string, OwnerView>;
  /** Every suggestion identity the block carries, once each. */
  refs: readonly SuggestionRef[];
  spans: readonly Span[];
  /**
   * Which Yjs items make up the official structure: the ids of the block's elements and texts, in
   * order. Equal official text held by other items is a re-creation, which kills anchors into it.
   */
  shape: string;
  /**
   * Per owner (OFFICIAL for the official words), the Yjs item ids holding its words, in order, as
   * (client, clock, length) triples: numbers, so that a long history costs no string per item.
   */
  content: ReadonlyMap<string, readonly number[]>;
  /** The first way in which the block is not a valid node of the shared schema, or null. */
  problem: string | null;
  /** Per suggestion id, its entries (owner included): tells which amendments an update touched. */
  byId: ReadonlyMap<string, string>;
  /**
   * Runs of inserted words that also carry another suggestion's delete mark, once per pair (keyed
   * `insert id\0delete id`). No client types that (typed words drop suggestion marks); Yjs makes it when
   * a strike and an insertion at its edge or inside it meet concurrently, and the struck amendment's
   * words would then silently include the other's insertion.
   */
  crossings: ReadonlyMap<string, { inserted: SuggestionRef; deleted: SuggestionRef }>;
  /**
   * How the block was composed, for a block of official text (null for a proposed block): composing it
   * again with some texts' newer projections gives the block as it stands after an update that changed
   * only words inside those texts, without walking it again (see {@link withTexts}).
   */
  readonly layout: BlockLayout | null;
}

/**
 * One step of composing a block, in walk order: an element's token (which takes one position), a
 * text's projection at its place, a schema problem, an item of the block's shape, attributes on a text.
 */
export type LayoutStep =
  | { step: 'token'; token: string }
  | { step: 'text'; text: Y.XmlText; segment: TextSegment }
  | { step: 'flag'; problem: string }
  | { step: 'shape'; client: number; clock: number }
  | { step: 'extra'; extra: string };

export type BlockLayout = readonly LayoutStep[];

/** A child of the section's fragment, or of an element: what TipTap writes, plus the hook Yjs allows. */
export type Block = Y.XmlElement | Y.XmlText | Y.XmlHook;

/**
 * Refs by the mark value they were read from: a format item's value is one object for its lifetime, so
 * every walk of a text gives the same ref for it (no new object, and identity checks hit).
 */
const refsByValue = new WeakMap<object, SuggestionRef>();

export function suggestionRefOf(value: unknown): SuggestionRef {
  if (value !== null && typeof value === 'object') {
    const known = refsByValue.get(value);
    if (known) return known;
    const { id, by, author } = value as Record<string, unknown>;
    const ref: SuggestionRef =
      typeof id === 'string' && typeof by === 'string' && typeof author === 'string'
        ? { id, by, author }
        : { id: '', by: INVALID_OWNER, author: '' };
    refsByValue.set(value, ref);
    return ref;
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

  /** Finished tokens (another writer's output): nothing merges across them. */
  pushTokens(tokens: string): void {
    this.flush();
    if (tokens !== '') this.parts.push(tokens);
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

/** Item ids as ranges: a run split into several items (typing in the middle) stays the same. */
class IdRanges {
  readonly triples: number[] = [];
  private client = -1;
  private end = -1;

  push(client: number, clock: number, len: number): void {
    const t = this.triples;
    if (client === this.client && clock === this.end) {
      t[t.length - 1] = (t[t.length - 1] as number) + len;
    } else {
      t.push(client, clock, len);
      this.client = client;
    }
    this.end = clock + len;
  }

  toString(): string {
    return this.triples.join(',');
  }
}

/** Whether two id-range lists are the same. */
export function sameRanges(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function elementAttributes(el: Y.XmlElement, skip: string | null): string {
  const attrs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(el.getAttributes())) {
    if (key !== skip && value !== null && value !== undefined) attrs[key] = value;
  }
  return canonicalJson(attrs);
}

/** An embed inside a text, or an unexpected child: never produced by TipTap, so always official. */
function opaqueToken(value: unknown): string {
  if (value instanceof Y.AbstractType)
    return `X${JSON.stringify(value.constructor.name)}${canonicalJson(value.toJSON())}`;
  return `E${canonicalJson(value)}`;
}

const { ContentFormat, ContentString } = Y;

/** y-prosemirror stores a mark that may repeat (excludes: '') under `name--<hash>`. */
const HASHED_MARK = /--[a-zA-Z0-9+/=]{8}$/;

const markTypes = new Map<string, MarkType | null>();

function markTypeOf(key: string): MarkType | null {
  let type = markTypes.get(key);
  if (type === undefined) {
    type = documentSchema().marks[key.replace(HASHED_MARK, '')] ?? null;
    // Bounded: only keys of the schema are kept, or a client could grow the map without end.
    if (type) markTypes.set(key, type);
  }
  return type;
}

function unknownAttribute(given: object, spec: Record<string, unknown> | undefined): string | undefined {
  for (const key of Object.keys(given)) if (!spec || !Object.hasOwn(spec, key)) return key;
  return undefined;
}

/** Longest text an attribute may hold (a footnote's text is the longest the seed has: under 2,000). */
const MAX_ATTRIBUTE_CHARS = 10_000;
/** Attributes whose value is structured data by design: the figure's groups, a proposed paragraph's owner. */
const STRUCTURED_ATTRIBUTES = new Set(['figure.groups', 'numberedParagraph.suggestion']);

/**
 * Why an attribute's value is not one the schema's readers can use, or null. Values are JSON
 * primitives (readers turn them into strings: an object whose `toString` is not a function breaks every
 * read), short, and only the attributes made for it hold plain structured data.
 */
function badAttributeValue(owner: string, key: string, value: unknown): string | null {
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number')
    return Number.isFinite(value) ? null : `attribute ${key} of ${owner} is not a finite number`;
  if (typeof value === 'string')
    return value.length <= MAX_ATTRIBUTE_CHARS
      ? null
      : `attribute ${key} of ${owner} is over ${MAX_ATTRIBUTE_CHARS} characters`;
  if (typeof value === 'object' && STRUCTURED_ATTRIBUTES.has(`${owner}.${key}`) && isPlainData(value, 0)) {
    let size = Number.POSITIVE_INFINITY;
    try {
      size = JSON.stringify(value).length;
    } catch {}
    return size <= 4 * MAX_ATTRIBUTE_CHARS ? null : `attribute ${key} of ${owner} is too large`;
  }
  return `attribute ${key} of ${owner} holds a ${Array.isArray(value) ? 'list' : typeof value}`;
}

/** Plain JSON data: primitives, arrays and objects of plain prototype, not too deep. */
function isPlainData(value: unknown, depth: number): boolean {
  if (depth > 6) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isPlainData(v, depth + 1));
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((v) => isPlainData(v, depth + 1));
}

/** The first attribute of `given` whose value is not usable (see badAttributeValue), or null. */
function badAttributes(owner: string, given: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(given)) {
    const why = badAttributeValue(owner, key, value);
    if (why) return why;
  }
  return null;
}

/** The formatting in force at a point of a text, as the walker sees it (Yjs's currentAttributes). */
class Formatting {
  /** A Map, as Yjs keeps it: deleting keys from a plain object would make every later access slow. */
  readonly attrs = new Map<string, unknown>();
  private version = 0;
  private cachedVersion = -1;
  fmt = '{}';
  inserted: SuggestionRef | null = null;
  deleted: SuggestionRef | null = null;
  private rawKey: string | null = '{}';

  /** The formatting as a raw key (inside a proposed block, where marks are the owner's own). */
  get raw(): string {
    this.rawKey ??= canonicalJson(Object.fromEntries(this.attrs));
    return this.rawKey;
  }

  set(key: string, value: unknown): void {
    if (value === null) this.attrs.delete(key);
    else this.attrs.set(key, value);
    this.version++;
  }

  /** Recomputes the derived keys if the formatting changed since; true when it did. */
  refresh(): boolean {
    if (this.cachedVersion === this.version) return false;
    this.cachedVersion = this.version;
    const rest: Record<string, unknown> = {};
    const ins = this.attrs.get(SUGGEST_INSERT);
    const del = this.attrs.get(SUGGEST_DELETE);
    for (const [key, value] of this.attrs) {
      // The delete mark is kept on inserted text: both marks on one run is no client's doing and must show.
      if (key === SUGGEST_INSERT || (key === SUGGEST_DELETE && ins === undefined)) continue;
      rest[key] = value;
    }
    this.fmt = canonicalJson(rest);
    this.rawKey = null;
    this.inserted = ins === undefined ? null : suggestionRefOf(ins);
    this.deleted = del === undefined ? null : suggestionRefOf(del);
    return true;
  }
}

/** One owner's run in a text: an entry of its projection, `at` relative to the text's start. */
interface SegmentEntry extends Span {
  content: PieceWriter;
}

/** A chunk's entry: its words kept as pieces too, in case the next chunk's first run continues it. */
interface ChunkEntry extends Span {
  body: string;
  pieces: Piece[];
}

/**
 * What one Y.XmlText contributes to its block's projection, independent of where the text sits: kept
 * per text by a {@link TextProjections} and reused while the text is unchanged, so that an update
 * re-walks only the texts it touched (a list of twelve paragraphs is twelve texts). Nothing crosses
 * from one text to the next: between two texts TipTap always writes an element, whose tokens advance
 * the position, so no owner's entry can continue into the next text; two texts side by side (no
 * client's doing) read as two runs.
 */
export interface TextSegment {
  /** The schema type of the enclosing node (its allowed marks) and the proposed block's owner. */
  parent: NodeType | null;
  raw: string | null;
  /** Official positions the text spans: characters and embeds, not inserted words. */
  length: number;
  /** Characters and embeds, official or not: whether the text holds anything. */
  seen: number;
  /** The official (or, raw, the proposal's) tokens, complete. */
  tokens: string;
  /** Entries in the order they were opened, each with its canonical body (kind, id, author, words). */
  entries: { kind: Span['kind']; ref: SuggestionRef; at: number; len: number; body: string }[];
  refs: SuggestionRef[];
  content: Map<string, number[]>;
  crossings: Map<string, { inserted: SuggestionRef; deleted: SuggestionRef }>;
  problem: string | null;
}

/** A text run not yet closed (`[fmt, words]`), or a finished token. */
type Piece = string | [string, string];

/**
 * What walking one chunk of a text gave: as a {@link TextSegment}, but its official tokens and its
 * entries' words kept as pieces, so that runs at its edges merge with the neighbouring chunks' as one
 * walk would merge them.
 */
interface ChunkSegment extends Omit<TextSegment, 'tokens' | 'parent' | 'raw' | 'entries'> {
  pieces: Piece[];
  entries: ChunkEntry[];
  /** Whether the last run went to the last entry (no plain official words after it): it may continue. */
  tailOpen: boolean;
  /** Whether the chunk starts inside an insertion (its first entry may continue the previous chunk's). */
  startsInside: boolean;
  /**
   * Its pieces but the first and the last, encoded: only a chunk's edge pieces can merge with another
   * chunk's, so a reused chunk's inside is encoded once, not on every walk of its text.
   */
  middle?: string;
}

/** No formatting in force where a chunk starts. */
const NO_FORMAT: unique symbol = Symbol('no formatting');

/** A chunk's walk and the items it walked (not deleted, with their lengths then): reusable while equal. */
interface ChunkRecord {
  /** The insertion mark's value in force where the chunk starts, or NO_FORMAT. */
  incoming: unknown;
  items: Y.Item[];
  lengths: number[];
  segment: ChunkSegment;
}

interface TextState {
  parent: NodeType | null;
  raw: string | null;
  /** The text's projection; null once the text changed. */
  segment: TextSegment | null;
  /** The chunks of the last walk, by their first item (null: the chunk at the text's start). */
  chunks: Map<Y.Item | null, ChunkRecord>;
}

/**
 * Text projections cached per Y.XmlText, for a caller that knows which texts changed (the guard reads
 * `transaction.changed`) and calls {@link TextProjections.forget} on them before projecting again.
 * Within a changed text only the chunks whose items changed are walked again.
 */
export class TextProjections {
  private readonly states = new WeakMap<Y.XmlText, TextState>();

  /** The text's state for this context: a state of another context (parent type, proposal) is dropped. */
  state(text: Y.XmlText, parent: NodeType | null, raw: string | null): TextState {
    let state = this.states.get(text);
    if (!state || state.parent !== parent || state.raw !== raw) {
      state = { parent, raw, segment: null, chunks: new Map() };
      this.states.set(text, state);
    }
    return state;
  }

  /** The text changed: its projection is walked again (its unchanged chunks reused). */
  forget(text: Y.XmlText): void {
    const state = this.states.get(text);
    if (state) state.segment = null;
  }

  /** Something inside the text (an embedded type) changed, which chunks cannot tell: forget it all. */
  drop(text: Y.XmlText): void {
    this.states.delete(text);
  }

  /** The text's projection as last composed (before any `forget`), or null if it has none. */
  peek(text: Y.XmlText): TextSegment | null {
    return this.states.get(text)?.segment ?? null;
  }

  /**
   * The text's projection now, in the context (enclosing node, proposal) of its last projection; null
   * if it was never projected. Its unchanged chunks are reused, as by a block's walk.
   */
  again(text: Y.XmlText): TextSegment | null {
    const state = this.states.get(text);
    if (!state) return null;
    state.segment = null;
    return projectText(text, state.parent, state.raw, state);
  }
}

/**
 * Where a text is cut into chunks: before a run with no formatting in force, or only an insertion
 * mark, so that a chunk's walk starts from a state known by one value (the walk at the text's start,
 * or with that insertion mark set), at about one run in sixty-four (fewer, longer chunks: composing a text from its chunks costs more than walking a changed chunk), chosen by the item's id so that a
 * chunk's edges do not move when words change elsewhere. The insertion mark's value, or NO_FORMAT;
 * undefined where no chunk starts.
 */
function chunkStart(item: Y.Item, formatting: ReadonlyMap<string, unknown>): unknown {
  if (((item.id.clock ^ item.id.client) & 63) !== 0) return undefined;
  if (formatting.size === 0) return NO_FORMAT;
  if (formatting.size !== 1) return undefined;
  const value = formatting.get(SUGGEST_INSERT);
  return value !== null && typeof value === 'object' ? value : undefined;
}

/**
 * A text's projection. With `state`, reuses each chunk whose items are those it walked last time and
 * that starts from the same formatting: a chunk's walk depends only on these. Where one chunk's last
 * entry continues into the next, the two are joined (see composeChunks).
 */
function projectText(
  node: Y.XmlText,
  parent: NodeType | null,
  raw: string | null,
  state: TextState | null,
): TextSegment {
  if (state?.segment) return state.segment;
  const old = state?.chunks;
  const chunks = new Map<Y.Item | null, ChunkRecord>();
  const segments: ChunkSegment[] = [];
  /** Keys in force (formatting): a chunk starts only where none is. */
  const formatting = new Map<string, unknown>();
  let key: Y.Item | null = null;
  let start: Y.Item | null = node._start;
  let incoming: unknown = NO_FORMAT;
  let record = old?.get(null);
  let checked = 0;
  let same = record !== undefined && record.incoming === incoming;
  let cacheable = true;
  const close = (end: Y.Item | null) => {
    if (same && record && checked === record.items.length) {
      chunks.set(key, record);
      segments.push(record.segment);
      return;
    }
    const walker = new TextWalker(raw, parent);
    const segment = walker.walk(start, end, incoming);
    segments.push(segment);
    if (cacheable && state) chunks.set(key, { incoming, items: walker.items, lengths: walker.lengths, segment });
  };
  for (let n = node._start; n !== null; n = n.right) {
    if (n.deleted) continue;
    const c = n.content;
    const kind = c.constructor;
    if (kind === ContentFormat) {
      const format = c as Y.ContentFormat;
      if (format.value === null) formatting.delete(format.key);
      else formatting.set(format.key, format.value);
    } else if (kind === ContentString && n !== start) {
      const from = chunkStart(n, formatting);
      if (from !== undefined) {
        close(n);
        key = n;
        start = n;
        incoming = from;
        record = old?.get(n);
        checked = 0;
        same = record !== undefined && record.incoming === incoming;
        cacheable = true;
      }
    } else if (c instanceof Y.ContentEmbed || c instanceof Y.ContentType) cacheable = false;
    if (same && record) {
      same = record.items[checked] === n && record.lengths[checked] === n.length;
      checked++;
    }
  }
  close(null);
  if (state) state.chunks = chunks;
  const segment = composeChunks(segments, parent, raw);
  if (state) state.segment = segment;
  return segment;
}

/**
 * One text's segment from its chunks', in order. A chunk that starts inside an insertion continues the
 * previous chunk's last entry when one walk would have: that entry is the last thing before it (no
 * plain official words between), an insertion of the same amendment and author at the same place.
 */
function composeChunks(chunks: readonly ChunkSegment[], parent: NodeType | null, raw: string | null): TextSegment {
  const out = new TokenWriter();
  const entries: TextSegment['entries'] = [];
  const refs = new Map<string, SuggestionRef>();
  const content = new Map<string, IdRanges>();
  const crossings = new Map<string, { inserted: SuggestionRef; deleted: SuggestionRef }>();
  let problem: string | null = null;
  let pos = 0;
  let seen = 0;
  /** The last entry and its pieces, while the next chunk may still continue it. */
  let open: { index: number; pieces: Piece[] } | null = null;
  for (const chunk of chunks) {
    replayChunk(out, chunk);
    let first = 0;
    const head = chunk.entries[0];
    const tail = open === null ? undefined : entries[open.index];
    if (
      open !== null &&
      chunk.startsInside &&
      head !== undefined &&
      tail !== undefined &&
      head.kind === 'I' &&
      head.at === 0 &&
      tail.kind === 'I' &&
      tail.at === pos &&
      tail.ref.by === head.ref.by &&
      tail.ref.id === head.ref.id &&
      tail.ref.author === head.ref.author
    ) {
      const pieces: Piece[] = [...open.pieces, ...head.pieces];
      entries[open.index] = { ...tail, len: tail.len + head.len, body: bodyOf(head.kind, head.ref, pieces) };
      open = { index: open.index, pieces };
      first = 1;
    }
    for (let i = first; i < chunk.entries.length; i++) {
      const e = chunk.entries[i] as ChunkEntry;
      entries.push({ kind: e.kind, ref: e.ref, at: e.at + pos, len: e.len, body: e.body });
    }
    if (!chunk.tailOpen) open = null;
    else if (chunk.entries.length > first)
      open = { index: entries.length - 1, pieces: (chunk.entries.at(-1) as ChunkEntry).pieces };
    for (const ref of chunk.refs) {
      const k = refKey(ref);
      if (!refs.has(k)) refs.set(k, ref);
    }
    for (const [owner, triples] of chunk.content) {
      let ranges = content.get(owner);
      if (!ranges) {
        ranges = new IdRanges();
        content.set(owner, ranges);
      }
      for (let i = 0; i < triples.length; i += 3)
        ranges.push(triples[i] as number, triples[i + 1] as number, triples[i + 2] as number);
    }
    for (const [k, crossing] of chunk.crossings) if (!crossings.has(k)) crossings.set(k, crossing);
    problem ??= chunk.problem;
    pos += chunk.length;
    seen += chunk.seen;
  }
  const triples = new Map<string, number[]>();
  for (const [owner, ranges] of content) triples.set(owner, ranges.triples);
  return {
    parent,
    raw,
    length: pos,
    seen,
    tokens: out.toString(),
    entries,
    refs: [...refs.values()],
    content: triples,
    crossings,
    problem,
  };
}

/**
 * `replay` of a chunk's pieces, its inside encoded once. Exact: within a chunk a PieceWriter has merged
 * every run of one formatting, so two text pieces side by side differ in formatting and a TokenWriter
 * would merge nothing across the inside's edges either.
 */
function replayChunk(out: TokenWriter, chunk: ChunkSegment): void {
  const pieces = chunk.pieces;
  if (pieces.length < 3) {
    replay(out, pieces);
    return;
  }
  if (chunk.middle === undefined) {
    const inside = new TokenWriter();
    replay(inside, pieces.slice(1, -1));
    chunk.middle = inside.toString();
  }
  replay(out, pieces.slice(0, 1));
  out.pushTokens(chunk.middle);
  replay(out, pieces.slice(-1));
}

function replay(out: TokenWriter, pieces: readonly Piece[]): void {
  for (const piece of pieces) {
    if (typeof piece === 'string') out.pushToken(piece);
    else out.pushText(piece[1], piece[0]);
  }
}

/** Records what a TokenWriter would be given, runs of the same formatting merged. */
class PieceWriter {
  readonly pieces: Piece[] = [];
  private last: [string, string] | null = null;

  pushText(text: string, fmt: string): void {
    const last = this.last;
    if (last !== null && last[0] === fmt) last[1] += text;
    else {
      this.last = [fmt, text];
      this.pieces.push(this.last);
    }
  }

  pushToken(token: string): void {
    this.last = null;
    this.pieces.push(token);
  }
}

/** Walks one text in order, splitting official content from each owner's suggestions. */
class TextWalker {
  readonly out = new PieceWriter();
  /** The items walked (not deleted) and their lengths, to tell later whether the chunk changed. */
  readonly items: Y.Item[] = [];
  readonly lengths: number[] = [];
  pos = 0;
  seen = 0;
  readonly entries: SegmentEntry[] = [];
  /**
   * The entry the last run of text went to (null after a run of plain official words): an owner's run
   * continues its entry only if nothing came between, so that words typed inside another owner's
   * insertion or strike split it — which changes that owner's projection, and is refused.
   */
  private lastEntry: SegmentEntry | null = null;
  readonly refs = new Map<string, SuggestionRef>();
  /** Refs already noted, by object: a run's ref is the same object until the formatting changes. */
  private readonly noted = new Set<SuggestionRef>();
  readonly content = new Map<string, IdRanges>();
  private lastOwner: string | null = null;
  private lastRanges: IdRanges | null = null;
  readonly crossings = new Map<string, { inserted: SuggestionRef; deleted: SuggestionRef }>();
  problem: string | null = null;

  constructor(
    private readonly raw: string | null,
    private readonly parent: NodeType | null,
  ) {}

  private flag(problem: string): void {
    this.problem ??= problem;
  }

  /** Walks from `from` up to (not including) `to`, with `incoming` as the insertion mark in force. */
  walk(from: Y.Item | null, to: Y.Item | null, incoming: unknown): ChunkSegment {
    const formatting = new Formatting();
    const startsInside = incoming !== NO_FORMAT;
    if (startsInside) formatting.set(SUGGEST_INSERT, incoming);
    for (let n = from; n !== null && n !== to; n = n.right) {
      if (n.deleted) continue;
      this.items.push(n);
      this.lengths.push(n.length);
      const c = n.content;
      // By constructor, as Yjs's own toDelta does: deleted items are most of a long history.
      const kind = c.constructor;
      if (kind === ContentFormat) {
        const format = c as Y.ContentFormat;
        formatting.set(format.key, format.value);
      } else if (kind === ContentString) {
        const str = (c as Y.ContentString).str;
        if (formatting.refresh()) this.checkMarks(formatting.attrs);
        this.run(str, n.id, formatting);
      } else if (c instanceof Y.ContentEmbed || c instanceof Y.ContentType) {
        this.flag('an embed inside a text');
        this.seen++;
        this.out.pushToken(opaqueToken(c instanceof Y.ContentEmbed ? c.embed : c.type));
        this.pos++;
      }
    }
    const content = new Map<string, number[]>();
    for (const [owner, ranges] of this.content) content.set(owner, ranges.triples);
    return {
      length: this.pos,
      seen: this.seen,
      pieces: this.out.pieces,
      entries: this.entries.map((e) => ({
        kind: e.kind,
        ref: e.ref,
        at: e.at,
        len: e.len,
        body: bodyOf(e.kind, e.ref, e.content.pieces),
        pieces: e.content.pieces,
      })),
      tailOpen: this.lastEntry !== null,
      startsInside,
      refs: [...this.refs.values()],
      content,
      crossings: this.crossings,
      problem: this.problem,
    };
  }

  private checkMarks(attrs: ReadonlyMap<string, unknown>): void {
    const parent = this.parent;
    for (const [key, value] of attrs) {
      const mark = markTypeOf(key);
      if (!mark) {
        this.flag(`unknown mark ${JSON.stringify(key)}`);
        continue;
      }
      if (parent && !parent.allowsMarkType(mark)) this.flag(`${parent.name} may not hold mark ${mark.name}`);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        this.flag(`mark ${mark.name} without attributes`);
        continue;
      }
      const attribute = unknownAttribute(value, mark.spec.attrs);
      if (attribute !== undefined) this.flag(`unknown attribute ${JSON.stringify(attribute)} on mark ${mark.name}`);
      const bad = badAttributes(mark.name, value as Record<string, unknown>);
      if (bad) this.flag(bad);
    }
  }

  private note(owner: string, id: Y.ID, str: string): void {
    let ranges = owner === this.lastOwner ? this.lastRanges : this.content.get(owner);
    if (!ranges) {
      ranges = new IdRanges();
      this.content.set(owner, ranges);
    }
    this.lastOwner = owner;
    this.lastRanges = ranges;
    ranges.push(id.client, id.clock, str.length);
  }

  private run(str: string, id: Y.ID, f: Formatting): void {
    this.seen += str.length;
    const raw = this.raw;
    if (raw !== null) {
      if (f.inserted) this.noteRef(f.inserted);
      if (f.deleted) this.noteRef(f.deleted);
      this.note(raw, id, str);
      this.out.pushText(str, f.raw);
      return;
    }
    if (f.inserted) {
      if (f.deleted && f.deleted.id !== f.inserted.id) {
        const key = `${f.inserted.id}\u0000${f.deleted.id}`;
        if (!this.crossings.has(key)) this.crossings.set(key, { inserted: f.inserted, deleted: f.deleted });
      }
      this.note(f.inserted.by, id, str);
      const entry = this.entryFor('I', f.inserted, this.pos, 0);
      entry.content.pushText(str, f.fmt);
      return;
    }
    this.note(OFFICIAL, id, str);
    if (f.deleted) {
      const entry = this.entryFor('D', f.deleted, this.pos, str.length);
      entry.content.pushText(str, f.fmt);
    } else this.lastEntry = null;
    this.out.pushText(str, f.fmt);
    this.pos += str.length;
  }

  /** The owner's current entry if this run continues it (same kind, id, author, adjacent), else a new one. */
  private entryFor(kind: Span['kind'], ref: SuggestionRef, at: number, len: number): SegmentEntry {
    this.noteRef(ref);
    const last = this.lastEntry;
    // The owner's last entry continues only if it is also the last entry of all (nothing came between).
    if (
      last !== null &&
      last.ref.by === ref.by &&
      last.kind === kind &&
      last.ref.id === ref.id &&
      last.ref.author === ref.author &&
      (kind === 'I' ? last.at === at : last.at + last.len === at)
    ) {
      last.len += len;
      return last;
    }
    const entry: SegmentEntry = { kind, ref, at, len, content: new PieceWriter() };
    this.entries.push(entry);
    this.lastEntry = entry;
    return entry;
  }

  private noteRef(ref: SuggestionRef): void {
    if (this.noted.has(ref)) return;
    this.noted.add(ref);
    this.refs.set(refKey(ref), ref);
  }
}

const refKeys = new WeakMap<SuggestionRef, string>();

function refKey(ref: SuggestionRef): string {
  let key = refKeys.get(ref);
  if (key === undefined) {
    key = `${ref.id}\u0000${ref.by}\u0000${ref.author}`;
    refKeys.set(ref, key);
  }
  return key;
}

/** An entry as its owner's projection shows it, without its place. */
function bodyOf(kind: Span['kind'], ref: SuggestionRef, pieces: readonly Piece[] | TokenWriter): string {
  let words: TokenWriter;
  if (pieces instanceof TokenWriter) words = pieces;
  else {
    words = new TokenWriter();
    replay(words, pieces);
  }
  return `${kind}${JSON.stringify(ref.id)}${JSON.stringify(ref.author)}${words.toString()}`;
}

interface Entry extends Span {
  body: string;
}

/**
 * An owner's view whose `loose` form is joined when first read: only senders who edit the official
 * text directly (the Office) are judged on it, so a delegate's keystroke never pays for it.
 */
class LazyOwnerView implements OwnerView {
  private joined: string | undefined;

  constructor(
    readonly anchored: string,
    private readonly entries: readonly Entry[],
  ) {}

  get loose(): string {
    this.joined ??= this.entries.map((e) => e.body).join('\n');
    return this.joined;
  }
}

/**
 * Walks one block in document order, splitting official content from each owner's suggestions, noting
 * which items hold what, and checking it against the shared schema on the way. Texts are walked by a
 * {@link TextWalker} (or their projection reused) and composed here at their place. For a block of
 * official text every effect on the projection goes through one {@link LayoutStep}, recorded, so that
 * replaying the steps (with some texts' newer projections) composes the same projection again.
 */
class BlockWalker {
  readonly official = new TokenWriter();
  readonly shape = new IdRanges();
  /** Attributes set on texts (official structure, never written by TipTap). */
  readonly shapeExtra: string[] = [];
  private pos = 0;
  /** Characters and embeds walked so far, official or not: tells whether a text holds anything. */
  private seen = 0;
  private readonly entries = new Map<string, Entry[]>();
  private readonly refs = new Map<string, SuggestionRef>();
  private readonly content = new Map<string, IdRanges>();
  private readonly crossings = new Map<string, { inserted: SuggestionRef; deleted: SuggestionRef }>();
  problem: string | null = null;

  /** `steps`: record the walk (a block of official text, whose tokens all go to `official`). */
  constructor(
    private readonly cache: TextProjections | undefined,
    readonly steps: LayoutStep[] | null = null,
  ) {}

  /** Records a step (when recording) and applies it. */
  take(step: LayoutStep): void {
    this.steps?.push(step);
    switch (step.step) {
      case 'token':
        this.official.pushToken(step.token);
        this.pos++;
        return;
      case 'text':
        this.compose(step.segment, this.official);
        return;
      case 'flag':
        this.problem ??= step.problem;
        return;
      case 'shape':
        this.shape.push(step.client, step.clock, 1);
        return;
      case 'extra':
        this.shapeExtra.push(step.extra);
    }
  }

  private flag(problem: string): void {
    if (this.steps) this.take({ step: 'flag', problem });
    else this.problem ??= problem;
  }

  private token(out: TokenWriter, token: string): void {
    if (this.steps && out === this.official) this.take({ step: 'token', token });
    else {
      out.pushToken(token);
      this.pos++;
    }
  }

  /**
   * `raw`: inside a proposed block everything is its owner's (`rawOwner`), marks included, so nothing is
   * split off. `parent`: the schema type of the enclosing node, whose allowed marks apply to text.
   */
  walk(node: Block, out: TokenWriter, raw: string | null, parent: NodeType | null): NodeType | null {
    if (node instanceof Y.XmlText) {
      this.text(node, out, raw, parent);
      return null;
    }
    if (node instanceof Y.XmlElement) {
      if (raw === null && node._item)
        this.take({ step: 'shape', client: node._item.id.client, clock: node._item.id.clock });
      this.token(out, `<${JSON.stringify(node.nodeName)}${elementAttributes(node, null)}`);
      const type = this.element(node);
      this.children(node, type, out, raw);
      this.token(out, '>');
      return type;
    }
    this.flag('a hook, which no document node is');
    this.token(out, opaqueToken(node));
    return null;
  }

  /** The element's schema type, after checking its name and attributes. */
  private element(node: Y.XmlElement): NodeType | null {
    const type = documentSchema().nodes[node.nodeName];
    if (!type || type.isText) {
      this.flag(`unknown node ${JSON.stringify(node.nodeName)}`);
      return null;
    }
    const attributes = node.getAttributes() as Record<string, unknown>;
    const attribute = unknownAttribute(attributes, type.spec.attrs);
    if (attribute !== undefined) this.flag(`unknown attribute ${JSON.stringify(attribute)} on ${type.name}`);
    const bad = badAttributes(type.name, attributes);
    if (bad) this.flag(bad);
    return type;
  }

  /** Walks the children of `node`, checking that they are content its type allows. */
  private children(node: Y.XmlElement, type: NodeType | null, out: TokenWriter, raw: string | null): void {
    let match: ContentMatch | null = type?.contentMatch ?? null;
    const textType = documentSchema().nodes.text;
    for (const child of node.toArray()) {
      const before = this.seen;
      const childType = this.walk(child as Block, out, raw, type);
      if (!type) continue;
      const matched = child instanceof Y.XmlText ? (this.seen > before ? textType : null) : childType;
      if (!matched) {
        if (!(child instanceof Y.XmlText)) match = null;
      } else if (match) match = match.matchType(matched);
      if (!match) {
        this.flag(
          `${type.name} may not hold ${child instanceof Y.XmlText ? 'text' : (childType?.name ?? 'this node')} there`,
        );
        type = null;
      }
    }
    if (type && match && !match.validEnd) this.flag(`${type.name} is incomplete`);
  }

  private text(node: Y.XmlText, out: TokenWriter, raw: string | null, parent: NodeType | null): void {
    if (raw === null && node._item)
      this.take({ step: 'shape', client: node._item.id.client, clock: node._item.id.clock });
    const textAttrs = node.getAttributes();
    if (Object.keys(textAttrs).length > 0) {
      // Never written by TipTap: an invisible payload on the text itself.
      this.flag('attributes on a text node');
      this.take({ step: 'extra', extra: canonicalJson(textAttrs) });
    }
    const segment = projectText(node, parent, raw, this.cache?.state(node, parent, raw) ?? null);
    if (this.steps && out === this.official) this.take({ step: 'text', text: node, segment });
    else this.compose(segment, out);
  }

  /** Adds a text's projection at the current place. */
  private compose(segment: TextSegment, out: TokenWriter): void {
    if (segment.problem !== null) this.problem ??= segment.problem;
    out.pushTokens(segment.tokens);
    const base = this.pos;
    for (const e of segment.entries) {
      let list = this.entries.get(e.ref.by);
      if (!list) {
        list = [];
        this.entries.set(e.ref.by, list);
      }
      list.push({ kind: e.kind, ref: e.ref, at: base + e.at, len: e.len, body: e.body });
    }
    for (const ref of segment.refs) {
      const key = refKey(ref);
      if (!this.refs.has(key)) this.refs.set(key, ref);
    }
    for (const [owner, triples] of segment.content) {
      let ranges = this.content.get(owner);
      if (!ranges) {
        ranges = new IdRanges();
        this.content.set(owner, ranges);
      }
      for (let i = 0; i < triples.length; i += 3)
        ranges.push(triples[i] as number, triples[i + 1] as number, triples[i + 2] as number);
    }
    for (const [key, crossing] of segment.crossings) if (!this.crossings.has(key)) this.crossings.set(key, crossing);
    this.pos += segment.length;
    this.seen += segment.seen;
  }

  proposed(el: Y.XmlElement, ref: SuggestionRef): void {
    this.noteRef(ref);
    const content = new TokenWriter();
    content.pushToken(`<${JSON.stringify(el.nodeName)}${elementAttributes(el, PROPOSED_BLOCK_ATTR)}`);
    const type = this.element(el);
    this.children(el, type, content, ref.by);
    this.entries.set(ref.by, [{ kind: 'P', ref, at: 0, len: 0, body: bodyOf('P', ref, content) }]);
  }

  private noteRef(ref: SuggestionRef): void {
    const key = refKey(ref);
    if (!this.refs.has(key)) this.refs.set(key, ref);
  }

  result(official: string | null): BlockProjection {
    const owners = new Map<string, OwnerView>();
    const spans: Span[] = [];
    const byId = new Map<string, string>();
    // Owners in key order, not in order of first appearance: an id's entries (`byId`) then change only
    // when its own entries do, not when another suggestion before them comes or goes.
    for (const [owner, list] of [...this.entries].sort(byOwnerKey)) {
      const anchored: string[] = [];
      const ownerJson = JSON.stringify(owner);
      for (const e of list) {
        const body = e.body;
        const placed = `@${e.at}+${e.len}${body}`;
        anchored.push(placed);
        // The entry itself: made for this projection and never changed after, so it can be the span.
        spans.push(e);
        byId.set(e.ref.id, `${byId.get(e.ref.id) ?? ''}${ownerJson}${placed}\n`);
      }
      owners.set(owner, new LazyOwnerView(anchored.join('\n'), list));
    }
    const content = new Map<string, readonly number[]>();
    for (const [owner, ranges] of this.content) content.set(owner, ranges.triples);
    return {
      official,
      owners,
      refs: [...this.refs.values()],
      spans,
      shape: this.shape.toString() + this.shapeExtra.join(''),
      content,
      problem: this.problem,
      byId,
      crossings: this.crossings,
      layout: this.steps,
    };
  }
}

/**
 * The projection of one top-level block of a section. `texts`: reuse (and keep) the projections of
 * texts the caller has not told it changed.
 */
export function projectBlock(block: Block, texts?: TextProjections): BlockProjection {
  if (block instanceof Y.XmlElement) {
    const proposal = block.getAttribute(PROPOSED_BLOCK_ATTR);
    if (proposal !== null && proposal !== undefined) {
      const walker = new BlockWalker(texts);
      walker.proposed(block, suggestionRefOf(proposal));
      return walker.result(null);
    }
  }
  const walker = new BlockWalker(texts, []);
  walker.walk(block, walker.official, null, null);
  return walker.result(walker.official.toString());
}

/**
 * A block of official text as it reads once the texts in `changed` hold their newer projections, its
 * elements unchanged: composed when first read. Equal to a fresh {@link projectBlock} of the block as
 * it then stands (the steps are the same walk's; only those texts' projections differ).
 */
export function withTexts(layout: BlockLayout, changed: ReadonlyMap<Y.XmlText, TextSegment>): BlockProjection {
  return new LaterBlockProjection(
    layout.map((step) => {
      if (step.step !== 'text') return step;
      const segment = changed.get(step.text);
      return segment ? { step: 'text', text: step.text, segment } : step;
    }),
  );
}

/** Every suggestion identity the layout's texts carry, once each, in order: a block's `refs`. */
function refsOfLayout(layout: BlockLayout): SuggestionRef[] {
  const refs = new Map<string, SuggestionRef>();
  for (const step of layout) {
    if (step.step !== 'text') continue;
    for (const ref of step.segment.refs) {
      const key = refKey(ref);
      if (!refs.has(key)) refs.set(key, ref);
    }
  }
  return [...refs.values()];
}

/** Orders owner keys as strings (UTF-16 code units): the order of a block's owners, `byId` and spans. */
export function compareOwnerKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const byOwnerKey = ([a]: [string, unknown], [b]: [string, unknown]) => compareOwnerKeys(a, b);

/** A block projection composed from its layout when first read, its `refs` without composing. */
class LaterBlockProjection implements BlockProjection {
  private composed: BlockProjection | null = null;
  private refList: readonly SuggestionRef[] | null = null;

  constructor(readonly layout: BlockLayout) {}

  private get full(): BlockProjection {
    if (this.composed) return this.composed;
    const walker = new BlockWalker(undefined, null);
    for (const step of this.layout) walker.take(step);
    this.composed = { ...walker.result(walker.official.toString()), layout: this.layout };
    return this.composed;
  }

  get official(): string {
    return this.full.official as string;
  }
  get owners(): ReadonlyMap<string, OwnerView> {
    return this.full.owners;
  }
  get refs(): readonly SuggestionRef[] {
    this.refList ??= this.composed?.refs ?? refsOfLayout(this.layout);
    return this.refList;
  }
  get spans(): readonly Span[] {
    return this.full.spans;
  }
  get shape(): string {
    return this.full.shape;
  }
  get content(): ReadonlyMap<string, readonly number[]> {
    return this.full.content;
  }
  get problem(): string | null {
    return this.full.problem;
  }
  get byId(): ReadonlyMap<string, string> {
    return this.full.byId;
  }
  get crossings(): ReadonlyMap<string, { inserted: SuggestionRef; deleted: SuggestionRef }> {
    return this.full.crossings;
  }
}

/** Whether the section's top-level blocks, in order, are content a document allows; null if they are. */
export function sectionProblem(blocks: readonly Block[]): string | null {
  const schema = documentSchema();
  let match: ContentMatch | null = schema.topNodeType.contentMatch;
  for (const block of blocks) {
    const type = block instanceof Y.XmlElement ? schema.nodes[block.nodeName] : undefined;
    match = type ? match.matchType(type) : null;
    if (!match) return `a section may not hold ${type ? type.name : 'text or hooks'} there`;
  }
  return match.validEnd ? null : 'a section may not be empty';
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
