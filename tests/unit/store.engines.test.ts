import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAmendment, Store } from '../../server/storage/Store.js';
import type { AuditEntry } from '../../shared/audit.js';
import { buildUser } from '../support/fixtures.js';
import { storeEngines, storedAmendment } from '../support/storeEngines.js';

/** The Store's own contract, on every engine (PostgreSQL when TEST_DATABASE_URL is set). */

const DOC = 'doc-1';

function audit(action: string, targetId = 't'): Omit<AuditEntry, 'seq'> {
  return {
    at: 1,
    userId: 'u',
    userName: 'U',
    role: 'secretariat',
    action,
    documentId: DOC,
    targetType: 'amendment',
    targetId,
    targetRef: null,
    details: { n: 1 },
    via: 'system',
    ip: null,
    userAgent: null,
  };
}

const amendment = (id: string, overrides: Partial<NewAmendment> = {}) => storedAmendment(id, overrides, DOC);

describe.each(storeEngines())('store on $engine', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await open());
  });
  afterEach(async () => {
    await close();
  });

  it('keeps users and sessions; a password change ends the sessions; deleting a user deletes them', async () => {
    const user = await buildUser(store, { username: 'alice', role: 'secretariat', group: null });
    expect(await store.findUserByUsername('alice')).toEqual(user);
    expect(user.createdAt).toBeGreaterThan(1_600_000_000_000);
    await store.createSession({ tokenHash: 'h1', userId: user.id, createdAt: 1, expiresAt: 10 });
    await store.createSession({ tokenHash: 'h2', userId: user.id, createdAt: 1, expiresAt: Date.now() + 1e9 });
    expect(await store.deleteExpiredSessions(100)).toBe(1);
    expect(await store.findSession('h2')).toMatchObject({ userId: user.id });
    await store.setPasswordHash(user.id, 'new-hash');
    expect(await store.findSession('h2')).toBeNull();
    expect((await store.findUserById(user.id))?.passwordHash).toBe('new-hash');
    await store.createSession({ tokenHash: 'h3', userId: user.id, createdAt: 1, expiresAt: Date.now() + 1e9 });
    expect(await store.deleteUser(user.id)).toBe(true);
    expect(await store.findSession('h3')).toBeNull();
    expect(await store.deleteUser(user.id)).toBe(false);
  });

  it('saves outlines in order, keeps a document date over an import date', async () => {
    const section = (id: string) => ({
      id,
      kind: 'part' as const,
      label: id,
      title: id,
      parentId: null,
      paragraphs: [1, 2],
    });
    await store.saveDocument({
      id: 'a',
      symbol: 'A',
      title: 'A',
      language: 'fr',
      sections: [section('s1'), section('s2')],
    });
    await store.saveDocument({
      id: 'b',
      symbol: 'B',
      title: 'B',
      language: 'fr',
      date: { value: '2026-01-02', name: 'document' },
      sections: [],
    });
    await store.saveDocument({
      id: 'b',
      symbol: 'B2',
      title: 'B',
      language: 'fr',
      date: { value: '2026-03-04', name: 'import' },
      sections: [section('s9')],
    });
    expect((await store.listDocuments()).map((d) => [d.id, d.symbol, d.date?.value ?? null])).toEqual([
      ['a', 'A', null],
      ['b', 'B2', '2026-01-02'],
    ]);
    expect((await store.getDocument('a'))?.sections.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(await store.getSection('b', 's9')).toMatchObject({ paragraphs: [1, 2] });
    expect(await store.getSection('b', 's1')).toBeNull();
  });

  it('appends and loads updates byte for byte; compaction replaces exactly the merged rows', async () => {
    const a = await store.appendUpdate(DOC, 's', new Uint8Array([1]));
    const b = await store.appendUpdate(DOC, 's', new Uint8Array([2, 0, 255]));
    await store.appendUpdate(DOC, 'other', new Uint8Array([9]));
    expect(b).toBeGreaterThan(a);
    // Appended by "another process" after this one loaded a and b.
    const c = await store.appendUpdate(DOC, 's', new Uint8Array([3]));
    await store.compactUpdates(DOC, 's', new Uint8Array([7, 7]), [a, b]);
    const rows = await store.loadUpdates(DOC, 's');
    expect(rows.map((r) => [r.seq, [...r.update]])).toEqual([
      [b, [7, 7]],
      [c, [3]],
    ]);
    expect(await store.countUpdates(DOC, 's')).toBe(2);
    expect(await store.countUpdates(DOC, 'other')).toBe(1);
  });

  it('binds clientIDs and suggestion ids first-wins', async () => {
    expect(await store.bindClient(DOC, 's', 4_000_000_000, 'u1')).toBe('u1');
    expect(await store.bindClient(DOC, 's', 4_000_000_000, 'u2')).toBe('u1');
    expect(await store.bindClient(DOC, 't', 4_000_000_000, 'u2')).toBe('u2');
    expect(await store.loadClientBindings(DOC, 's')).toEqual([{ clientId: 4_000_000_000, userId: 'u1' }]);
    const owner = { id: 'sugg1', documentId: DOC, sectionId: 's', ownerKey: 'workers', userId: 'u1', createdAt: 5 };
    expect(await store.bindSuggestion(owner)).toEqual(owner);
    expect(await store.bindSuggestion({ ...owner, ownerKey: 'employers', userId: 'u2' })).toEqual(owner);
    expect(await store.findSuggestionOwner('nope')).toBeNull();
  });

  it('numbers tabled amendments, not drafts; refs never reused', async () => {
    const d1 = await store.amendments.create(amendment('d1', { status: 'draft' }));
    const d2 = await store.amendments.create(amendment('d2', { status: 'draft' }));
    expect([d1.ref, d2.ref]).toEqual(['D-d1', 'D-d2']);
    const p = await store.amendments.create(amendment('p1'));
    expect(p.ref).toBe('A-1');
    const tabled = await store.amendments.table(
      'd2',
      { ...amendment('d2'), group: 'workers' },
      { status: 'proposed', byUserId: 'u', byName: 'U', at: 2, note: 'tabled' },
    );
    expect(tabled?.ref).toBe('A-2');
    expect(tabled?.history.map((h) => h.status)).toEqual(['draft', 'proposed']);
    expect(
      await store.amendments.table('d2', amendment('d2'), { status: 'proposed', byUserId: 'u', byName: 'U', at: 3 }),
    ).toBeNull();
  });

  it('keeps threads, comments and unread counts', async () => {
    const thread = {
      id: 'th1',
      documentId: DOC,
      sectionId: 's',
      paragraph: 1,
      anchor: null,
      amendmentId: null,
      visibility: 'all' as const,
      group: null,
      resolved: false,
      createdAt: 1,
      updatedAt: 1,
    };
    const comment = (id: string, authorId: string) => ({
      id,
      authorId,
      authorName: authorId,
      authorRole: 'delegate' as const,
      authorGroup: 'workers' as const,
      authorMemberState: null,
      body: `body ${id}`,
      createdAt: 2,
      editedAt: null,
      deleted: false,
    });
    await store.threads.create(thread, comment('c1', 'bob'));
    await store.threads.addComment({ ...comment('c2', 'carol'), threadId: 'th1' });
    expect((await store.threads.unreadComments('alice', DOC)).map((u) => u.commentId)).toEqual(['c1', 'c2']);
    expect((await store.threads.unreadComments('bob', DOC)).map((u) => u.commentId)).toEqual(['c2']);
    await store.threads.markRead('alice', DOC, 's', 3);
    expect(await store.threads.unreadComments('alice', DOC)).toEqual([]);
    const after = await store.threads.deleteComment('c2', 4);
    expect(after?.comments.map((c) => [c.id, c.deleted, c.body])).toEqual([
      ['c1', false, 'body c1'],
      ['c2', true, ''],
    ]);
    expect(await store.threads.editComment('c2', 'again', 5)).toBeNull();
  });

  it('numbers rounds per document and closes them once', async () => {
    const round = (id: string, documentId = DOC) => ({
      id,
      documentId,
      amendmentDeadline: 10,
      subAmendmentDeadline: 20,
      openedAt: 1,
      openedById: 'u',
      openedByName: 'U',
      closedAt: null,
      closedById: null,
      closedByName: null,
      versionId: null,
    });
    expect((await store.rounds.create(round('r1'))).number).toBe(1);
    expect((await store.rounds.create(round('r2'))).number).toBe(2);
    expect((await store.rounds.create(round('x1', 'doc-2'))).number).toBe(1);
    const closed = { at: 5, byId: 'u', byName: 'U', versionId: 'v1' };
    expect((await store.rounds.close('r2', closed))?.closedAt).toBe(5);
    expect(await store.rounds.close('r2', closed)).toBeNull();
    expect((await store.rounds.latest(DOC))?.id).toBe('r2');
  });

  it('lists the audit log newest first, with filters and hidden targets', async () => {
    await store.audit.append(audit('a', 't1'));
    await store.audit.append(audit('b', 't2'));
    await store.audit.append(audit('a', 't3'));
    const page = await store.audit.list(DOC, { limit: 10, offset: 0, action: 'a', hiddenTargets: ['t3'] });
    expect(page.total).toBe(1);
    expect(page.entries.map((e) => e.targetId)).toEqual(['t1']);
    expect((await store.audit.all(DOC, ['t2'])).map((e) => e.targetId)).toEqual(['t1', 't3']);
  });
});
