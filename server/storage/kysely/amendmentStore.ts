import type { Selectable } from 'kysely';
import type {
  Amendment,
  AmendmentEvent,
  AmendmentForm,
  AmendmentStatus,
  AmendmentType,
  AmendmentVote,
  Cosponsor,
  Seconder,
  Stance,
} from '../../../shared/amendments.js';
import type { Group } from '../../../shared/roles.js';
import type { DecisionTrace } from '../decisionTrace.js';
import type { AmendmentFilter, AmendmentStore } from '../Store.js';
import type { Db, Queries, Tables } from './schema.js';

type AmendmentRow = Selectable<Tables['amendments']>;
type EventRow = Selectable<Tables['amendment_events']>;
type VoteRow = Selectable<Tables['amendment_votes']>;
type CosponsorRow = Selectable<Tables['amendment_cosponsors']>;
type SeconderRow = Selectable<Tables['amendment_seconders']>;

function toSeconder(row: SeconderRow | undefined): Seconder | null {
  if (!row) return null;
  return {
    ownerKey: row.owner_key,
    byUserId: row.by_user_id,
    byName: row.by_name,
    at: Number(row.at),
    inRoom: Number(row.in_room) === 1,
  };
}

function toEvent(row: EventRow): AmendmentEvent {
  const event: AmendmentEvent = {
    status: row.status as AmendmentStatus,
    byUserId: row.by_user_id,
    byName: row.by_name,
    at: row.at,
  };
  if (row.note) event.note = row.note;
  return event;
}

function toCosponsor(row: CosponsorRow): Cosponsor {
  return { ownerKey: row.owner_key, byUserId: row.by_user_id, byName: row.by_name, at: row.at };
}

function toVote(row: VoteRow): AmendmentVote {
  return {
    ownerKey: row.owner_key,
    stance: row.stance as Stance,
    byUserId: row.by_user_id,
    byName: row.by_name,
    at: row.at,
  };
}

/**
 * `A-n` once tabled. A draft has no number yet: numbers taken at drafting would leave gaps that tell
 * everyone another group is drafting. It is stored under a negative placeholder and shown by its id.
 */
function refOf(row: Pick<AmendmentRow, 'ref_number' | 'id'>): string {
  return row.ref_number > 0 ? `A-${row.ref_number}` : `D-${row.id.slice(0, 6)}`;
}

function toAmendment(
  row: AmendmentRow,
  history: AmendmentEvent[],
  votes: AmendmentVote[],
  cosponsors: Cosponsor[],
  seconder: Seconder | null,
): Amendment {
  return {
    id: row.id,
    ref: refOf(row),
    documentId: row.document_id,
    sectionId: row.section_id,
    paragraphs: JSON.parse(row.paragraphs) as number[],
    type: row.type as AmendmentType,
    originalText: row.original_text,
    proposedText: row.proposed_text,
    authorId: row.author_id,
    authorName: row.author_name,
    ownerKey: row.owner_key,
    group: row.grp as Group | null,
    memberState: row.member_state,
    rationale: row.rationale,
    status: row.status as AmendmentStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    history,
    votes,
    parentId: row.parent_id,
    cosponsors,
    form: row.form ? (JSON.parse(row.form) as AmendmentForm) : null,
    modifiedText: row.modified_text,
    seconder,
    draftCircle: row.draft_circle ?? null,
  };
}

function groupBy<T extends { amendment_id: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.amendment_id);
    if (list) list.push(row);
    else map.set(row.amendment_id, [row]);
  }
  return map;
}

/**
 * The document's next reference, atomically: the counter row is updated in place (and stays locked
 * on PostgreSQL until the transaction ends), so two processes tabling at once get two numbers.
 */
async function nextRef(db: Db, documentId: string): Promise<number> {
  const row = await db
    .insertInto('amendment_counters')
    .values({ document_id: documentId, last: 1 })
    .onConflict((oc) => oc.column('document_id').doUpdateSet((eb) => ({ last: eb('amendment_counters.last', '+', 1) })))
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

/**
 * A fresh negative placeholder for a draft. The counter row is touched first, so that concurrent
 * drafts of one document (another process) wait for each other instead of taking the same placeholder.
 */
async function draftPlaceholder(db: Db, documentId: string): Promise<number> {
  await db
    .insertInto('amendment_counters')
    .values({ document_id: documentId, last: 0 })
    .onConflict((oc) => oc.column('document_id').doUpdateSet((eb) => ({ last: eb.ref('amendment_counters.last') })))
    .execute();
  const row = await db
    .selectFrom('amendments')
    .select((eb) => eb.fn.min<number | null>('ref_number').as('min'))
    .where('document_id', '=', documentId)
    .where('ref_number', '<', 0)
    .executeTakeFirst();
  return Number(row?.min ?? 0) - 1;
}

async function insertEvent(db: Db, id: string, event: AmendmentEvent): Promise<void> {
  await db
    .insertInto('amendment_events')
    .values({
      amendment_id: id,
      status: event.status,
      by_user_id: event.byUserId,
      by_name: event.byName,
      at: event.at,
      note: event.note ?? null,
    })
    .execute();
}

/** `updated_at` never goes back (a vote stamped earlier than the last change). Portable MAX(a, b). */
async function touch(db: Db, id: string, at: number): Promise<void> {
  await db
    .updateTable('amendments')
    .set((eb) => ({
      updated_at: eb.case().when('updated_at', '<', at).then(at).else(eb.ref('updated_at')).end(),
    }))
    .where('id', '=', id)
    .execute();
}

/**
 * Amendment records: the record, its history of state changes and one vote per owner (group or
 * State). References (`A-1`, `A-2`, …) come from a per-document counter, so they are never reused,
 * and every status change is written in one transaction with its history entry.
 */
export function createAmendmentStore(q: Queries): AmendmentStore {
  async function load(db: Db, id: string): Promise<Amendment | null> {
    const row = await db.selectFrom('amendments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const [events, votes, cosponsors, seconder] = await Promise.all([
      db.selectFrom('amendment_events').selectAll().where('amendment_id', '=', id).orderBy('seq').execute(),
      db
        .selectFrom('amendment_votes')
        .selectAll()
        .where('amendment_id', '=', id)
        .orderBy('at')
        .orderBy('owner_key')
        .execute(),
      db
        .selectFrom('amendment_cosponsors')
        .selectAll()
        .where('amendment_id', '=', id)
        .orderBy('at')
        .orderBy('owner_key')
        .execute(),
      db.selectFrom('amendment_seconders').selectAll().where('amendment_id', '=', id).executeTakeFirst(),
    ]);
    return toAmendment(row, events.map(toEvent), votes.map(toVote), cosponsors.map(toCosponsor), toSeconder(seconder));
  }

  /** Runs a change and answers the record as it is after it, or null when the change found nothing to change. */
  function change(id: string, apply: (db: Db) => Promise<boolean>): Promise<Amendment | null> {
    return q.tx(async (db) => ((await apply(db)) ? load(db, id) : null));
  }

  const changed = (result: { numUpdatedRows: bigint }) => result.numUpdatedRows > 0n;

  return {
    async create(a) {
      const created = await q.tx(async (db) => {
        const ref = a.status === 'draft' ? await draftPlaceholder(db, a.documentId) : await nextRef(db, a.documentId);
        await db
          .insertInto('amendments')
          .values({
            id: a.id,
            document_id: a.documentId,
            ref_number: ref,
            section_id: a.sectionId,
            paragraphs: JSON.stringify(a.paragraphs),
            type: a.type,
            original_text: a.originalText,
            proposed_text: a.proposedText,
            author_id: a.authorId,
            author_name: a.authorName,
            owner_key: a.ownerKey,
            grp: a.group,
            member_state: a.memberState,
            rationale: a.rationale,
            status: a.status,
            created_at: a.createdAt,
            updated_at: a.updatedAt,
            parent_id: a.parentId ?? null,
            form: a.form ? JSON.stringify(a.form) : null,
            modified_text: a.modifiedText ?? null,
            draft_circle: a.draftCircle ?? null,
          })
          .execute();
        // The record's first history entry: it was tabled (or otherwise came to be) by its author.
        await insertEvent(db, a.id, {
          status: a.status,
          byUserId: a.authorId,
          byName: a.authorName,
          at: a.createdAt,
        });
        return load(db, a.id);
      });
      if (!created) throw new Error(`amendment ${a.id} vanished after creation`);
      return created;
    },

    async get(id) {
      return load(q.db(), id);
    },

    async list(documentId, filter: AmendmentFilter = {}) {
      const db = q.db();
      let query = db.selectFrom('amendments').selectAll().where('document_id', '=', documentId);
      if (filter.sectionId !== undefined) query = query.where('section_id', '=', filter.sectionId);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      const group = filter.group;
      if (group !== undefined) {
        query = query.where((eb) => eb.or([eb('owner_key', '=', group), eb('owner_key', 'like', `${group}:%`)]));
      }
      let rows = await query.orderBy('ref_number').execute();
      // Paragraphs are a JSON list: filtered here, the same on both engines.
      const paragraph = filter.paragraph;
      if (paragraph !== undefined)
        rows = rows.filter((r) => (JSON.parse(r.paragraphs) as number[]).includes(paragraph));
      if (rows.length === 0) return [];
      const byEvents = groupBy(
        await db
          .selectFrom('amendment_events as e')
          .innerJoin('amendments as a', 'a.id', 'e.amendment_id')
          .selectAll('e')
          .where('a.document_id', '=', documentId)
          .orderBy('e.seq')
          .execute(),
      );
      const byVotes = groupBy(
        await db
          .selectFrom('amendment_votes as v')
          .innerJoin('amendments as a', 'a.id', 'v.amendment_id')
          .selectAll('v')
          .where('a.document_id', '=', documentId)
          .orderBy('v.at')
          .orderBy('v.owner_key')
          .execute(),
      );
      const byCosponsors = groupBy(
        await db
          .selectFrom('amendment_cosponsors as c')
          .innerJoin('amendments as a', 'a.id', 'c.amendment_id')
          .selectAll('c')
          .where('a.document_id', '=', documentId)
          .orderBy('c.at')
          .orderBy('c.owner_key')
          .execute(),
      );
      const bySeconder = new Map(
        (
          await db
            .selectFrom('amendment_seconders as s')
            .innerJoin('amendments as a', 'a.id', 's.amendment_id')
            .selectAll('s')
            .where('a.document_id', '=', documentId)
            .execute()
        ).map((r) => [r.amendment_id, r]),
      );
      return rows.map((row) =>
        toAmendment(
          row,
          (byEvents.get(row.id) ?? []).map(toEvent),
          (byVotes.get(row.id) ?? []).map(toVote),
          (byCosponsors.get(row.id) ?? []).map(toCosponsor),
          toSeconder(bySeconder.get(row.id)),
        ),
      );
    },

    async updateContent(id, content, at, known) {
      const update = (db: Db) =>
        db
          .updateTable('amendments')
          .set({
            section_id: content.sectionId,
            paragraphs: JSON.stringify(content.paragraphs),
            type: content.type,
            original_text: content.originalText,
            proposed_text: content.proposedText,
            updated_at: at,
          })
          .where('id', '=', id)
          .executeTakeFirst();
      if (known?.id === id) {
        if (!changed(await update(q.db()))) return null;
        const { sectionId, paragraphs, type, originalText, proposedText } = content;
        return { ...known, sectionId, paragraphs: [...paragraphs], type, originalText, proposedText, updatedAt: at };
      }
      return change(id, async (db) => changed(await update(db)));
    },

    async updateRationale(id, rationale, at) {
      return change(id, async (db) =>
        changed(
          await db.updateTable('amendments').set({ rationale, updated_at: at }).where('id', '=', id).executeTakeFirst(),
        ),
      );
    },

    async setStatus(id, event) {
      return change(id, async (db) => {
        const result = await db
          .updateTable('amendments')
          .set({ status: event.status, updated_at: event.at })
          .where('id', '=', id)
          .executeTakeFirst();
        if (!changed(result)) return false;
        await insertEvent(db, id, event);
        return true;
      });
    },

    async setVote(id, vote) {
      return change(id, async (db) => {
        if (!(await db.selectFrom('amendments').select('id').where('id', '=', id).executeTakeFirst())) return false;
        if (vote.stance === null) {
          await db
            .deleteFrom('amendment_votes')
            .where('amendment_id', '=', id)
            .where('owner_key', '=', vote.ownerKey)
            .execute();
        } else {
          const row = {
            amendment_id: id,
            owner_key: vote.ownerKey,
            stance: vote.stance,
            by_user_id: vote.byUserId,
            by_name: vote.byName,
            at: vote.at,
          };
          await db
            .insertInto('amendment_votes')
            .values(row)
            .onConflict((oc) =>
              oc.columns(['amendment_id', 'owner_key']).doUpdateSet((eb) => ({
                stance: eb.ref('excluded.stance'),
                by_user_id: eb.ref('excluded.by_user_id'),
                by_name: eb.ref('excluded.by_name'),
                at: eb.ref('excluded.at'),
              })),
            )
            .execute();
        }
        await touch(db, id, vote.at);
        return true;
      });
    },

    async decide(id, event, decision) {
      return change(id, async (db) => {
        const result = await db
          .updateTable('amendments')
          .set({
            status: event.status,
            updated_at: event.at,
            modified_text: decision.modifiedText,
            trace: decision.trace ? JSON.stringify(decision.trace) : null,
          })
          .where('id', '=', id)
          .executeTakeFirst();
        if (!changed(result)) return false;
        await insertEvent(db, id, event);
        return true;
      });
    },

    async getTrace(id) {
      const row = await q.db().selectFrom('amendments').select('trace').where('id', '=', id).executeTakeFirst();
      return row?.trace ? (JSON.parse(row.trace) as DecisionTrace) : null;
    },

    async updateDraft(id, content, at) {
      return change(id, async (db) =>
        changed(
          await db
            .updateTable('amendments')
            .set({
              paragraphs: JSON.stringify(content.paragraphs),
              type: content.type,
              original_text: content.originalText,
              proposed_text: content.proposedText,
              rationale: content.rationale,
              form: JSON.stringify(content.form),
              updated_at: at,
            })
            .where('id', '=', id)
            .where('status', '=', 'draft')
            .executeTakeFirst(),
        ),
      );
    },

    async table(id, t, event) {
      return change(id, async (db) => {
        const result = await db
          .updateTable('amendments')
          .set({
            owner_key: t.ownerKey,
            author_id: t.authorId,
            author_name: t.authorName,
            grp: t.group,
            member_state: t.memberState,
            section_id: t.sectionId,
            paragraphs: JSON.stringify(t.paragraphs),
            type: t.type,
            original_text: t.originalText,
            proposed_text: t.proposedText,
            status: 'proposed',
            updated_at: event.at,
          })
          .where('id', '=', id)
          .where('status', '=', 'draft')
          .executeTakeFirst();
        if (!changed(result)) return false;
        // A State that co-sponsored another's draft and then tabled it owns it now: an owner does not
        // co-sponsor its own amendment.
        await db
          .deleteFrom('amendment_cosponsors')
          .where('amendment_id', '=', id)
          .where('owner_key', '=', t.ownerKey)
          .execute();
        // The reference is taken now, in tabling order (drafts made before this change already have one).
        const row = await db
          .selectFrom('amendments')
          .select(['ref_number', 'document_id'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        if (row.ref_number < 0) {
          const ref = await nextRef(db, row.document_id);
          await db
            .updateTable('amendments')
            .set({ ref_number: ref })
            .where('id', '=', id)
            .where('ref_number', '<', 0)
            .execute();
        }
        await insertEvent(db, id, event);
        return true;
      });
    },

    async setCosponsor(id, cosponsor, on) {
      return change(id, async (db) => {
        if (!(await db.selectFrom('amendments').select('id').where('id', '=', id).executeTakeFirst())) return false;
        if (on) {
          await db
            .insertInto('amendment_cosponsors')
            .values({
              amendment_id: id,
              owner_key: cosponsor.ownerKey,
              by_user_id: cosponsor.byUserId,
              by_name: cosponsor.byName,
              at: cosponsor.at,
            })
            .onConflict((oc) => oc.columns(['amendment_id', 'owner_key']).doNothing())
            .execute();
        } else {
          await db
            .deleteFrom('amendment_cosponsors')
            .where('amendment_id', '=', id)
            .where('owner_key', '=', cosponsor.ownerKey)
            .execute();
        }
        await touch(db, id, cosponsor.at);
        return true;
      });
    },

    async second(id, seconder) {
      return change(id, async (db) => {
        if (!(await db.selectFrom('amendments').select('id').where('id', '=', id).executeTakeFirst())) return false;
        const inserted = await db
          .insertInto('amendment_seconders')
          .values({
            amendment_id: id,
            owner_key: seconder.ownerKey,
            by_user_id: seconder.byUserId,
            by_name: seconder.byName,
            at: seconder.at,
            in_room: seconder.inRoom ? 1 : 0,
          })
          .onConflict((oc) => oc.column('amendment_id').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
        await touch(db, id, seconder.at);
        return true;
      });
    },
  };
}
