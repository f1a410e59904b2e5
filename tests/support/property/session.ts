import type { Node as PMNode } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { suggestTransaction } from '../../../client/suggesting/suggestTransaction.js';
import { CloseCode } from '../../../shared/closeCodes.js';
import { SECTION_FRAGMENT } from '../../../shared/limits.js';
import { ownerKeyOf } from '../../../shared/suggestions.js';
import type { Cast, Person } from '../consultation.js';
import { connectProvider, waitForSync } from '../providers.js';
import type { TestServer } from '../testServer.js';
import { type SeenSuggestion, pmOf, schema, suggestionsIn } from './reading.js';

/**
 * A live consultation for the property test: one stock y-websocket client per person on one section,
 * edits made the way the TipTap client makes them (ProseMirror transaction → the client's suggesting
 * logic → y-tiptap's write into the Y.Doc), and a barrier that waits until every client and the server
 * hold the same Yjs state — never a fixed sleep.
 */

export const ACTORS = ['office', 'employers', 'workers', 'france', 'southAfrica'] as const;
export type ActorKey = (typeof ACTORS)[number];
export const DELEGATES: readonly ActorKey[] = ['employers', 'workers', 'france', 'southAfrica'];

/** Origin of the user's own edits, as y-tiptap's sync plugin key is for TipTap's undo manager. */
const LOCAL = Symbol('local-edit');

export interface Actor {
  key: ActorKey;
  person: Person;
  ownerKey: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  undo: Y.UndoManager;
  /** Set when the server closed the socket (a refusal): the client must start again with a fresh doc. */
  closed: { code: number; reason: string } | null;
  /** While we close the socket ourselves (a reconnection), its close event is not a refusal. */
  leaving: boolean;
}

export interface LocalEdit {
  update: Uint8Array;
  next: EditorState;
  /** Suggestions whose words, owner or author the edit changed, appeared or removed. */
  touched: string[];
  /** Suggestions that did not exist before the edit. */
  created: SeenSuggestion[];
}

export type Delivery = { ok: true } | { ok: false; code: number; reason: string };

const BARRIER_MS = 8000;

/**
 * Waits until `condition` holds, re-checking whenever one of `docs` changes (and every few ms, for
 * changes that are not document updates, such as a socket's state).
 */
function waitFor(what: string, condition: () => boolean, docs: Y.Doc[] = [], timeoutMs = BARRIER_MS): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(deadline);
      for (const doc of docs) doc.off('update', onUpdate);
      if (err) reject(err);
      else resolve();
    };
    const check = () => {
      if (!done && condition()) finish();
    };
    const onUpdate = () => setImmediate(check);
    const poll = setInterval(check, 3);
    const deadline = setTimeout(
      () => finish(new Error(`barrier: ${what} did not happen within ${timeoutMs} ms`)),
      timeoutMs,
    );
    for (const doc of docs) doc.on('update', onUpdate);
  });
}

function sameState(a: Y.Doc, b: Y.Doc): boolean {
  return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));
}

/** The server's rate limit (server/collab/refusals.ts): more than 5 refusals a minute closes unjudged. */
const RATE_LIMIT = { refusals: 5, windowMs: 60_000 };

/**
 * Test-only: forgets the refusals the server counted per user, so that one session's hostile steps do
 * not rate-limit the next session's honest typing (the users are shared: sign-ins are slow on purpose).
 * Reaches into the collaboration server's private ledger; if its shape changes this does nothing and
 * the session's own model of the rate limit still applies.
 */
export function forgetRefusals(server: TestServer): void {
  const ledger = (server.services.collab as unknown as { refusals?: { recent?: unknown } }).refusals?.recent;
  if (ledger instanceof Map) ledger.clear();
}

export class Session {
  readonly actors = new Map<ActorKey, Actor>();
  /** Every 4409 close seen in this session, per user: to tell the server's rate limit from a bug. */
  private readonly refusals: { userId: string; at: number }[] = [];

  private readonly generations = new Map<ActorKey, number>();

  constructor(
    readonly server: TestServer,
    readonly cast: Cast,
    readonly documentId: string,
    readonly sectionId: string,
    /** This session's number in the test run: it makes the clients' clientIDs. */
    readonly serial: number,
  ) {}

  get room(): string {
    return `${this.documentId}/${this.sectionId}`;
  }

  actor(key: ActorKey): Actor {
    const actor = this.actors.get(key);
    if (!actor) throw new Error(`no actor ${key}`);
    return actor;
  }

  /** The server's live document of the section (the room stays loaded while clients are connected). */
  serverDoc(): Y.Doc {
    const room = this.server.services.collab.getRoom(this.documentId, this.sectionId);
    if (!room) throw new Error(`section ${this.room} is not loaded on the server`);
    return room.doc;
  }

  serverPM(): PMNode {
    return pmOf(this.serverDoc());
  }

  async open(): Promise<void> {
    await Promise.all(ACTORS.map((key) => this.connect(key)));
    await this.settle();
  }

  private async connect(key: ActorKey): Promise<Actor> {
    const person = this.cast[key];
    // Deterministic clientIDs: Yjs orders concurrent insertions at one place by clientID, so a replay
    // of a seed needs the same ones. A restarted client takes a new one, as a refused client must.
    const doc = new Y.Doc();
    doc.clientID = this.serial * 4096 + ACTORS.indexOf(key) * 512 + (this.generations.get(key) ?? 0);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    const { provider } = connectProvider(this.server.url, this.room, person.token, { doc });
    const undo = new Y.UndoManager(doc.getXmlFragment(SECTION_FRAGMENT), {
      trackedOrigins: new Set([LOCAL]),
      // One undo step per command: the test calls stopCapturing() between commands.
      captureTimeout: Number.MAX_SAFE_INTEGER,
    });
    const actor: Actor = {
      key,
      person,
      ownerKey: ownerKeyOf(person.user),
      doc,
      provider,
      undo,
      closed: null,
      leaving: false,
    };
    provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (actor.leaving || actor.provider !== provider) return;
      actor.closed = { code: event?.code ?? 0, reason: event?.reason ?? '' };
      if (actor.closed.code === CloseCode.UpdateRefused) this.refusals.push({ userId: person.user.id, at: Date.now() });
    });
    this.actors.set(key, actor);
    await waitForSync(provider, BARRIER_MS);
    return actor;
  }

  /** What a refused client does: drop its Y.Doc and start again with a fresh one (and a fresh clientID). */
  private async restart(actor: Actor): Promise<void> {
    actor.leaving = true;
    actor.undo.destroy();
    actor.provider.destroy();
    actor.doc.destroy();
    await this.connect(actor.key);
  }

  /** True when the user was refused often enough lately for the server to refuse anything of theirs. */
  rateLimited(key: ActorKey): boolean {
    const userId = this.actor(key).person.user.id;
    const since = Date.now() - RATE_LIMIT.windowMs;
    return this.refusals.filter((r) => r.userId === userId && r.at > since).length > RATE_LIMIT.refusals;
  }

  /** Drops the socket and connects again with the same Y.Doc, as after a network hiccup. */
  async reconnect(key: ActorKey): Promise<void> {
    await this.disconnect(key);
    await this.connectAgain(key);
  }

  async disconnect(key: ActorKey): Promise<void> {
    const actor = this.actor(key);
    actor.leaving = true;
    actor.provider.disconnect();
    await waitFor('disconnection', () => !actor.provider.wsconnected && !actor.provider.wsconnecting);
  }

  async connectAgain(key: ActorKey): Promise<void> {
    const actor = this.actor(key);
    actor.leaving = false;
    actor.provider.connect();
    await waitFor('reconnection', () => actor.closed !== null || actor.provider.synced);
  }

  /**
   * The barrier: every refused client has restarted, and every client holds exactly the server's state
   * (state vector and deletions). Returns the refusals it cleared.
   */
  async settle(): Promise<{ key: ActorKey; code: number; reason: string }[]> {
    const cleared: { key: ActorKey; code: number; reason: string }[] = [];
    for (;;) {
      for (const actor of this.actors.values()) {
        if (actor.closed) {
          cleared.push({ key: actor.key, ...actor.closed });
          await this.restart(actor);
        }
      }
      const server = this.serverDoc();
      try {
        await waitFor(
          'convergence of every client with the server',
          () =>
            [...this.actors.values()].some((a) => a.closed !== null) ||
            [...this.actors.values()].every((a) => a.provider.synced && sameState(a.doc, server)),
          [server, ...[...this.actors.values()].map((a) => a.doc)],
        );
      } catch (err) {
        const lagging = [...this.actors.values()].filter((a) => !sameState(a.doc, server)).map((a) => a.key);
        throw new Error(`${String(err)}; clients not converged: ${lagging.join(', ')}`);
      }
      if (![...this.actors.values()].some((a) => a.closed !== null)) return cleared;
    }
  }

  /**
   * One edit of the actor's client, as TipTap makes it: a ProseMirror transaction on the document the
   * client holds, through the client's suggesting logic when `mode` is `suggest` (a delegate, or the
   * Office suggesting), as is otherwise (the Office's direct editing, or a hostile client), then written
   * into the Y.Doc by y-tiptap. The provider sends it at once; `verdict` waits for the server's answer.
   * Edits of several clients made without an await between them are concurrent: none has seen another.
   */
  edit(
    key: ActorKey,
    build: (state: EditorState) => Transaction | null,
    mode: 'suggest' | 'direct',
    anchor?: number,
    head = anchor,
  ): LocalEdit | null {
    const actor = this.actor(key);
    const fragment = actor.doc.getXmlFragment(SECTION_FRAGMENT);
    const { doc, meta } = initProseMirrorDoc(fragment, schema);
    const state = EditorState.create({
      schema,
      doc,
      ...(anchor !== undefined ? { selection: TextSelection.create(doc, anchor, head) } : {}),
    });
    const tr = build(state);
    if (!tr?.docChanged) return null;
    const final =
      mode === 'suggest' ? suggestTransaction(tr, state, { by: actor.ownerKey, author: actor.person.user.id }) : tr;
    if (!final?.docChanged) return null;
    const next = state.apply(final);
    const sent: Uint8Array[] = [];
    const collect = (update: Uint8Array) => sent.push(update);
    actor.doc.on('update', collect);
    actor.doc.transact(() => updateYFragment(actor.doc, fragment, next.doc, meta), LOCAL);
    actor.doc.off('update', collect);
    if (sent.length === 0) return null;
    const before = suggestionsIn(doc);
    const after = suggestionsIn(next.doc);
    const touched = [...new Set([...before.keys(), ...after.keys()])].filter(
      (id) => JSON.stringify(fingerprint(before.get(id))) !== JSON.stringify(fingerprint(after.get(id))),
    );
    const created = [...after.values()].filter((s) => !before.has(s.id));
    return { update: Y.mergeUpdates(sent), next, touched, created };
  }

  /** Waits until the server has the actor's edits — or has refused one and closed the socket. */
  verdict(key: ActorKey): Promise<Delivery> {
    return this.awaitVerdict(this.actor(key));
  }

  /** Undo of the actor's last command, as TipTap's undo (Yjs's UndoManager) does it. */
  async undo(key: ActorKey): Promise<Delivery | null> {
    const actor = this.actor(key);
    if (!actor.undo.canUndo()) return null;
    const item = actor.undo.undo();
    if (!item) return null;
    return this.awaitVerdict(actor);
  }

  private async awaitVerdict(actor: Actor): Promise<Delivery> {
    const server = this.serverDoc();
    await waitFor(`verdict on ${actor.key}'s update`, () => actor.closed !== null || sameState(actor.doc, server), [
      server,
      actor.doc,
    ]);
    return actor.closed ? { ok: false, ...actor.closed } : { ok: true };
  }

  /** Starts a new undo step for every client: one command, one undo. */
  newCommand(): void {
    for (const actor of this.actors.values()) actor.undo.stopCapturing();
  }

  async close(): Promise<void> {
    for (const actor of this.actors.values()) {
      actor.leaving = true;
      actor.undo.destroy();
      try {
        actor.provider.destroy();
      } catch (err) {
        console.warn(`closing ${actor.key}'s provider: ${String(err)}`);
      }
      actor.doc.destroy();
    }
    this.actors.clear();
  }
}

function fingerprint(s: SeenSuggestion | undefined): unknown {
  return s ? [s.by, s.author, s.proposed, s.original, [...s.kinds].sort(), s.paragraphs] : null;
}
