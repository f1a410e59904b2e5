import { type Amendment, awaitingSeconder } from '../../shared/amendments.js';
import type { PublicUser } from '../../shared/roles.js';
import type { DeskAmendment, DeskParagraph, DeskResponse, DeskSubAmendment } from '../../shared/desk.js';
import { type AmendmentSpan, amendmentSpans, paragraphTexts, spansClash } from '../amendments/paragraphs.js';
import { SubAmendmentError, applySubAmendment } from '../amendments/subAmendments.js';
import { notFound } from '../errors.js';
import { presentAmendment } from '../presenters/amendment.js';
import { readerOf } from '../presenters/amendmentReader.js';
import { presentRound } from '../presenters/round.js';
import type { AppServices } from '../services.js';

/**
 * The Office's desk: paragraph by paragraph, the official text and every pending amendment to it side
 * by side, rivals (other owners' amendments on the same words) flagged as alternatives, sub-amendments
 * nested under their parent, with co-sponsors, the tally by group and comment counts.
 */

export type { DeskAmendment, DeskParagraph, DeskResponse, DeskSubAmendment };

/** Live comments per amendment and per paragraph (`sectionId\0number`), from every thread (the Office sees all). */
async function commentCounts(services: AppServices, documentId: string) {
  const byAmendment = new Map<string, number>();
  const byParagraph = new Map<string, number>();
  for (const thread of await services.store.threads.listByDocument(documentId)) {
    const live = thread.comments.filter((c) => !c.deleted).length;
    if (thread.amendmentId) byAmendment.set(thread.amendmentId, (byAmendment.get(thread.amendmentId) ?? 0) + live);
    else if (thread.paragraph !== null) {
      const k = `${thread.sectionId}\u0000${thread.paragraph}`;
      byParagraph.set(k, (byParagraph.get(k) ?? 0) + live);
    }
  }
  return { byAmendment, byParagraph };
}

/** Builds the desk for the Office (`viewer`, for the abilities of each amendment). */
export async function buildDesk(
  services: AppServices,
  documentId: string,
  viewer: Pick<PublicUser, 'role' | 'group' | 'memberState'>,
  options: { pendingOnly?: boolean } = {},
): Promise<DeskResponse> {
  const outline = await services.store.getDocument(documentId);
  if (!outline) throw notFound(`There is no document "${documentId}".`);
  const all = await services.store.amendments.list(documentId);
  const comments = await commentCounts(services, documentId);
  const counts = { pending: 0, awaitingSeconder: 0, subAmendments: 0, accepted: 0, rejected: 0, withdrawn: 0 };
  const pendingBySection = new Map<string, Amendment[]>();
  const subsByParent = new Map<string, Amendment[]>();
  for (const a of all) {
    if (a.status === 'accepted' || a.status === 'rejected' || a.status === 'withdrawn') counts[a.status]++;
    if (a.status !== 'proposed') continue;
    if (awaitingSeconder(a)) counts.awaitingSeconder++;
    if (a.parentId !== null) {
      counts.subAmendments++;
      subsByParent.set(a.parentId, [...(subsByParent.get(a.parentId) ?? []), a]);
      continue;
    }
    counts.pending++;
    pendingBySection.set(a.sectionId, [...(pendingBySection.get(a.sectionId) ?? []), a]);
  }

  const reader = await readerOf(services, viewer, documentId, all);
  const paragraphs: DeskParagraph[] = [];
  for (const meta of outline.sections) {
    const pending = pendingBySection.get(meta.id) ?? [];
    const { texts, spans } = await services.collab.withSectionDoc(documentId, meta.id, (room) => ({
      texts: paragraphTexts(room.doc, meta.id, 'official'),
      spans: pending.length > 0 ? amendmentSpans(room.doc) : new Map<string, AmendmentSpan>(),
    }));
    const byParagraph = new Map<string, Amendment[]>();
    for (const a of pending) {
      const label = spans.get(a.id)?.paragraph ?? String(a.paragraphs[0] ?? '');
      byParagraph.set(label, [...(byParagraph.get(label) ?? []), a]);
    }
    for (const p of texts) {
      const here = byParagraph.get(p.number) ?? [];
      if (options.pendingOnly && here.length === 0) continue;
      paragraphs.push({
        number: p.number,
        sectionId: meta.id,
        sectionLabel: meta.label,
        officialText: p.text,
        comments: comments.byParagraph.get(`${meta.id}\u0000${p.number}`) ?? 0,
        amendments: here.map((a) => {
          const span = spans.get(a.id);
          const alternatives = span
            ? here.filter((b) => {
                const other = spans.get(b.id);
                return b.id !== a.id && b.ownerKey !== a.ownerKey && other !== undefined && spansClash(span, other);
              })
            : [];
          return {
            ...presentAmendment(a, reader),
            alternatives: alternatives.map((b) => b.id),
            comments: comments.byAmendment.get(a.id) ?? 0,
            subAmendments: (subsByParent.get(a.id) ?? []).map((sub) => {
              let proposalIfAccepted: string | null = null;
              try {
                proposalIfAccepted = sub.form ? applySubAmendment(a.proposedText, sub.form) : null;
              } catch (err) {
                if (!(err instanceof SubAmendmentError)) throw err;
              }
              return {
                ...presentAmendment(sub, reader),
                comments: comments.byAmendment.get(sub.id) ?? 0,
                proposalIfAccepted,
              };
            }),
          };
        }),
      });
    }
  }
  const { round, now } = reader.timing;
  return {
    documentId,
    symbol: outline.symbol,
    language: outline.language,
    generatedAt: services.clock.now(),
    round: round ? presentRound(round, now, viewer) : null,
    counts,
    paragraphs,
  };
}
