import * as Y from 'yjs';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { SUGGESTION_ID_PATTERN } from '../../shared/suggestions.js';
import {
  type Block,
  type BlockProjection,
  type OwnerView,
  type SuggestionRef,
  projectBlock,
  sectionView,
} from './projection.js';

/** Who sent an update, as the server knows them (never as the update claims). */
export interface Author {
  userId: string;
  /** ownerKeyOf(user): whose amendments this user may write and edit. */
  ownerKey: string;
  /** May change the official text itself (the Office). */
  direct: boolean;
}

export type RefusalKind = 'official' | 'others' | 'identity' | 'dependencies' | 'structure' | 'client' | 'deadline';

export type Verdict = { ok: true } | { ok: false; kind: RefusalKind; detail: string };

const ACCEPTED: Verdict = { ok: true };

/** Transaction origin on the shadow, so nothing mistakes its changes for a connection's. */
const SHADOW = Symbol('shadow');

interface Shadow {
  doc: Y.Doc;
  root: Y.XmlFragment;
  order: Block[];
  blocks: Map<Block, BlockProjection>;
  /** Suggestion id → `by\0author` → how many blocks carry that identity. */
  ids: Map<string, Map<string, number>>;
}

/** What an applied update changed, in projections not yet committed to the cache. */
interface Change {
  fresh: Map<Block, BlockProjection>;
  /** The list of top-level blocks, when it (or whether a block is official) may have changed. */
  order: Block[] | null;
}

/** Any shared type, as Yjs itself types them in `transaction.changed`. */
type SharedType = Y.Transaction['changed'] extends Map<infer T, unknown> ? T : never;

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

  constructor(private readonly source: Y.Doc) {}

  /** Forget the shadow: the next use rebuilds it from the real document. */
  invalidate(): void {
    this.shadow?.doc.destroy();
    this.shadow = null;
  }

  /** Applies an update to the shadow and says whether `author` may make it. Refused: shadow rebuilt. */
  judge(update: Uint8Array, author: Author): Verdict {
    this.newIds = [];
    const shadow = this.ensure();
    const change = this.apply(shadow, update);
    const verdict = 'kind' in change ? change : this.verdict(shadow, change, author);
    if (!verdict.ok) {
      this.invalidate();
      return verdict;
    }
    if (!('kind' in change)) commit(shadow, change);
    return ACCEPTED;
  }

  /** Brings in a change already applied to the real document (the server's own, a peer process's). */
  absorb(update: Uint8Array): void {
    const shadow = this.shadow;
    if (!shadow) return;
    const change = this.apply(shadow, update);
    if ('kind' in change) this.invalidate();
    else commit(shadow, change);
  }

  private ensure(): Shadow {
    if (this.shadow) return this.shadow;
    const doc = new Y.Doc({ gc: this.source.gc });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.source));
    const root = doc.getXmlFragment(SECTION_FRAGMENT);
    const shadow: Shadow = { doc, root, order: [], blocks: new Map(), ids: new Map() };
    const order = root.toArray() as Block[];
    commit(shadow, { fresh: new Map(order.map((block) => [block, projectBlock(block)])), order });
    this.shadow = shadow;
    return shadow;
  }

  private apply(shadow: Shadow, update: Uint8Array): Change | Extract<Verdict, { ok: false }> {
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
    return touched(shadow, transaction);
  }

  private verdict(shadow: Shadow, change: Change, author: Author): Verdict {
    const layout = change.order ? compareSections(shadow, change, author) : compareBlocks(shadow, change, author);
    if (!layout.ok) return layout;
    const newIds = new Set<string>();
    for (const projection of change.fresh.values()) {
      for (const ref of projection.refs) {
        if (!shadow.ids.has(ref.id)) newIds.add(ref.id);
        if (!mayCarry(shadow, ref, author)) {
          return {
            ok: false,
            kind: 'identity',
            detail: `suggestion ${JSON.stringify(ref.id)} claims by=${JSON.stringify(ref.by)} author=${JSON.stringify(ref.author)}`,
          };
        }
      }
    }
    if (newIds.size > 0) this.newIds = [...newIds];
    return ACCEPTED;
  }
}

/** Top-level blocks under the types the transaction changed, re-projected. */
function touched(shadow: Shadow, tr: Y.Transaction): Change | Extract<Verdict, { ok: false }> {
  const fresh = new Map<Block, BlockProjection>();
  let restructured = false;
  const root: unknown = shadow.root;
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
        else if (!fresh.has(block)) fresh.set(block, projectBlock(block));
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
  if (!restructured) return { fresh, order: null };
  const order = shadow.root.toArray() as Block[];
  for (const block of order) {
    if (!fresh.has(block) && !shadow.blocks.has(block)) fresh.set(block, projectBlock(block));
  }
  return { fresh, order };
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
    if (owner !== author.ownerKey && pick(before.get(owner)) !== pick(after.get(owner))) return false;
  }
  return true;
}

const OFFICIAL_CHANGED: Verdict = { ok: false, kind: 'official', detail: 'the official text would change' };
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

/**
 * Whether a suggestion identity may appear in what the sender changed. Identities that already exist
 * pass (the owner checks above guard other owners' content); a new id must be the sender's own; a new
 * identity on an existing id is a colleague continuing their owner's amendment, in their own name.
 */
function mayCarry(shadow: Shadow, ref: SuggestionRef, author: Author): boolean {
  const known = shadow.ids.get(ref.id);
  if (known?.has(identityKey(ref))) return true;
  if (ref.by !== author.ownerKey || ref.author !== author.userId) return false;
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

function commit(shadow: Shadow, change: Change): void {
  for (const [block, projection] of change.fresh) {
    countRefs(shadow, shadow.blocks.get(block), -1);
    countRefs(shadow, projection, 1);
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
