import type { Amendment } from '../../shared/amendments.js';
import type { PublicUser } from '../../shared/roles.js';
import type { SectionNews, WhatsNewItem, WhatsNewResponse, WhatsNewTag } from '../../shared/whatsNew.js';
import { amendmentTags, newsAmendments, newsThreads } from '../policies/whatsNew.js';
import type { AppServices } from '../services.js';

/** The list is for reading, not for an archive: past this many items the oldest are left out. */
const MAX_ITEMS = 300;
const EXCERPT = 140;

type Reader = Pick<PublicUser, 'id' | 'role' | 'group' | 'memberState'>;

/** When an amendment became public: its first `proposed` event (tabling a draft), else its creation. */
function tabledIndex(a: Amendment): number {
  return a.history.findIndex((e) => e.status === 'proposed');
}

/**
 * What changed in each section of a document since the reader last viewed it. A section the reader
 * never viewed counts from their first visit of the document (they opened it and have not come to that
 * section yet); before any visit nothing is new — everything is, which says nothing.
 */
export async function sinceLastVisit(
  services: Pick<AppServices, 'store' | 'clock'>,
  reader: Reader,
  documentId: string,
  sectionIds: readonly string[],
): Promise<WhatsNewResponse> {
  const now = services.clock.now();
  const visits = await services.store.visits.list(reader.id, documentId);
  const firstVisitAt = visits.length > 0 ? Math.min(...visits.map((v) => v.firstVisitedAt)) : null;
  const sections: Record<string, SectionNews> = Object.fromEntries(
    sectionIds.map((id) => [id, { amendments: 0, statusChanges: 0, comments: 0 }]),
  );
  if (firstVisitAt === null) return { documentId, now, firstVisitAt, sections, items: [] };
  const visitOf = new Map(visits.map((v) => [v.sectionId, v.visitedAt]));
  const since = (sectionId: string) => visitOf.get(sectionId) ?? firstVisitAt;

  const items: WhatsNewItem[] = [];
  const amendments = newsAmendments(reader, await services.store.amendments.list(documentId));
  const byId = new Map(amendments.map((a) => [a.id, a]));
  for (const a of amendments) {
    const from = since(a.sectionId);
    const tags = amendmentTags(reader, a);
    const base = {
      sectionId: a.sectionId,
      paragraph: a.paragraphs[0] ?? null,
      amendmentId: a.id,
      ref: a.ref,
      ownerKey: a.ownerKey,
      threadId: null,
      excerpt: null,
      tags,
    };
    const start = tabledIndex(a);
    const tabledAt = start >= 0 ? (a.history[start]?.at ?? a.createdAt) : a.createdAt;
    if (tabledAt > from && a.authorId !== reader.id)
      items.push({ ...base, kind: 'amendment', at: tabledAt, byName: a.authorName, status: null });
    for (const event of a.history.slice(start + 1)) {
      if (event.at <= from || event.byUserId === reader.id || event.status === 'draft') continue;
      items.push({ ...base, kind: 'status', at: event.at, byName: event.byName, status: event.status });
    }
  }

  for (const thread of newsThreads(reader, await services.store.threads.listByDocument(documentId))) {
    const from = since(thread.sectionId);
    const amendment = thread.amendmentId ? byId.get(thread.amendmentId) : undefined;
    const mine = thread.comments[0]?.authorId === reader.id;
    const tags: WhatsNewTag[] = [...(amendment ? amendmentTags(reader, amendment) : [])];
    if (mine) tags.push('myThread');
    for (const c of thread.comments) {
      if (c.deleted || c.createdAt <= from || c.authorId === reader.id) continue;
      items.push({
        kind: 'comment',
        at: c.createdAt,
        sectionId: thread.sectionId,
        paragraph: thread.paragraph ?? amendment?.paragraphs[0] ?? null,
        byName: c.authorName,
        amendmentId: amendment?.id ?? null,
        ref: amendment?.ref ?? null,
        ownerKey: amendment?.ownerKey ?? null,
        status: null,
        threadId: thread.id,
        excerpt: c.body.length > EXCERPT ? `${c.body.slice(0, EXCERPT - 1)}…` : c.body,
        tags,
      });
    }
  }

  for (const item of items) {
    const counts = sections[item.sectionId];
    if (!counts) continue;
    if (item.kind === 'amendment') counts.amendments++;
    else if (item.kind === 'status') counts.statusChanges++;
    else counts.comments++;
  }
  items.sort((x, y) => y.at - x.at);
  return { documentId, now, firstVisitAt, sections, items: items.slice(0, MAX_ITEMS) };
}
