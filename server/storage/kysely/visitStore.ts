import type { SectionVisit, VisitStore } from '../Store.js';
import type { Queries } from './schema.js';

/** When each user last viewed each section of a document (migration 0006_section_visits). */
export function createVisitStore(q: Queries): VisitStore {
  return {
    async markVisited(userId, documentId, sectionId, at) {
      await q
        .db()
        .insertInto('section_visits')
        .values({
          user_id: userId,
          document_id: documentId,
          section_id: sectionId,
          first_visited_at: at,
          visited_at: at,
        })
        .onConflict((oc) =>
          oc
            .columns(['user_id', 'document_id', 'section_id'])
            // A visit recorded late (a slow request) never moves the mark back in time.
            .doUpdateSet((eb) => ({
              visited_at: eb.fn<number>(q.engine === 'postgres' ? 'greatest' : 'max', [
                eb.ref('section_visits.visited_at'),
                eb.ref('excluded.visited_at'),
              ]),
            })),
        )
        .execute();
    },

    async list(userId, documentId): Promise<SectionVisit[]> {
      const rows = await q
        .db()
        .selectFrom('section_visits')
        .select(['section_id', 'first_visited_at', 'visited_at'])
        .where('user_id', '=', userId)
        .where('document_id', '=', documentId)
        .orderBy('section_id')
        .execute();
      return rows.map((r) => ({
        sectionId: r.section_id,
        firstVisitedAt: Number(r.first_visited_at),
        visitedAt: Number(r.visited_at),
      }));
    },
  };
}
