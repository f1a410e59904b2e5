import * as Y from 'yjs';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { SUGGESTION_ID_PATTERN, SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';
import { sameOwner } from '../../shared/ownerKey.js';
import {
  type Block,
  type BlockProjection,
  type TextSegment,
  OFFICIAL,
  compareOwnerKeys,
  type OwnerView,
  type SuggestionRef,
  projectBlock,
  sameRanges,
  sectionProblem,
  sectionView,
  suggestionRefOf,
  TextProjections,
  withTexts,
} from './projection.js';

/** Who sent an update, as the server knows them (never as the update claims). */
export interface Author {
  userId: string;
  /** ownerKeyOf(user): whose amendments this user may write and edit. */
  ownerKey: string;
  /**
   * The other owner keys the user speaks for (a government delegate's regional groups, `region:AFRICA`):
   * they may write and edit suggestions under these too. From ownerKeysOf on the server's own record.
   */
  alsoFor?: readonly string[];
  /** May change the official text itself (the Office). */
  direct: boolean;
}

export type RefusalKind =
  | 'official'
  | 'others'
  | 'identity'
  | 'ownership'
  | 'schema'
  | 'items'
  | 'overlaps'
  | 'dependencies'
  | 'structure'
  | 'client'
  | 'deadline';

export type Verdict =
  | { ok: true }
  | {
      ok: false;
      kind: RefusalKind;
      detail: string;
      /** The amendment the refused change collided with (overlaps, ownership), and its owner. */
      amendmentId?: string;
      ownerKey?: string;
    };

/** The server's own changes: may change anything, but must leave a valid document. */
export const SERVER_AUTHOR: Author = { userId: 'server', ownerKey: '\u0000server', direct: true };

const ACCEPTED: Verdict = { ok: true };

/** Whether `key` is one the sender speaks for: their own, or one of their regional groups'. */
export function speaksAs(author: Author, key: string): boolean {
  // Marks typed before States had codes carry `government:South Africa`: the same owner as `government:ZA`.
  return sameOwner(key, author.ownerKey) || (author.alsoFor?.some((k) => sameOwner(k, key)) ?? false);
}

/** Every owner key the sender writes under. */
const keysOf = (author: Author): readonly string[] =>
  author.alsoFor?.length ? [author.ownerKey, ...author.alsoFor] : [author.ownerKey];

/** Transaction origin on the shadow, so nothing mistakes its changes for a connection's. */
const SHADOW = Symbol('shadow');

interface Shadow {
  doc: Y.Doc;
  root: Y.XmlFragment;
  order: Block[];
  blocks: Map<Block, BlockProjection>;
  /** Suggestion id → `by\0author` → how many blocks carry that identity. */
  ids: Map<string, Map<string, number>>;
  /** Each text's projection, forgotten when a transaction changes the text or anything inside it. */
  texts: TextProjections;
}

/** What an applied update changed, in projections not yet committed to the cache. */
interface Change {
  fresh: Map<Block, BlockProjection>;
  /** The list of top-level blocks, when it (or whether a block is official) may have changed. */
  order: Block[] | null;
  /** Clocks per client before the update: an item at or past its client's is new in this update. */
  before: Map<number, number>;
}

/** Any shared type, as Yjs itself types them in `transaction.changed`. */
type SharedType = Y.Transaction['changed'] extends Map<infer T, unknown> ? T : never;

/** A suggestion id the sender's update wrote, with the owner key it wrote it under. */
export interface TouchedId {
  id: string;
  ownerKey: string;
}

const identityKey = (ref: SuggestionRef) => `${ref.by}\u0000${ref.author}`;

/**
 * Judges delegates' updates against a long-lived shadow copy of the section before the real document
 * sees them: the update is applied to the shadow, only the top-level blocks the transaction touched are
 * re-projected, and their projections are compared with the cached ones. On refusal the shadow is
 * rebuilt from the real document, which never saw the update.
 *
 * Relies on Yjs internals (`transaction.changed`, `_item.parent`): pinned to yjs 13.6.33, and covered
 * by tests/unit/projection.test.ts.
 */
export class SuggestionGuard {
  /** Built on first use and dropped when it may have diverged: read-only rooms never pay for it. */
  private shadow: Shadow | null = null;
  /**
   * Suggestion ids the last accepted update brought that the section did not hold before — new
   * amendments, which the gatekeeper's deadline hook may still refuse. Read right after `judge`.
   */
  newIds: readonly string[] = [];
  /**
   * Suggestion ids in the sender's name whose words the last accepted update changed or created: the
   * gatekeeper checks who owns them. Read right after `judge`.
   */
  touchedIds: readonly TouchedId[] = [];
  /**
   * Suggestion ids of the sender's owner whose words the last accepted update created or changed and
   * which the section still holds afterwards: ids it removed entirely (a withdrawal) are not in it.
   * After the amendment deadline the gatekeeper refuses these. Read right after `judge`.
   */
  amendedIds: readonly string[] = [];
  private amendedCandidates: readonly string[] = [];

  /**
   * `wholeBlocks`: judge every update by whole blocks, as before the text-by-text path existed — the
   * reference that path is tested against.
   */
  constructor(
    private readonly source: Y.Doc,
    private readonly options: { wholeBlocks?: boolean } = {},
  ) {}

  /** Forget the shadow: the next use rebuilds it from the real document. */
  invalidate(): void {
    this.shadow?.doc.destroy();
    this.shadow = null;
  }

  /** Applies an update to the shadow and says whether `author` may make it. Refused: shadow rebuilt. */
  judge(update: Uint8Array, author: Author): Verdict {
    this.newIds = [];
    this.touchedIds = [];
    this.amendedIds = [];
    this.amendedCandidates = [];
    const shadow = this.ensure();
    const applied = this.apply(shadow, update, author);
    if ('texts' in applied) {
      if (this.quickVerdict(shadow, applied, author, update)) {
        commitWords(shadow, applied);
        this.amendedIds = this.amendedCandidates.filter((id) => shadow.ids.has(id));
        return ACCEPTED;
      }
      this.touchedIds = [];
      this.amendedCandidates = [];
      this.newIds = [];
    }
    const change = 'texts' in applied ? blocksOf(shadow, applied) : applied;
    const verdict = 'kind' in change ? change : this.verdict(shadow, change, author, update);
    if (!verdict.ok) {
      this.invalidate();
      return verdict;
    }
    if (!('kind' in change)) {
      commit(shadow, change);
      this.amendedIds = this.amendedCandidates.filter((id) => shadow.ids.has(id));
    }
    return ACCEPTED;
  }

  /** Brings in a change already applied to the real document (the server's own, a peer process's). */
  absorb(update: Uint8Array): void {
    const shadow = this.shadow;
    if (!shadow) return;
    const change = this.apply(shadow, update, null);
    if ('kind' in change) this.invalidate();
    else if ('texts' in change) commitWords(shadow, change);
    else commit(shadow, change);
  }

  private ensure(): Shadow {
    if (this.shadow) return this.shadow;
    const doc = new Y.Doc({ gc: this.source.gc });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.source));
    const root = doc.getXmlFragment(SECTION_FRAGMENT);
    const texts = new TextProjections();
    const shadow: Shadow = { doc, root, order: [], blocks: new Map(), ids: new Map(), texts };
    const order = root.toArray() as Block[];
    commit(shadow, {
      fresh: new Map(order.map((block) => [block, projectBlock(block, texts)])),
      order,
      before: new Map(),
    });
    this.shadow = shadow;
    return shadow;
  }

  private apply(
    shadow: Shadow,
    update: Uint8Array,
    author: Author | null,
  ): Change | WordsChange | Extract<Verdict, { ok: false }> {
    let transaction: Y.Transaction | null = null;
    try {
      // Not local: the shadow must do the same formatting cleanup as the real document does.
      Y.transact(
        shadow.doc,
        (tr) => {
          transaction = tr;
          Y.applyUpdate(shadow.doc, update);
        },
        SHADOW,
        false,
      );
    } catch {
      return { ok: false, kind: 'structure', detail: 'the update failed to apply' };
    }
    const { store, share } = shadow.doc;
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      return { ok: false, kind: 'dependencies', detail: 'the update depends on changes the server does not have' };
    }
    if (share.size !== 1 || !transaction) {
      return { ok: false, kind: 'structure', detail: 'the update creates another top-level type' };
    }
    // A delegate's typing (not the Office's direct edits, nor the server's) that changed only words
    // inside texts is judged text by text; anything else, or any doubt, by whole blocks. A change already
    // made (author null) is only brought into the cache, which the same path does for words.
    if (!this.options.wholeBlocks && (author === null || (author !== SERVER_AUTHOR && !author.direct))) {
      const words = wordsOnly(shadow, transaction);
      if (words) return words;
    }
    return touched(shadow, transaction);
  }

  /**
   * Judges a change of words only (see {@link wordsOnly}) text by text, without composing the blocks:
   * true when the whole-block verdict would accept it — then `touchedIds`, `amendedCandidates` and
   * `newIds` are set as that verdict sets them. False: the whole-block verdict decides.
   *
   * Why this is the same verdict: the blocks' elements did not change and, when the official tokens of
   * every changed text are equal, neither did any position (a text's length is its official content).
   * A block's official text, an owner's anchored view and an id's entries are then the unchanged texts'
   * parts with the changed texts' parts in between, so they are equal exactly when the changed texts'
   * parts are; the same holds for the items per owner (one canonical run-length list per text) and for
   * identities (every identity of an unchanged text is counted in `shadow.ids`).
   */
  private quickVerdict(shadow: Shadow, change: WordsChange, author: Author, update: Uint8Array): boolean {
    const theirs = (e: TextEntry) => !speaksAs(author, e.ref.by);
    /** Blocks where other owners' words are held by other items than before. */
    const othersItems = new Set<Block>();
    for (const { block, before, after } of change.texts) {
      if (before.tokens !== after.tokens || before.length !== after.length) return false;
      // A problem appearing, or one going (the block's first problem may become another), is judged whole.
      if (before.problem !== null || after.problem !== null) return false;
      // New crossings are refused by name; none means no new one in the block.
      if (after.crossings.size > 0) return false;
      // All other owners' entries equal, in one sequence: each owner's are then equal (the converse may
      // fail when entries of two owners at one place trade order; the whole-block verdict then decides).
      if (!sameEntriesWhere(before, after, theirs)) return false;
      for (const owner of before.content.keys())
        if (!speaksAs(author, owner) && !sameRanges(before.content.get(owner), after.content.get(owner)))
          othersItems.add(block);
      for (const owner of after.content.keys())
        if (!speaksAs(author, owner) && !before.content.has(owner)) othersItems.add(block);
    }
    // Other owners' words held by other items: only as a side effect of the sender's own words changing
    // in that block.
    for (const block of othersItems) if (!sendersTextsChanged(change, block, author)) return false;
    if (lostStrike(shadow, change.blocks, author, update)) return false;
    for (const block of change.blocks) {
      const layout = (shadow.blocks.get(block) as BlockProjection).layout as NonNullable<BlockProjection['layout']>;
      if (mayHoldOversized(layout, change.now)) return false;
    }
    const { touched, amended } = idsChangedIn(shadow, change, author);
    const newIds = new Set<string>();
    for (const { after } of change.texts) {
      for (const ref of after.refs) {
        if (!shadow.ids.has(ref.id)) newIds.add(ref.id);
        if (!mayCarry(shadow, ref, author)) return false;
      }
    }
    this.touchedIds = touched;
    this.amendedCandidates = amended;
    this.newIds = [...newIds];
    return true;
  }

  private verdict(shadow: Shadow, change: Change, author: Author, update: Uint8Array): Verdict {
    if (author === SERVER_AUTHOR) return compareSchema(shadow, change);
    const layout = change.order ? compareSections(shadow, change, author) : compareBlocks(shadow, change, author);
    if (!layout.ok) {
      if (layout === OTHERS_CHANGED)
        return (
          crossingOf(shadow, change, author) ?? (author.direct ? null : overlapOf(shadow, change, author)) ?? layout
        );
      return layout;
    }
    const crossing = crossingOf(shadow, change, author);
    if (crossing) return crossing;
    const items = compareItems(shadow, change, author);
    if (!items.ok) return items;
    const schema = compareSchema(shadow, change);
    if (!schema.ok) return schema;
    const lost = lostStrike(shadow, change.fresh.keys(), author, update);
    if (lost) return lost;
    const oversized = oversizedSuggestion(change, author);
    if (oversized) return oversized;
    this.touchedIds = touchedIdsOf(shadow, change, author);
    this.amendedCandidates = amendedIdsOf(shadow, change, author);
    const newIds = new Set<string>();
    for (const projection of change.fresh.values()) {
      for (const ref of projection.refs) {
        if (!shadow.ids.has(ref.id)) newIds.add(ref.id);
        if (!mayCarry(shadow, ref, author)) {
          const own = speaksAs(author, ref.by) && ref.author === author.userId && shadow.ids.has(ref.id);
          return {
            ok: false,
            // Marks in the sender's own name on an id the section holds for another owner: a take-over.
            kind: own ? 'ownership' : 'identity',
            detail: `suggestion ${JSON.stringify(ref.id)} claims by=${JSON.stringify(ref.by)} author=${JSON.stringify(ref.author)}`,
            ...(own ? { amendmentId: ref.id } : {}),
          };
        }
      }
    }
    if (newIds.size > 0) this.newIds = [...newIds];
    return ACCEPTED;
  }
}

/** An update that changed only words inside texts of blocks of official text: each text before and after. */
interface WordsChange {
  texts: { text: Y.XmlText; block: Block; before: TextSegment; after: TextSegment }[];
  blocks: Set<Block>;
  /** Each changed text's projection after the update. */
  now: Map<Y.XmlText, TextSegment>;
}

/**
 * The texts a transaction changed, when it changed nothing but words inside texts (no element, no
 * attribute, no block added or removed) of blocks of official text whose layout the cache holds; each
 * text re-projected. Null for anything else.
 */
function wordsOnly(shadow: Shadow, tr: Y.Transaction): WordsChange | null {
  const found: { text: Y.XmlText; block: Block; before: TextSegment }[] = [];
  const root: unknown = shadow.root;
  for (const [type, keys] of tr.changed) {
    if (!(type instanceof Y.XmlText)) return null;
    for (const key of keys) if (key !== null) return null;
    let node: Y.XmlText | Y.XmlElement = type;
    for (;;) {
      const item: Y.Item | null = node._item;
      if (!item || item.deleted) return null;
      if (item.parent === root) break;
      if (!(item.parent instanceof Y.XmlElement)) return null;
      node = item.parent;
    }
    const block = node as Block;
    const layout = shadow.blocks.get(block)?.layout;
    if (!layout) return null;
    let before: TextSegment | null = null;
    for (const step of layout) if (step.step === 'text' && step.text === type) before = step.segment;
    if (!before) return null;
    found.push({ text: type, block, before });
  }
  if (found.length === 0) return null;
  const texts: WordsChange['texts'] = [];
  for (const { text, block, before } of found) {
    const after = shadow.texts.again(text);
    if (!after) return null;
    texts.push({ text, block, before, after });
  }
  return { texts, blocks: new Set(found.map((f) => f.block)), now: new Map(texts.map((t) => [t.text, t.after])) };
}

/** The whole-block change for the blocks of a words-only change (their texts already re-projected). */
function blocksOf(shadow: Shadow, words: WordsChange): Change {
  const fresh = new Map<Block, BlockProjection>();
  for (const block of words.blocks) fresh.set(block, projectBlock(block, shadow.texts));
  return { fresh, order: null, before: new Map() };
}

type TextEntry = TextSegment['entries'][number];

/** Whether the entries matching `which` are the same in both, in order (place, length, body). */
function sameEntriesWhere(before: TextSegment, after: TextSegment, which: (e: TextEntry) => boolean): boolean {
  const a = before.entries;
  const b = after.entries;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !which(a[i] as TextEntry)) i++;
    while (j < b.length && !which(b[j] as TextEntry)) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    const x = a[i] as TextEntry;
    const y = b[j] as TextEntry;
    // The owner too: a body names the id and author, not whose amendment it is.
    if (x.ref.by !== y.ref.by || x.at !== y.at || x.len !== y.len || x.body !== y.body) return false;
    i++;
    j++;
  }
}

/** Whether an owner's entries in a text are the same before and after. */
const sameEntries = (before: TextSegment, after: TextSegment, owner: string) =>
  sameEntriesWhere(before, after, (e) => e.ref.by === owner);

/** Upper bound of what the text's entries add to any suggestion's `byId` string, by segment. */
const weights = new WeakMap<TextSegment, number>();

function weightOf(segment: TextSegment): number {
  let weight = weights.get(segment);
  if (weight === undefined) {
    weight = 0;
    // Owner as JSON (at most 6 characters per character), framing, two numbers, the body.
    for (const e of segment.entries) weight += e.body.length + 6 * e.ref.by.length + 48;
    weights.set(segment, weight);
  }
  return weight;
}

/**
 * Whether some suggestion of the block, as it stands after the update (`now`: the changed texts'
 * projections), could hold more than the limit: then it is judged whole.
 */
function mayHoldOversized(
  layout: NonNullable<BlockProjection['layout']>,
  now: ReadonlyMap<Y.XmlText, TextSegment>,
): boolean {
  let total = 0;
  for (const step of layout) if (step.step === 'text') total += weightOf(now.get(step.text) ?? step.segment);
  return total > MAX_SUGGESTION_CHARS_PER_BLOCK;
}

/**
 * For a words-only change: ids in the sender's name whose entries changed (amended candidates), and of
 * those the ids the blocks still hold in the sender's name, with the owner key (touched).
 */
function idsChangedIn(
  shadow: Shadow,
  change: WordsChange,
  author: Author,
): { touched: TouchedId[]; amended: string[] } {
  /** Each id whose entries changed, with the blocks where they did. */
  const amended = new Map<string, Set<Block>>();
  for (const { block, before, after } of change.texts) {
    const ids = new Set<string>();
    for (const e of before.entries) if (speaksAs(author, e.ref.by)) ids.add(e.ref.id);
    for (const e of after.entries) if (speaksAs(author, e.ref.by)) ids.add(e.ref.id);
    if (ids.size === 0) continue;
    const was = entriesById(before, ids);
    const is = entriesById(after, ids);
    for (const id of ids) {
      if (sameEntryList(was.get(id), is.get(id))) continue;
      const blocks = amended.get(id);
      if (blocks) blocks.add(block);
      else amended.set(id, new Set([block]));
    }
  }
  const touched: TouchedId[] = [];
  for (const [id, blocks] of amended) {
    const ownerKey = ownerInBlocks(shadow, change, blocks, id, author);
    if (ownerKey !== null) touched.push({ id, ownerKey });
  }
  return { touched, amended: [...amended.keys()] };
}

/** A text's entries of the given ids (every owner's), by id, in order. */
function entriesById(segment: TextSegment, ids: ReadonlySet<string>): Map<string, TextEntry[]> {
  const byId = new Map<string, TextEntry[]>();
  for (const e of segment.entries) {
    if (!ids.has(e.ref.id)) continue;
    const list = byId.get(e.ref.id);
    if (list) list.push(e);
    else byId.set(e.ref.id, [e]);
  }
  return byId;
}

/**
 * Whether two lists of one id's entries are the same for each owner: place, length and body, in order
 * (a block's `byId` lists an id's entries owner by owner).
 */
function sameEntryList(a: readonly TextEntry[] | undefined, b: readonly TextEntry[] | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  const owners = new Set<string>();
  for (const e of a) owners.add(e.ref.by);
  for (const e of b) owners.add(e.ref.by);
  for (const owner of owners) {
    const x = a.filter((e) => e.ref.by === owner);
    const y = b.filter((e) => e.ref.by === owner);
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const p = x[i] as TextEntry;
      const q = y[i] as TextEntry;
      if (p.at !== q.at || p.len !== q.len || p.body !== q.body) return false;
    }
  }
  return true;
}

/**
 * Whether the sender's own words (items or entries, per owner key it writes under) changed in a changed
 * text of `block` — in the block, then, as the whole-block verdict asks.
 */
function sendersTextsChanged(change: WordsChange, block: Block, author: Author): boolean {
  for (const { block: where, before, after } of change.texts) {
    if (where !== block) continue;
    for (const side of keysOf(author)) {
      if (!sameRanges(before.content.get(side), after.content.get(side)) || !sameEntries(before, after, side))
        return true;
    }
  }
  return false;
}

/**
 * The owner key under which the changed blocks, as they now stand, hold `id` in the sender's name, as
 * the whole-block verdict names it: in the first block (of the change's) where the id's entries changed,
 * the first such owner in key order (the order of a block's spans).
 */
function ownerInBlocks(
  shadow: Shadow,
  change: WordsChange,
  changedIn: ReadonlySet<Block>,
  id: string,
  author: Author,
): string | null {
  for (const block of change.blocks) {
    if (!changedIn.has(block)) continue;
    let first: string | null = null;
    for (const step of (shadow.blocks.get(block) as BlockProjection).layout ?? []) {
      if (step.step !== 'text') continue;
      for (const e of (change.now.get(step.text) ?? step.segment).entries) {
        if (e.ref.id !== id || !speaksAs(author, e.ref.by)) continue;
        if (first === null || compareOwnerKeys(e.ref.by, first) < 0) first = e.ref.by;
      }
    }
    if (first !== null) return first;
  }
  return null;
}

/** Whether two lists of identities are the same, in order. */
function sameRefList(a: readonly SuggestionRef[], b: readonly SuggestionRef[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as SuggestionRef;
    const y = b[i] as SuggestionRef;
    if (x !== y && (x.id !== y.id || x.by !== y.by || x.author !== y.author)) return false;
  }
  return true;
}

/** Commits a words-only change: each block becomes its layout with the changed texts' projections. */
function commitWords(shadow: Shadow, change: WordsChange): void {
  for (const block of change.blocks) {
    const prev = shadow.blocks.get(block) as BlockProjection;
    // A text belongs to one block: the layout takes the new projections of its own texts only.
    const next = withTexts(prev.layout as NonNullable<BlockProjection['layout']>, change.now);
    const sameIdentities = change.texts.every((t) => t.block !== block || sameRefList(t.before.refs, t.after.refs));
    if (!sameIdentities) {
      countRefs(shadow, prev, -1);
      countRefs(shadow, next, 1);
    }
    shadow.blocks.set(block, next);
  }
}

/** Top-level blocks under the types the transaction changed, re-projected. */
function touched(shadow: Shadow, tr: Y.Transaction): Change | Extract<Verdict, { ok: false }> {
  const fresh = new Map<Block, BlockProjection>();
  let restructured = false;
  const root: unknown = shadow.root;
  // First forget every text the transaction changed, or held something that changed (an embed), so
  // that no block below is composed from a stale text.
  for (const type of tr.changed.keys()) {
    if (type instanceof Y.XmlText) shadow.texts.forget(type);
    // A type inside a text (no client's doing) changes the text's walk in a way its chunks cannot tell.
    for (let node = type._item?.parent; node instanceof Y.AbstractType && node !== root; node = node._item?.parent) {
      if (node instanceof Y.XmlText) shadow.texts.drop(node);
    }
  }
  for (const type of tr.changed.keys()) {
    let node: SharedType = type;
    for (;;) {
      if (node === root) {
        restructured = true;
        break;
      }
      const item = node._item;
      if (!item || !(item.parent instanceof Y.AbstractType)) {
        return { ok: false, kind: 'structure', detail: 'the update changes a type outside the section' };
      }
      if (item.parent === root) {
        const block = asBlock(node);
        if (!block) return { ok: false, kind: 'structure', detail: 'the section holds a foreign type' };
        if (item.deleted) restructured = true;
        else if (!fresh.has(block)) fresh.set(block, projectBlock(block, shadow.texts));
        break;
      }
      node = item.parent;
    }
  }
  if (!restructured) {
    for (const [block, next] of fresh) {
      const prev = shadow.blocks.get(block);
      // Whether a block is official decides where the others sit: a change of kind is a restructuring.
      if (!prev || (prev.official === null) !== (next.official === null)) restructured = true;
    }
  }
  if (!restructured) return { fresh, order: null, before: tr.beforeState };
  const order = shadow.root.toArray() as Block[];
  for (const block of order) {
    if (!fresh.has(block) && !shadow.blocks.has(block)) fresh.set(block, projectBlock(block, shadow.texts));
  }
  return { fresh, order, before: tr.beforeState };
}

function asBlock(type: unknown): Block | null {
  return type instanceof Y.XmlElement || type instanceof Y.XmlText || type instanceof Y.XmlHook ? type : null;
}

function othersUnchanged(
  before: ReadonlyMap<string, OwnerView>,
  after: ReadonlyMap<string, OwnerView>,
  author: Author,
): boolean {
  const pick = (view: OwnerView | undefined) => (view ? (author.direct ? view.loose : view.anchored) : '');
  for (const owner of new Set([...before.keys(), ...after.keys()])) {
    if (!speaksAs(author, owner) && pick(before.get(owner)) !== pick(after.get(owner))) return false;
  }
  return true;
}

const OFFICIAL_CHANGED: Verdict = { ok: false, kind: 'official', detail: 'the official text would change' };
const ITEMS_CHANGED: Verdict = {
  ok: false,
  kind: 'items',
  detail: "the official text or another owner's words would be re-created, not kept",
};
const OTHERS_CHANGED: Verdict = { ok: false, kind: 'others', detail: "another owner's suggestions would change" };

/** The common case: the same blocks, some edited inside. */
function compareBlocks(shadow: Shadow, change: Change, author: Author): Verdict {
  for (const [block, next] of change.fresh) {
    const prev = shadow.blocks.get(block) as BlockProjection;
    if (!author.direct && prev.official !== next.official) return OFFICIAL_CHANGED;
    if (!othersUnchanged(prev.owners, next.owners, author)) return OTHERS_CHANGED;
  }
  return ACCEPTED;
}

/** Blocks added, removed or changed kind: compare whole-section views. */
function compareSections(shadow: Shadow, change: Change, author: Author): Verdict {
  const lookup = (block: Block) => change.fresh.get(block) ?? (shadow.blocks.get(block) as BlockProjection);
  const before = sectionView(
    shadow.order.map((b) => shadow.blocks.get(b) as BlockProjection),
    author.direct,
  );
  const after = sectionView((change.order ?? []).map(lookup), author.direct);
  if (!author.direct) {
    if (before.official.length !== after.official.length) return OFFICIAL_CHANGED;
    for (let i = 0; i < before.official.length; i++) {
      if (before.official[i] !== after.official[i]) return OFFICIAL_CHANGED;
    }
  }
  const joined = (lists: Map<string, string[]>) =>
    new Map(
      [...lists].map(([owner, list]): [string, OwnerView] => {
        const text = list.join('\n\n');
        return [owner, { anchored: text, loose: text }];
      }),
    );
  return othersUnchanged(joined(before.owners), joined(after.owners), author) ? ACCEPTED : OTHERS_CHANGED;
}

/** Whose side a run of words is on for `author`: their owner's suggestions, or (direct) the official text. */
const onSendersSide = (owner: string | undefined, author: Author) =>
  (owner !== undefined && speaksAs(author, owner)) || (author.direct && owner === OFFICIAL);

/** Whether the sender's own suggestions (or, editing directly, the official words) changed in a block. */
function sendersWordsChanged(prev: BlockProjection, next: BlockProjection, author: Author): boolean {
  const sides = author.direct ? [...keysOf(author), OFFICIAL] : keysOf(author);
  for (const side of sides) {
    if (!sameRanges(prev.content.get(side), next.content.get(side))) return true;
    if (prev.owners.get(side)?.anchored !== next.owners.get(side)?.anchored) return true;
  }
  return author.direct && prev.official !== next.official;
}

/**
 * Blocks that existed before and after: the same elements and texts must hold the official text, and
 * inside a text the characters of the official text and of other owners may be held by other items
 * only as a side effect of the sender changing its own words in that block.
 *
 * Why not item by item inside a text: y-tiptap writes a change by diffing strings without the caret
 * (`updateYText`: one common prefix, one common suffix, the whole middle deleted and inserted again,
 * then every run's marks written again). So one honest edit that changes a text at two places (a
 * replacement over one's own insertion: the strike, then the new words) deletes everything between
 * them, official words and other owners' words included, and types it again as new items; equal
 * characters next to each other trade items between owners (the typist's new item takes the official
 * place, an official item gets another owner's mark re-written on it); and an undo (Y.UndoManager)
 * restores deleted words as new items. Measured in the property test (tests/property), each of these
 * is refused by an item-by-item rule. At the item level they cannot be told from a delegate deleting
 * words and retyping them identically, so honest editing wins: the projection, compared before this,
 * holds every owner's words, formatting and anchors equal, so no one's text or amendment can change;
 * what a re-creation inside a text loses is only the identity of characters, which no record, binding
 * or owner check depends on (relative positions into them resolve next to the deleted items, which
 * Yjs keeps in place). What stays refused: a paragraph or text re-created (its `shape`), attributes
 * on an official text, and items re-held in a block where the sender changed nothing of its own.
 */
function compareItems(shadow: Shadow, change: Change, author: Author): Verdict {
  if (change.order && !author.direct) {
    const shapes = (blocks: Iterable<BlockProjection | undefined>) => {
      const out: string[] = [];
      for (const b of blocks) if (b && b.official !== null) out.push(b.shape);
      return out.join('|');
    };
    const before = shapes(shadow.order.map((b) => shadow.blocks.get(b)));
    const after = shapes(change.order.map((b) => change.fresh.get(b) ?? shadow.blocks.get(b)));
    if (before !== after) return ITEMS_CHANGED;
  }
  for (const [block, next] of change.fresh) {
    const prev = shadow.blocks.get(block);
    if (!prev) continue;
    if (!author.direct && prev.official !== null && prev.shape !== next.shape) return ITEMS_CHANGED;
    let ownChanged: boolean | undefined;
    for (const owner of new Set([...prev.content.keys(), ...next.content.keys()])) {
      if (onSendersSide(owner, author)) continue;
      if (sameRanges(prev.content.get(owner), next.content.get(owner))) continue;
      ownChanged ??= sendersWordsChanged(prev, next, author);
      if (!ownChanged) return ITEMS_CHANGED;
    }
  }
  return ACCEPTED;
}

/** A block may only become invalid... never: a problem it did not have before refuses the update. */
function compareSchema(shadow: Shadow, change: Change): Verdict {
  for (const [block, next] of change.fresh) {
    if (next.problem !== null && next.problem !== shadow.blocks.get(block)?.problem) {
      return { ok: false, kind: 'schema', detail: next.problem };
    }
  }
  if (change.order) {
    const problem = sectionProblem(change.order);
    if (problem !== null && problem !== sectionProblem(shadow.order))
      return { ok: false, kind: 'schema', detail: problem };
  }
  return ACCEPTED;
}

const overlapping = (a: { at: number; len: number }, b: { at: number; len: number }) =>
  b.len === 0 ? a.at < b.at && b.at < a.at + a.len : a.at < b.at + b.len && b.at < a.at + a.len;

/**
 * Another owner's words changed because the sender's suggestion sits on them (struck again, replaced):
 * names the amendment that already holds them, so the sender can co-sponsor or support it instead.
 */
function overlapOf(shadow: Shadow, change: Change, author: Author): Verdict | null {
  for (const [block, next] of change.fresh) {
    const prev = shadow.blocks.get(block);
    if (!prev) continue;
    const mine = next.spans.filter((s) => speaksAs(author, s.ref.by) && s.kind !== 'P');
    for (const theirs of prev.spans) {
      if (speaksAs(author, theirs.ref.by) || theirs.kind !== 'D') continue;
      if (mine.some((s) => overlapping(theirs, s))) return overlapsWith(theirs.ref);
    }
  }
  return null;
}

/**
 * A strike and an insertion of two amendments that came to share words: Yjs merged a concurrent strike
 * and an insertion at its edge (or inside it) so that the inserted words also carry the strike. The
 * struck amendment would then silently read the other's words as its own original; the one who arrives
 * second is told instead, naming the other amendment. (The projections alone miss it when the sender is
 * the inserter: the struck official words, and so the striker's projection, do not change.)
 */
function crossingOf(shadow: Shadow, change: Change, author: Author): Verdict | null {
  for (const [block, next] of change.fresh) {
    if (next.crossings.size === 0) continue;
    const prev = shadow.blocks.get(block);
    for (const [key, { inserted, deleted }] of next.crossings) {
      if (prev?.crossings.has(key)) continue;
      return overlapsWith(speaksAs(author, inserted.by) ? deleted : inserted);
    }
  }
  return null;
}

const overlapsWith = (ref: SuggestionRef): Verdict => ({
  ok: false,
  kind: 'overlaps',
  detail: `the words are already under amendment ${JSON.stringify(ref.id)} of ${ref.by}`,
  amendmentId: ref.id,
  ownerKey: ref.by,
});

const SUGGESTION_BYTES = Buffer.from(SUGGEST_DELETE);

/**
 * The sender's own suggestion formatting that lost, as Yjs resolves it, to another owner's: two strikes
 * of the same words at the same moment. Their format items order by clientID, and the loser's words
 * show the winner's mark. Without this the loser's amendment would vanish without a word.
 */
function lostStrike(shadow: Shadow, blocks: Iterable<Block>, author: Author, update: Uint8Array): Verdict | null {
  if (Buffer.from(update.buffer, update.byteOffset, update.byteLength).indexOf(SUGGESTION_BYTES) < 0) return null;
  /** Format items this update created, by id: whether each opens the sender's own suggestion. */
  const formats = new Map<string, boolean>();
  /** Every strike format item of this update in the sender's name, new amendment or extension of its own. */
  const ownStrikes: Y.ID[] = [];
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentFormat)) continue;
    const { key, value } = struct.content;
    // Strikes only: an insertion's words are its own items, which no concurrent mark can take over.
    if (key !== SUGGEST_DELETE) continue;
    // A new strike of the sender's (the closing items Yjs writes may restore marks the section holds).
    const ref = value === null ? null : suggestionRefOf(value);
    formats.set(
      `${struct.id.client}:${struct.id.clock}`,
      ref !== null && speaksAs(author, ref.by) && !shadow.ids.has(ref.id),
    );
    if (ref && speaksAs(author, ref.by)) ownStrikes.push(struct.id);
  }
  const overtaken = overtakenStrike(shadow, ownStrikes, formats, author);
  if (overtaken === UNNAMED)
    return { ok: false, kind: 'overlaps', detail: 'a concurrent change undid the strike of these words' };
  if (overtaken) return overlapsWith(overtaken);
  if (![...formats.values()].some(Boolean)) return null;
  for (const block of blocks) {
    const lost = lostIn(block, formats, author);
    if (lost) return overlapsWith(lost);
  }
  return null;
}

/**
 * A strike of the sender's that a concurrent strike of another owner overtook, whether it opens a new
 * amendment or extends one of the sender's own (the client extends an adjacent amendment of its group).
 * Yjs puts concurrent insertions at the same place between an item and its right origin, ordered by
 * clientID: a format item of another owner found between the sender's format item and the right origin
 * it was written against was unknown to the sender and now decides the words it meant to strike.
 */
function overtakenStrike(
  shadow: Shadow,
  ownStrikes: readonly Y.ID[],
  formats: ReadonlyMap<string, boolean>,
  author: Author,
): SuggestionRef | null {
  for (const id of ownStrikes) {
    const struct = Y.getItem(shadow.doc.store, id);
    // Read from the update, not here: Yjs's formatting cleanup deletes (and garbage-collects) the
    // sender's item as redundant when the other's lands right after it, which is the case looked for.
    if (!(struct instanceof Y.Item)) continue;
    const end = struct.rightOrigin;
    /** Whether a concurrent item cleared the strike, and an amendment of another owner met on the way. */
    let cleared = false;
    let met: SuggestionRef | null = null;
    for (let n = struct.right; n !== null; n = n.right) {
      if (end && n.id.client === end.client && n.id.clock <= end.clock && end.clock < n.id.clock + n.length) break;
      const c = n.content;
      if (n.deleted || !(c instanceof Y.ContentFormat) || formats.has(`${n.id.client}:${n.id.clock}`)) continue;
      if (c.key === SUGGEST_INSERT && c.value !== null) {
        const ref = suggestionRefOf(c.value);
        if (!speaksAs(author, ref.by)) met ??= ref;
      }
      if (c.key !== SUGGEST_DELETE) continue;
      if (c.value === null) {
        // A concurrent insertion's own formatting (y-tiptap writes every mark key the text knows,
        // `suggestionDelete: null` included) landed between the strike and its words and undid it.
        cleared = true;
        continue;
      }
      const theirs = suggestionRefOf(c.value);
      if (!speaksAs(author, theirs.by)) return theirs;
    }
    if (cleared) return met ?? UNNAMED;
  }
  return null;
}

/** An overtaken strike whose rival carries no amendment (the formatting of words of no one's). */
const UNNAMED: SuggestionRef = { id: '', by: '', author: '' };

function lostIn(node: Block, formats: ReadonlyMap<string, boolean>, author: Author): SuggestionRef | null {
  if (node instanceof Y.XmlElement) {
    for (const child of node.toArray()) {
      const lost = lostIn(child as Block, formats, author);
      if (lost) return lost;
    }
    return null;
  }
  if (!(node instanceof Y.XmlText)) return null;
  const current = new Map<string, unknown>();
  /** Keys whose span, opened by the sender's own format item, we are inside of. */
  const watching = new Set<string>();
  for (let n = node._start; n !== null; n = n.right) {
    if (n.deleted) continue;
    const c = n.content;
    if (c instanceof Y.ContentFormat) {
      if (c.value === null) current.delete(c.key);
      else current.set(c.key, c.value);
      const opens = formats.get(`${n.id.client}:${n.id.clock}`);
      if (opens !== undefined) {
        if (opens) watching.add(c.key);
        else watching.delete(c.key);
      }
    } else if (c instanceof Y.ContentString && watching.size > 0) {
      for (const key of watching) {
        const value = current.get(key);
        if (value === undefined) continue;
        const ref = suggestionRefOf(value);
        if (!speaksAs(author, ref.by)) return ref;
      }
    }
  }
  return null;
}

/** Ids in the sender's name whose entries the update changed or created. */
function touchedIdsOf(shadow: Shadow, change: Change, author: Author): TouchedId[] {
  const ids = new Map<string, string>();
  for (const [block, next] of change.fresh) {
    const prev = shadow.blocks.get(block);
    for (const span of next.spans) {
      if (!speaksAs(author, span.ref.by) || ids.has(span.ref.id)) continue;
      if (prev?.byId.get(span.ref.id) !== next.byId.get(span.ref.id)) ids.set(span.ref.id, span.ref.by);
    }
  }
  return [...ids].map(([id, ownerKey]) => ({ id, ownerKey }));
}

/**
 * Ids of the sender's owner whose entries the update created, changed or removed in some block: what
 * it did to the owner's amendments, before telling a withdrawal (no words left anywhere) from a change.
 */
function amendedIdsOf(shadow: Shadow, change: Change, author: Author): string[] {
  const ids = new Set<string>();
  const compare = (prev: BlockProjection | undefined, next: BlockProjection | undefined) => {
    for (const spans of [prev?.spans, next?.spans]) {
      for (const span of spans ?? []) {
        if (!speaksAs(author, span.ref.by) || ids.has(span.ref.id)) continue;
        if (prev?.byId.get(span.ref.id) !== next?.byId.get(span.ref.id)) ids.add(span.ref.id);
      }
    }
  };
  for (const [block, next] of change.fresh) compare(shadow.blocks.get(block), next);
  if (change.order) {
    const kept = new Set(change.order);
    for (const block of shadow.order) if (!kept.has(block)) compare(shadow.blocks.get(block), undefined);
  }
  return [...ids];
}

/**
 * Whether a suggestion identity may appear in what the sender changed. Identities that already exist
 * pass (the owner checks above guard other owners' content); a new id must be the sender's own; a new
 * identity on an existing id is a colleague continuing their owner's amendment, in their own name.
 */
function mayCarry(shadow: Shadow, ref: SuggestionRef, author: Author): boolean {
  const known = shadow.ids.get(ref.id);
  if (known?.has(identityKey(ref))) return true;
  if (!speaksAs(author, ref.by) || ref.author !== author.userId) return false;
  if (!known) return SUGGESTION_ID_PATTERN.test(ref.id);
  for (const key of known.keys()) if (key.startsWith(`${ref.by}\u0000`)) return true;
  return false;
}

function countRefs(shadow: Shadow, projection: BlockProjection | undefined, delta: 1 | -1): void {
  if (!projection) return;
  for (const ref of projection.refs) {
    let identities = shadow.ids.get(ref.id);
    if (!identities) {
      identities = new Map();
      shadow.ids.set(ref.id, identities);
    }
    const key = identityKey(ref);
    const n = (identities.get(key) ?? 0) + delta;
    if (n > 0) identities.set(key, n);
    else identities.delete(key);
    if (identities.size === 0) shadow.ids.delete(ref.id);
  }
}

/** Whether two projections carry the same suggestion identities, in the same order. */
function sameRefs(a: BlockProjection | undefined, b: BlockProjection): boolean {
  return a !== undefined && sameRefList(a.refs, b.refs);
}

function commit(shadow: Shadow, change: Change): void {
  for (const [block, projection] of change.fresh) {
    const prev = shadow.blocks.get(block);
    // Most updates change words, not which amendments a block carries: the counts stay as they are.
    if (!sameRefs(prev, projection)) {
      countRefs(shadow, prev, -1);
      countRefs(shadow, projection, 1);
    }
    shadow.blocks.set(block, projection);
  }
  if (!change.order) return;
  const kept = new Set(change.order);
  for (const [block, projection] of shadow.blocks) {
    // Deleted blocks leave the cache, or it would keep them (and their garbage-collected items) alive.
    if (!kept.has(block)) {
      countRefs(shadow, projection, -1);
      shadow.blocks.delete(block);
    }
  }
  shadow.order = change.order;
}

/**
 * Most text one amendment may hold in one block: a long pasted passage (a few thousand words) fits; a
 * megabyte grown message by message would be relayed to everyone and kept in every export.
 */
export const MAX_SUGGESTION_CHARS_PER_BLOCK = 100_000;

/** The sender's suggestion that grew past MAX_SUGGESTION_CHARS_PER_BLOCK in a block it touched, if any. */
function oversizedSuggestion(change: Change, author: Author): Verdict | null {
  for (const projection of change.fresh.values()) {
    for (const [id, placed] of projection.byId) {
      // `placed` is the suggestion's projection in this block: its words plus a little framing.
      if (
        placed.length > MAX_SUGGESTION_CHARS_PER_BLOCK &&
        projection.refs.some((r) => r.id === id && speaksAs(author, r.by))
      )
        return {
          ok: false,
          kind: 'structure',
          detail: `suggestion ${JSON.stringify(id)} holds more than ${MAX_SUGGESTION_CHARS_PER_BLOCK} characters in one paragraph`,
        };
    }
  }
  return null;
}
