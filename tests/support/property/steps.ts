import type { Node as PMNode, Slice } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { CloseCode } from '../../../shared/closeCodes.js';
import type { Amendment } from '../../../shared/amendments.js';
import { SUGGEST_INSERT, newSuggestionId } from '../../../shared/suggestions.js';
import { call } from '../consultation.js';
import { checkRecords, checkText, listAmendments, violated } from './invariants.js';
import { type RecordModel, created, touch } from './model.js';
import { officialRuns, officialText, pmOf, schema, squash, suggestionsIn, textblocks } from './reading.js';
import type { ActorKey, Delivery, LocalEdit, Session } from './session.js';

/**
 * The steps of a random session. Positions are fractions in thousandths, resolved against the text as
 * it is when the step runs, so that a generated sequence stays meaningful (and shrinkable) whatever
 * happened before it.
 */
export type Step =
  | { kind: 'type'; actor: ActorKey; block: number; at: number; text: string }
  | { kind: 'backspace'; actor: ActorKey; block: number; at: number; count: number }
  | { kind: 'delete'; actor: ActorKey; block: number; at: number; length: number }
  | { kind: 'replace'; actor: ActorKey; block: number; at: number; length: number; text: string }
  | { kind: 'paste'; actor: ActorKey; block: number; at: number; text: string }
  | { kind: 'enter'; actor: ActorKey; block: number; text: string }
  | { kind: 'undo'; actor: ActorKey }
  | { kind: 'reconnect'; actor: ActorKey }
  | { kind: 'offline'; actor: ActorKey; block: number; at: number; text: string }
  | {
      kind: 'form';
      actor: ActorKey;
      block: number;
      at: number;
      length: number;
      op: 'insert' | 'delete' | 'replace';
      text: string;
      draft: boolean;
    }
  | { kind: 'vote'; actor: ActorKey; pick: number; stance: 'support' | 'oppose' }
  | { kind: 'withdraw'; actor: ActorKey; pick: number }
  | { kind: 'decide'; pick: number; decision: 'accept' | 'reject' | 'modify' }
  | { kind: 'direct'; block: number; at: number; length: number; text: string }
  | {
      kind: 'burst';
      moves: { actor: ActorKey; op: 'strike' | 'insert' | 'replace'; text: string }[];
      block: number;
      at: number;
      length: number;
    }
  | { kind: 'forge'; actor: ActorKey; pick: number; claim: 'theirs' | 'mine' }
  | { kind: 'hack'; actor: ActorKey; block: number; at: number; text: string };

const frac = (thousandths: number, size: number) => Math.min(size, Math.floor((thousandths / 1000) * (size + 1)));

function pickBlock(doc: PMNode, block: number, numberedOnly = false) {
  const blocks = textblocks(doc).filter((b) => !numberedOnly || (b.numbered !== null && !b.proposal));
  return blocks[Math.floor((block / 1000) * blocks.length)] ?? null;
}

/** A cursor position inside a textblock of the actor's current document. */
function cursorIn(doc: PMNode, block: number, at: number): number | null {
  const b = pickBlock(doc, block);
  return b ? b.pos + 1 + frac(at, b.node.content.size) : null;
}

function rangeIn(doc: PMNode, block: number, at: number, length: number): [number, number] | null {
  const b = pickBlock(doc, block);
  if (!b) return null;
  const size = b.node.content.size;
  const from = frac(at, size);
  const to = Math.min(size, from + length);
  return to > from ? [b.pos + 1 + from, b.pos + 1 + to] : null;
}

function describeDelivery(d: Delivery): string {
  return d.ok ? 'accepted' : `closed ${d.code} "${d.reason}"`;
}

/**
 * An honest edit must be accepted: the server has no reason to refuse what the real client produces —
 * unless the user is over the server's rate limit of refusals (earlier races or hostile steps).
 */
function expectAccepted(session: Session, step: Step, actor: ActorKey, d: Delivery): void {
  if (!d.ok && !(d.code === CloseCode.UpdateRefused && (session.rateLimited(actor) || RATE_LIMITED.test(d.reason))))
    violated(
      'honest-refused',
      `an honest ${step.kind} by ${'actor' in step ? step.actor : 'the Office'} was refused: ${describeDelivery(d)}`,
    );
}

/** Records in the model what an accepted edit created and touched. */
function credit(session: Session, model: RecordModel, actor: ActorKey, edit: LocalEdit): void {
  const userId = session.actor(actor).person.user.id;
  for (const s of edit.created) created(model, s.id, s.by, userId);
  for (const id of edit.touched) touch(model, id, userId);
}

/**
 * Honest typing, keystroke by keystroke from `cursor`, through the client's suggesting logic (or
 * direct, for the Office's direct mode). Returns false when the server refused a keystroke.
 */
async function typeText(
  session: Session,
  model: RecordModel,
  step: Step,
  actor: ActorKey,
  cursor: number,
  text: string,
  mode: 'suggest' | 'direct' = 'suggest',
): Promise<boolean> {
  let at = cursor;
  for (const ch of text) {
    const edit = session.edit(actor, (state) => state.tr.insertText(ch), mode, at);
    if (!edit) return true;
    expectAccepted(session, step, actor, await session.verdict(actor));
    credit(session, model, actor, edit);
    at = edit.next.selection.head;
  }
  return true;
}

async function sendEdit(
  session: Session,
  model: RecordModel,
  step: Step,
  actor: ActorKey,
  edit: LocalEdit | null,
): Promise<LocalEdit | null> {
  if (!edit) return null;
  expectAccepted(session, step, actor, await session.verdict(actor));
  credit(session, model, actor, edit);
  return edit;
}

/**
 * Pending amendments whose words are in the text: what a person sees and may act on. (A record may
 * lag the text for a moment where records are derived after it; the record invariants judge that.)
 */
function pending(records: Amendment[], session: Session): Amendment[] {
  const text = suggestionsIn(session.serverPM());
  return records.filter((r) => r.status === 'proposed' && r.parentId === null && text.has(r.id));
}

const pick = <T>(items: T[], thousandths: number): T | undefined =>
  items[Math.floor((thousandths / 1000) * items.length)];

const AUDIT_OF: Record<string, string> = {
  accept: 'amendment.accepted',
  modify: 'amendment.accepted',
  reject: 'amendment.rejected',
  withdraw: 'amendment.withdrawn',
  support: 'amendment.supported',
  oppose: 'amendment.opposed',
};

/** Runs one step and checks what must hold right after it; `checkText` runs after every step. */
/** The sentence of the server's rate-limit refusal (server/collab/refusals.ts). */
const RATE_LIMITED = /too many/i;

export const timings = new Map<string, { count: number; ms: number }>();

export async function runStep(session: Session, model: RecordModel, step: Step): Promise<void> {
  const started = performance.now();
  try {
    await runStepUntimed(session, model, step);
  } finally {
    const t = timings.get(step.kind) ?? { count: 0, ms: 0 };
    t.count++;
    t.ms += performance.now() - started;
    timings.set(step.kind, t);
  }
}

async function runStepUntimed(session: Session, model: RecordModel, step: Step): Promise<void> {
  session.newCommand();
  model.steps++;
  model.log.push(JSON.stringify(step));
  if (model.log.length > 40) model.log.shift();
  switch (step.kind) {
    case 'type': {
      const at = cursorIn(pmOf(session.actor(step.actor).doc), step.block, step.at);
      if (at !== null) await typeText(session, model, step, step.actor, at, step.text);
      break;
    }
    case 'backspace': {
      let head = cursorIn(pmOf(session.actor(step.actor).doc), step.block, step.at);
      for (let i = 0; i < step.count && head !== null && head > 1; i++) {
        const from = head;
        const edit = await sendEdit(
          session,
          model,
          step,
          step.actor,
          session.edit(step.actor, (state) => state.tr.delete(from - 1, from), 'suggest', from),
        );
        head = edit ? edit.next.selection.head : null;
      }
      break;
    }
    case 'delete': {
      const range = rangeIn(pmOf(session.actor(step.actor).doc), step.block, step.at, step.length);
      if (range)
        await sendEdit(
          session,
          model,
          step,
          step.actor,
          session.edit(step.actor, (state) => state.tr.deleteSelection(), 'suggest', range[0], range[1]),
        );
      break;
    }
    case 'replace': {
      const range = rangeIn(pmOf(session.actor(step.actor).doc), step.block, step.at, step.length);
      if (range)
        await sendEdit(
          session,
          model,
          step,
          step.actor,
          session.edit(step.actor, (state) => state.tr.insertText(step.text), 'suggest', range[0], range[1]),
        );
      break;
    }
    case 'paste': {
      const at = cursorIn(pmOf(session.actor(step.actor).doc), step.block, step.at);
      if (at === null) break;
      const [first, second] = step.text.split('|');
      const para = (text: string) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
      const content = schema.nodeFromJSON({ type: 'doc', content: [para(first ?? ''), para(second ?? '')] });
      const slice: Slice = content.slice(1, content.content.size - 1);
      await sendEdit(
        session,
        model,
        step,
        step.actor,
        session.edit(step.actor, (state) => state.tr.replaceSelection(slice), 'suggest', at),
      );
      break;
    }
    case 'enter': {
      const b = pickBlock(pmOf(session.actor(step.actor).doc), step.block, true);
      if (!b) break;
      const end = b.pos + 1 + b.node.content.size;
      const edit = await sendEdit(
        session,
        model,
        step,
        step.actor,
        session.edit(step.actor, (state) => state.tr.split(end), 'suggest', end),
      );
      if (edit) await typeText(session, model, step, step.actor, edit.next.selection.head, step.text);
      break;
    }
    case 'undo': {
      const before = Y.snapshot(session.serverDoc());
      const official = officialText(session.serverPM());
      const actor = session.actor(step.actor);
      const ownBefore = suggestionsIn(pmOf(actor.doc));
      const verdict = await session.undo(step.actor);
      if (verdict === null) break;
      if (verdict.ok) {
        // Undo only reverts one's own changes: whatever it touched is the undoer's doing.
        const after = suggestionsIn(pmOf(actor.doc));
        for (const id of new Set([...ownBefore.keys(), ...after.keys()])) {
          const was = ownBefore.get(id);
          const is = after.get(id);
          if (was?.proposed !== is?.proposed || was?.original !== is?.original) touch(model, id, actor.person.user.id);
          const s = after.get(id);
          if (s && !ownBefore.has(id)) created(model, id, s.by, s.author);
        }
      } else {
        // Undoing after someone else's decision may be refused; then nothing of it may have stayed.
        if (verdict.code !== CloseCode.UpdateRefused)
          violated('honest-refused', `undo by ${step.actor} closed with ${verdict.code}`);
        await session.settle();
        if (!Y.equalSnapshots(before, Y.snapshot(session.serverDoc())))
          violated('hostile-accepted', `a refused undo by ${step.actor} changed the server's document`);
        const now = officialText(session.serverPM());
        if (JSON.stringify([...now]) !== JSON.stringify([...official]))
          violated('official-text', `a refused undo by ${step.actor} changed the official text`);
      }
      break;
    }
    case 'reconnect':
      await session.reconnect(step.actor);
      break;
    case 'offline': {
      // Typed while the socket was down: the edits reach the server in the sync on reconnection.
      await session.disconnect(step.actor);
      let at = cursorIn(pmOf(session.actor(step.actor).doc), step.block, step.at);
      const edits: LocalEdit[] = [];
      for (const ch of step.text) {
        if (at === null) break;
        const edit = session.edit(step.actor, (state) => state.tr.insertText(ch), 'suggest', at);
        if (!edit) break;
        edits.push(edit);
        at = edit.next.selection.head;
      }
      await session.connectAgain(step.actor);
      expectAccepted(session, step, step.actor, await session.verdict(step.actor));
      for (const edit of edits) credit(session, model, step.actor, edit);
      break;
    }
    case 'form':
      await formAmendment(session, model, step);
      break;
    case 'vote': {
      const me = session.actor(step.actor);
      const target = pick(
        pending(await listAmendments(session), session).filter((r) => r.ownerKey !== me.ownerKey),
        step.pick,
      );
      if (!target) break;
      const reply = await call(session.server, 'POST', `/api/amendments/${target.id}/${step.stance}`, me.person);
      if (reply.status !== 200)
        violated('records', `${step.stance} of ${target.ref} by ${step.actor} answered ${reply.status}: ${reply.text}`);
      touch(model, target.id, me.person.user.id);
      model.audited.push({
        action: AUDIT_OF[step.stance] as string,
        targetId: target.id,
        userId: me.person.user.id,
        actor: step.actor,
      });
      break;
    }
    case 'withdraw': {
      const me = session.actor(step.actor);
      const target = pick(
        pending(await listAmendments(session), session).filter((r) => r.ownerKey === me.ownerKey),
        step.pick,
      );
      if (!target) break;
      const reply = await call(session.server, 'POST', `/api/amendments/${target.id}/withdraw`, me.person);
      if (reply.status !== 200)
        violated('records', `withdrawal of ${target.ref} by ${step.actor} answered ${reply.status}: ${reply.text}`);
      touch(model, target.id, me.person.user.id);
      model.audited.push({
        action: 'amendment.withdrawn',
        targetId: target.id,
        userId: me.person.user.id,
        actor: step.actor,
      });
      break;
    }
    case 'decide':
      await decide(session, model, step);
      break;
    case 'direct': {
      // The Office's direct editing (a correction): plain words typed into, or deleted from, official text.
      const office = session.actor('office');
      const runs = officialRuns(pmOf(office.doc)).filter((r) => r.text.length >= 3);
      const run = pick(runs, step.block);
      if (!run) break;
      const inner = run.to - run.from - 2;
      const from = run.from + 1 + frac(step.at, inner - 1);
      const to = Math.min(run.to - 1, from + step.length);
      const edit = session.edit(
        'office',
        (state) =>
          step.length > 0 && to > from ? state.tr.delete(from, to) : state.tr.insert(from, schema.text(step.text)),
        'direct',
      );
      if (!edit) break;
      expectAccepted(session, step, 'office', await session.verdict('office'));
      credit(session, model, 'office', edit);
      const expected = officialText(edit.next.doc);
      for (const [key, text] of expected) if (model.official.get(key) !== text) model.corrected.add(key);
      model.official = expected;
      break;
    }
    case 'burst':
      await burst(session, model, step);
      break;
    case 'forge':
    case 'hack':
      await hostile(session, model, step);
      break;
  }
  // A user over the server's refusal limit (after hostile steps of theirs) is turned away unjudged:
  // the server's rule, not a false positive of the guard.
  const refusals = (await session.settle()).filter(
    (r) => !(r.code === CloseCode.UpdateRefused && RATE_LIMITED.test(r.reason)),
  );
  if (
    refusals.length > 0 &&
    step.kind !== 'burst' &&
    step.kind !== 'forge' &&
    step.kind !== 'hack' &&
    step.kind !== 'undo'
  )
    violated(
      'honest-refused',
      `${refusals.map((r) => `${r.key} closed ${r.code} "${r.reason}"`).join('; ')} during an honest ${step.kind}`,
    );
  checkText(session, model);
}

async function formAmendment(
  session: Session,
  model: RecordModel,
  step: Extract<Step, { kind: 'form' }>,
): Promise<void> {
  const me = session.actor(step.actor);
  const b = pickBlock(session.serverPM(), step.block, true);
  if (!b?.numbered) return;
  const words = (model.official.get(b.numbered) ?? '').split(' ');
  const start = Math.min(words.length - 1, Math.floor((step.at / 1000) * words.length));
  const find = words.slice(start, start + Math.max(1, Math.min(3, step.length))).join(' ');
  if (!find) return;
  const body = {
    sectionId: session.sectionId,
    paragraph: Number.parseInt(b.numbered, 10),
    op: step.op,
    find,
    ...(step.op === 'delete' ? {} : { text: step.text }),
    ...(step.draft ? { draft: true } : {}),
  };
  const reply = await call<Amendment>(
    session.server,
    'POST',
    `/api/documents/${session.documentId}/amendments`,
    me.person,
    body,
  );
  // find may occur more than once (400) or lie under another amendment (409): both are honest refusals.
  if (reply.status === 400 || reply.status === 409) return;
  if (reply.status !== 201)
    violated('records', `amendment by form of ${step.actor} answered ${reply.status}: ${reply.text}`);
  const id = reply.body.id;
  created(model, id, me.ownerKey, me.person.user.id);
  model.audited.push({
    action: step.draft ? 'amendment.drafted' : 'amendment.created',
    targetId: id,
    userId: me.person.user.id,
    actor: step.actor,
  });
  if (!step.draft) return;
  const tabled = await call(session.server, 'POST', `/api/amendments/${id}/table`, me.person);
  if (tabled.status === 409) return; // its words were taken meanwhile: the draft stays a draft
  if (tabled.status !== 200)
    violated('records', `tabling ${id} by ${step.actor} answered ${tabled.status}: ${tabled.text}`);
  model.audited.push({ action: 'amendment.tabled', targetId: id, userId: me.person.user.id, actor: step.actor });
}

async function decide(session: Session, model: RecordModel, step: Extract<Step, { kind: 'decide' }>): Promise<void> {
  const office = session.cast.office;
  const target = pick(pending(await listAmendments(session), session), step.pick);
  if (!target) return;
  const doc = session.serverPM();
  const inText = suggestionsIn(doc).get(target.id);
  let decision = step.decision;
  let modified: string | undefined;
  if (decision === 'modify') {
    // Only a single run of inserted words is modified here, as the Office's dialog edits one proposal.
    if (inText && inText.insertRuns === 1 && !inText.kinds.has('paragraph'))
      modified = `${squash(target.proposedText)} modifié`;
    else decision = 'accept';
  }
  const expected =
    decision === 'reject'
      ? officialText(doc)
      : officialText(doc, { id: target.id, ...(modified ? { replacement: modified } : {}) });
  const action = decision === 'reject' ? 'reject' : 'accept';
  const reply = await call(
    session.server,
    'POST',
    `/api/amendments/${target.id}/${action}`,
    office,
    // One State's amendment may be unseconded: the Office confirms the seconding made in the room.
    action === 'accept' ? { ...(modified ? { text: modified } : {}), secondedInRoom: true } : undefined,
  );
  const noOp = JSON.stringify([...expected]) === JSON.stringify([...officialText(doc)]);
  if (reply.status === 400 && noOp && action === 'accept') return; // a no-op amendment may be refused
  // An amendment in several places cannot be modified as one proposal; refused, nothing changes.
  if (reply.status === 409 && modified !== undefined) return;
  if (reply.status !== 200)
    violated(
      'records',
      `${decision} of ${target.ref} (${target.type}, ${JSON.stringify(target.proposedText)}) answered ${reply.status}: ${reply.text}`,
    );
  touch(model, target.id, office.user.id);
  model.audited.push({
    action: AUDIT_OF[decision] as string,
    targetId: target.id,
    userId: office.user.id,
    actor: 'office',
  });
  model.official = expected;
}

/**
 * Several delegates edit the same words at the same moment: each edit is made on the state all of
 * them see and sent in the same tick, so the server judges each
 * against the others' — and nothing may be lost without its author being told (a 4409 close).
 */
async function burst(session: Session, model: RecordModel, step: Extract<Step, { kind: 'burst' }>): Promise<void> {
  const seen = new Set<ActorKey>();
  const server = session.serverDoc();
  const edits: { actor: ActorKey; edit: LocalEdit; clock: number; clientID: number }[] = [];
  // No await in this loop: every edit is made on the state all of them saw, and sent at once.
  for (const move of step.moves) {
    if (seen.has(move.actor)) continue;
    seen.add(move.actor);
    const own = session.actor(move.actor).doc;
    const doc = pmOf(own);
    const range = rangeIn(doc, step.block, step.at, Math.max(1, step.length));
    const at = cursorIn(doc, step.block, step.at);
    if (!range || at === null) continue;
    const clientID = own.clientID;
    const clock = Y.getState(own.store, clientID);
    const edit =
      move.op === 'insert'
        ? session.edit(move.actor, (state) => state.tr.insertText(move.text), 'suggest', at)
        : move.op === 'strike'
          ? session.edit(move.actor, (state) => state.tr.deleteSelection(), 'suggest', range[0], range[1])
          : session.edit(move.actor, (state) => state.tr.insertText(move.text), 'suggest', range[0], range[1]);
    if (edit) edits.push({ actor: move.actor, edit, clock, clientID });
  }
  const kept: { actor: ActorKey; edit: LocalEdit }[] = [];
  for (const { actor, edit, clock, clientID } of edits) {
    const verdict = await session.verdict(actor);
    if (verdict.ok) {
      kept.push({ actor, edit });
      credit(session, model, actor, edit);
    } else {
      if (verdict.code !== CloseCode.UpdateRefused)
        violated('honest-refused', `${actor}'s concurrent edit closed with ${verdict.code} "${verdict.reason}"`);
      if (Y.getState(server.store, clientID) !== clock)
        violated('hostile-accepted', `${actor}'s refused concurrent edit left some of its structs on the server`);
      model.log.push(`  ${actor} refused: ${verdict.reason}`);
    }
  }
  await session.settle();
  const text = suggestionsIn(session.serverPM());
  for (const { actor, edit } of kept) {
    for (const s of edit.created) {
      const now = text.get(s.id);
      if (!now) {
        violated(
          'silent-loss',
          `${actor}'s concurrent edit was accepted (no close) but its suggestion ${s.id} (${JSON.stringify(s.proposed || s.original)}) is not in the text`,
        );
        continue;
      }
      if (now.original !== s.original || now.proposed !== s.proposed)
        violated(
          'silent-loss',
          `${actor}'s concurrent edit was accepted (no close) but its suggestion ${s.id} reads ${JSON.stringify([now.proposed, now.original])} instead of ${JSON.stringify([s.proposed, s.original])}`,
        );
    }
  }
}

/** What a record says (not when it was last touched): a refused update may change none of it. */
function recordFacts(records: Amendment[]): Map<string, string> {
  return new Map(
    records.map((r) => [
      r.id,
      JSON.stringify([
        r.ref,
        r.status,
        r.ownerKey,
        r.authorId,
        r.sectionId,
        r.paragraphs,
        r.originalText,
        r.proposedText,
      ]),
    ]),
  );
}

/**
 * A hostile client: a mark claiming an amendment it may not extend (another owner's, or a decided or
 * withdrawn one), or plain words typed into the official text. The server must close the socket with
 * 4409 and keep nothing of it.
 */
async function hostile(
  session: Session,
  model: RecordModel,
  step: Extract<Step, { kind: 'forge' | 'hack' }>,
): Promise<void> {
  const me = session.actor(step.actor);
  const doc = pmOf(me.doc);
  const runs = officialRuns(doc).filter((r) => r.text.length >= 3);
  const run = pick(runs, step.kind === 'hack' ? step.block : step.pick);
  if (!run) return;
  const at = run.from + 1 + (step.kind === 'hack' ? frac(step.at, run.to - run.from - 2) : 0);
  let what: string;
  let insert: () => ReturnType<typeof schema.text>;
  if (step.kind === 'forge') {
    const records = await listAmendments(session);
    // One's own amendment withdrawn in the text (its words deleted, or made a no-op) may be typed
    // again by its group, by design (README: it comes back on undo); one withdrawn by decision may not.
    const revivable = (r: Amendment) =>
      r.ownerKey === me.ownerKey &&
      r.status === 'withdrawn' &&
      (r.history.at(-1)?.note === 'typed' || r.history.at(-1)?.note === 'no change');
    const targets = records.filter(
      (r) => r.parentId === null && (r.ownerKey !== me.ownerKey || r.status !== 'proposed') && !revivable(r),
    );
    const target = pick(targets, step.pick);
    const id = target?.id ?? newSuggestionId();
    const by = step.claim === 'theirs' ? (target?.ownerKey ?? 'employers') : me.ownerKey;
    if (!target && by === me.ownerKey) return; // a fresh id of one's own is an honest suggestion
    what = target
      ? `a mark with ${target.ref} (${target.ownerKey}, ${target.status}) claiming "${by}"`
      : `a fresh mark claiming "${by}"`;
    const mark = schema.marks[SUGGEST_INSERT]?.create({ id, by, author: me.person.user.id });
    insert = () => schema.text('pris', mark ? [mark] : []);
  } else {
    what = 'plain words in the official text';
    insert = () => schema.text(step.text);
  }
  // The baseline is the settled record (records may be derived a moment after the text).
  await checkRecords(session, model);
  const before = Y.snapshot(session.serverDoc());
  const recordsBefore = recordFacts(await listAmendments(session));
  const edit = session.edit(step.actor, (state) => state.tr.insert(at, insert()), 'direct');
  if (!edit) return;
  const verdict = await session.verdict(step.actor);
  if (verdict.ok || verdict.code !== CloseCode.UpdateRefused)
    violated('hostile-accepted', `${step.actor} sent ${what}: ${describeDelivery(verdict)} (expected a 4409 close)`);
  else model.log.push(`  refused as expected: ${verdict.reason}`);
  if (!Y.equalSnapshots(before, Y.snapshot(session.serverDoc())))
    violated('hostile-accepted', `${step.actor}'s refused update (${what}) changed the server's document`);
  await session.settle();
  const recordsAfter = recordFacts(await listAmendments(session));
  const changed = [...new Set([...recordsBefore.keys(), ...recordsAfter.keys()])].find(
    (id) => recordsBefore.get(id) !== recordsAfter.get(id),
  );
  if (changed)
    violated(
      'hostile-accepted',
      `${step.actor}'s refused update (${what}) changed the amendment records: ${recordsBefore.get(changed) ?? '(none)'} → ${recordsAfter.get(changed) ?? '(none)'}`,
    );
}
