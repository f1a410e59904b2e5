import type Database from 'better-sqlite3';
import type {
  Amendment,
  AmendmentEvent,
  AmendmentStatus,
  AmendmentType,
  AmendmentVote,
  Stance,
} from '../../../shared/amendments.js';
import type { Group } from '../../../shared/roles.js';
import type { AmendmentFilter, AmendmentStore } from '../Store.js';

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
`;

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
}

interface EventRow {
  amendment_id: string;
  status: string;
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
  return { status: row.status as AmendmentStatus, byUserId: row.by_user_id, byName: row.by_name, at: row.at };
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

function toAmendment(row: AmendmentRow, history: AmendmentEvent[], votes: AmendmentVote[]): Amendment {
  return {
    id: row.id,
    ref: `A-${row.ref_number}`,
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
  const stmt = {
    nextRef: db.prepare(
      `INSERT INTO amendment_counters (document_id, last) VALUES (?, 1)
       ON CONFLICT (document_id) DO UPDATE SET last = last + 1 RETURNING last`,
    ),
    insert: db.prepare(
      `INSERT INTO amendments (id, document_id, ref_number, section_id, paragraphs, type, original_text,
         proposed_text, author_id, author_name, owner_key, grp, member_state, rationale, status, created_at, updated_at)
       VALUES (@id, @document_id, @ref_number, @section_id, @paragraphs, @type, @original_text, @proposed_text,
         @author_id, @author_name, @owner_key, @grp, @member_state, @rationale, @status, @created_at, @updated_at)`,
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
      'INSERT INTO amendment_events (amendment_id, status, by_user_id, by_name, at) VALUES (?, ?, ?, ?, ?)',
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
    return toAmendment(row, history, votes);
  }

  const create = db.transaction((a: Omit<Amendment, 'ref' | 'history' | 'votes'>): void => {
    const { last } = stmt.nextRef.get(a.documentId) as { last: number };
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
    });
    // The record's first history entry: it was tabled (or otherwise came to be) by its author.
    stmt.insertEvent.run(a.id, a.status, a.authorId, a.authorName, a.createdAt);
  });

  const setStatus = db.transaction((id: string, event: AmendmentEvent): boolean => {
    if (stmt.updateStatus.run(event.status, event.at, id).changes === 0) return false;
    stmt.insertEvent.run(id, event.status, event.byUserId, event.byName, event.at);
    return true;
  });

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
      return rows.map((row) =>
        toAmendment(row, (events.get(row.id) ?? []).map(toEvent), (votes.get(row.id) ?? []).map(toVote)),
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
  };
}
