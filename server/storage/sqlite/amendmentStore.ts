import type Database from 'better-sqlite3';
import type {
  Amendment,
  AmendmentEvent,
  AmendmentForm,
  AmendmentStatus,
  AmendmentType,
  AmendmentVote,
  Cosponsor,
  Stance,
} from '../../../shared/amendments.js';
import type { Group } from '../../../shared/roles.js';
import type { DecisionTrace } from '../decisionTrace.js';
import type { AmendmentFilter, AmendmentStore, NewAmendment } from '../Store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS amendment_counters (
  document_id TEXT PRIMARY KEY,
  last INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS amendments (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  ref_number INTEGER NOT NULL,
  section_id TEXT NOT NULL,
  paragraphs TEXT NOT NULL,
  type TEXT NOT NULL,
  original_text TEXT NOT NULL,
  proposed_text TEXT NOT NULL,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL,
  owner_key TEXT NOT NULL,
  grp TEXT,
  member_state TEXT,
  rationale TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (document_id, ref_number)
);
CREATE INDEX IF NOT EXISTS amendments_section ON amendments (document_id, section_id, status);
CREATE TABLE IF NOT EXISTS amendment_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  amendment_id TEXT NOT NULL REFERENCES amendments(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS amendment_events_amendment ON amendment_events (amendment_id, seq);
CREATE TABLE IF NOT EXISTS amendment_votes (
  amendment_id TEXT NOT NULL REFERENCES amendments(id) ON DELETE CASCADE,
  owner_key TEXT NOT NULL,
  stance TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (amendment_id, owner_key)
);
CREATE TABLE IF NOT EXISTS amendment_cosponsors (
  amendment_id TEXT NOT NULL REFERENCES amendments(id) ON DELETE CASCADE,
  owner_key TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (amendment_id, owner_key)
);
`;

/** Columns added after the first release: created on stores that predate them. */
const ADDED_COLUMNS: [table: string, column: string, definition: string][] = [
  ['amendments', 'parent_id', 'TEXT'],
  ['amendments', 'form', 'TEXT'],
  ['amendments', 'modified_text', 'TEXT'],
  ['amendments', 'trace', 'TEXT'],
  ['amendment_events', 'note', 'TEXT'],
];

function addMissingColumns(db: Database.Database): void {
  for (const [table, column, definition] of ADDED_COLUMNS) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  }
}

interface AmendmentRow {
  id: string;
  document_id: string;
  ref_number: number;
  section_id: string;
  paragraphs: string;
  type: string;
  original_text: string;
  proposed_text: string;
  author_id: string;
  author_name: string;
  owner_key: string;
  grp: string | null;
  member_state: string | null;
  rationale: string;
  status: string;
  created_at: number;
  updated_at: number;
  parent_id: string | null;
  form: string | null;
  modified_text: string | null;
  trace: string | null;
}

interface EventRow {
  amendment_id: string;
  status: string;
  by_user_id: string;
  by_name: string;
  at: number;
  note: string | null;
}

interface CosponsorRow {
  amendment_id: string;
  owner_key: string;
  by_user_id: string;
  by_name: string;
  at: number;
}

interface VoteRow {
  amendment_id: string;
  owner_key: string;
  stance: string;
  by_user_id: string;
  by_name: string;
  at: number;
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
 * Amendment records in SQLite: the record, its history of state changes and one vote per owner (group
 * or State). References (`A-1`, `A-2`, …) come from a per-document counter, so they are never reused,
 * and every status change is written in one transaction with its history entry.
 */
export function createSqliteAmendmentStore(db: Database.Database): AmendmentStore {
  db.exec(SCHEMA);
  addMissingColumns(db);
  const stmt = {
    draftPlaceholder: db.prepare(
      'SELECT COALESCE(MIN(ref_number), 0) - 1 AS last FROM amendments WHERE document_id = ? AND ref_number < 0',
    ),
    assignRef: db.prepare('UPDATE amendments SET ref_number = ? WHERE id = ? AND ref_number < 0'),
    nextRef: db.prepare(
      `INSERT INTO amendment_counters (document_id, last) VALUES (?, 1)
       ON CONFLICT (document_id) DO UPDATE SET last = last + 1 RETURNING last`,
    ),
    insert: db.prepare(
      `INSERT INTO amendments (id, document_id, ref_number, section_id, paragraphs, type, original_text,
         proposed_text, author_id, author_name, owner_key, grp, member_state, rationale, status, created_at, updated_at,
         parent_id, form, modified_text)
       VALUES (@id, @document_id, @ref_number, @section_id, @paragraphs, @type, @original_text, @proposed_text,
         @author_id, @author_name, @owner_key, @grp, @member_state, @rationale, @status, @created_at, @updated_at,
         @parent_id, @form, @modified_text)`,
    ),
    get: db.prepare('SELECT * FROM amendments WHERE id = ?'),
    events: db.prepare('SELECT * FROM amendment_events WHERE amendment_id = ? ORDER BY seq'),
    votes: db.prepare('SELECT * FROM amendment_votes WHERE amendment_id = ? ORDER BY at, owner_key'),
    documentEvents: db.prepare(
      `SELECT e.* FROM amendment_events e JOIN amendments a ON a.id = e.amendment_id
       WHERE a.document_id = ? ORDER BY e.seq`,
    ),
    documentVotes: db.prepare(
      `SELECT v.* FROM amendment_votes v JOIN amendments a ON a.id = v.amendment_id
       WHERE a.document_id = ? ORDER BY v.at, v.owner_key`,
    ),
    insertEvent: db.prepare(
      'INSERT INTO amendment_events (amendment_id, status, by_user_id, by_name, at, note) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    cosponsors: db.prepare('SELECT * FROM amendment_cosponsors WHERE amendment_id = ? ORDER BY at, owner_key'),
    documentCosponsors: db.prepare(
      `SELECT c.* FROM amendment_cosponsors c JOIN amendments a ON a.id = c.amendment_id
       WHERE a.document_id = ? ORDER BY c.at, c.owner_key`,
    ),
    upsertCosponsor: db.prepare(
      `INSERT INTO amendment_cosponsors (amendment_id, owner_key, by_user_id, by_name, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (amendment_id, owner_key) DO NOTHING`,
    ),
    deleteCosponsor: db.prepare('DELETE FROM amendment_cosponsors WHERE amendment_id = ? AND owner_key = ?'),
    decide: db.prepare('UPDATE amendments SET status = ?, updated_at = ?, modified_text = ?, trace = ? WHERE id = ?'),
    trace: db.prepare('SELECT trace FROM amendments WHERE id = ?'),
    updateDraft: db.prepare(
      `UPDATE amendments SET paragraphs = @paragraphs, type = @type, original_text = @original_text,
         proposed_text = @proposed_text, rationale = @rationale, form = @form, updated_at = @updated_at
       WHERE id = @id AND status = 'draft'`,
    ),
    table: db.prepare(
      `UPDATE amendments SET owner_key = @owner_key, author_id = @author_id, author_name = @author_name, grp = @grp,
         member_state = @member_state, section_id = @section_id, paragraphs = @paragraphs, type = @type,
         original_text = @original_text, proposed_text = @proposed_text, status = 'proposed', updated_at = @updated_at
       WHERE id = @id AND status = 'draft'`,
    ),
    updateContent: db.prepare(
      `UPDATE amendments SET section_id = @section_id, paragraphs = @paragraphs, type = @type,
         original_text = @original_text, proposed_text = @proposed_text, updated_at = @updated_at WHERE id = @id`,
    ),
    updateRationale: db.prepare('UPDATE amendments SET rationale = ?, updated_at = ? WHERE id = ?'),
    updateStatus: db.prepare('UPDATE amendments SET status = ?, updated_at = ? WHERE id = ?'),
    touch: db.prepare('UPDATE amendments SET updated_at = MAX(updated_at, ?) WHERE id = ?'),
    upsertVote: db.prepare(
      `INSERT INTO amendment_votes (amendment_id, owner_key, stance, by_user_id, by_name, at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (amendment_id, owner_key) DO UPDATE SET stance = excluded.stance,
         by_user_id = excluded.by_user_id, by_name = excluded.by_name, at = excluded.at`,
    ),
    deleteVote: db.prepare('DELETE FROM amendment_votes WHERE amendment_id = ? AND owner_key = ?'),
  };

  function load(id: string): Amendment | null {
    const row = stmt.get.get(id) as AmendmentRow | undefined;
    if (!row) return null;
    const history = (stmt.events.all(id) as EventRow[]).map(toEvent);
    const votes = (stmt.votes.all(id) as VoteRow[]).map(toVote);
    const cosponsors = (stmt.cosponsors.all(id) as CosponsorRow[]).map(toCosponsor);
    return toAmendment(row, history, votes, cosponsors);
  }

  const create = db.transaction((a: NewAmendment): void => {
    const counter = a.status === 'draft' ? stmt.draftPlaceholder : stmt.nextRef;
    const { last } = counter.get(a.documentId) as { last: number };
    stmt.insert.run({
      id: a.id,
      document_id: a.documentId,
      ref_number: last,
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
    });
    // The record's first history entry: it was tabled (or otherwise came to be) by its author.
    stmt.insertEvent.run(a.id, a.status, a.authorId, a.authorName, a.createdAt, null);
  });

  const setStatus = db.transaction((id: string, event: AmendmentEvent): boolean => {
    if (stmt.updateStatus.run(event.status, event.at, id).changes === 0) return false;
    stmt.insertEvent.run(id, event.status, event.byUserId, event.byName, event.at, event.note ?? null);
    return true;
  });

  const decide = db.transaction(
    (id: string, event: AmendmentEvent, modifiedText: string | null, trace: DecisionTrace | null): boolean => {
      const traceJson = trace ? JSON.stringify(trace) : null;
      if (stmt.decide.run(event.status, event.at, modifiedText, traceJson, id).changes === 0) return false;
      stmt.insertEvent.run(id, event.status, event.byUserId, event.byName, event.at, event.note ?? null);
      return true;
    },
  );

  const table = db.transaction(
    (id: string, t: Parameters<AmendmentStore['table']>[1], event: AmendmentEvent): boolean => {
      const changes = stmt.table.run({
        id,
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
        updated_at: event.at,
      }).changes;
      if (changes === 0) return false;
      // The reference is taken now, in tabling order (drafts made before this change already have one).
      const row = stmt.get.get(id) as AmendmentRow;
      if (row.ref_number < 0) {
        const { last } = stmt.nextRef.get(row.document_id) as { last: number };
        stmt.assignRef.run(last, id);
      }
      stmt.insertEvent.run(id, event.status, event.byUserId, event.byName, event.at, event.note ?? null);
      return true;
    },
  );

  const setVote = db.transaction(
    (id: string, vote: Omit<AmendmentVote, 'stance'> & { stance: Stance | null }): boolean => {
      if (!stmt.get.get(id)) return false;
      if (vote.stance === null) stmt.deleteVote.run(id, vote.ownerKey);
      else stmt.upsertVote.run(id, vote.ownerKey, vote.stance, vote.byUserId, vote.byName, vote.at);
      stmt.touch.run(vote.at, id);
      return true;
    },
  );

  return {
    async create(amendment) {
      create(amendment);
      const created = load(amendment.id);
      if (!created) throw new Error(`amendment ${amendment.id} vanished after creation`);
      return created;
    },

    async get(id) {
      return load(id);
    },

    async list(documentId, filter: AmendmentFilter = {}) {
      const where = ['document_id = @documentId'];
      const params: Record<string, string | number> = { documentId };
      if (filter.sectionId !== undefined) {
        where.push('section_id = @sectionId');
        params.sectionId = filter.sectionId;
      }
      if (filter.status !== undefined) {
        where.push('status = @status');
        params.status = filter.status;
      }
      if (filter.group !== undefined) {
        where.push("(owner_key = @group OR owner_key LIKE @group || ':%')");
        params.group = filter.group;
      }
      if (filter.paragraph !== undefined) {
        where.push('EXISTS (SELECT 1 FROM json_each(amendments.paragraphs) WHERE json_each.value = @paragraph)');
        params.paragraph = filter.paragraph;
      }
      const rows = db
        .prepare(`SELECT * FROM amendments WHERE ${where.join(' AND ')} ORDER BY ref_number`)
        .all(params) as AmendmentRow[];
      if (rows.length === 0) return [];
      const events = groupBy(stmt.documentEvents.all(documentId) as EventRow[]);
      const votes = groupBy(stmt.documentVotes.all(documentId) as VoteRow[]);
      const cosponsors = groupBy(stmt.documentCosponsors.all(documentId) as CosponsorRow[]);
      return rows.map((row) =>
        toAmendment(
          row,
          (events.get(row.id) ?? []).map(toEvent),
          (votes.get(row.id) ?? []).map(toVote),
          (cosponsors.get(row.id) ?? []).map(toCosponsor),
        ),
      );
    },

    async updateContent(id, content, at) {
      const changes = stmt.updateContent.run({
        id,
        section_id: content.sectionId,
        paragraphs: JSON.stringify(content.paragraphs),
        type: content.type,
        original_text: content.originalText,
        proposed_text: content.proposedText,
        updated_at: at,
      }).changes;
      return changes === 0 ? null : load(id);
    },

    async updateRationale(id, rationale, at) {
      return stmt.updateRationale.run(rationale, at, id).changes === 0 ? null : load(id);
    },

    async setStatus(id, event) {
      return setStatus(id, event) ? load(id) : null;
    },

    async setVote(id, vote) {
      return setVote(id, vote) ? load(id) : null;
    },

    async decide(id, event, decision) {
      return decide(id, event, decision.modifiedText, decision.trace) ? load(id) : null;
    },

    async getTrace(id) {
      const row = stmt.trace.get(id) as { trace: string | null } | undefined;
      return row?.trace ? (JSON.parse(row.trace) as DecisionTrace) : null;
    },

    async updateDraft(id, content, at) {
      const changes = stmt.updateDraft.run({
        id,
        paragraphs: JSON.stringify(content.paragraphs),
        type: content.type,
        original_text: content.originalText,
        proposed_text: content.proposedText,
        rationale: content.rationale,
        form: JSON.stringify(content.form),
        updated_at: at,
      }).changes;
      return changes === 0 ? null : load(id);
    },

    async table(id, tabled, event) {
      return table(id, tabled, event) ? load(id) : null;
    },

    async setCosponsor(id, cosponsor, on) {
      if (!stmt.get.get(id)) return null;
      if (on) stmt.upsertCosponsor.run(id, cosponsor.ownerKey, cosponsor.byUserId, cosponsor.byName, cosponsor.at);
      else stmt.deleteCosponsor.run(id, cosponsor.ownerKey);
      stmt.touch.run(cosponsor.at, id);
      return load(id);
    },
  };
}
