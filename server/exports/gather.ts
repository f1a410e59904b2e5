import type { DocumentOutline } from '../../shared/document.js';
import type { Thread } from '../../shared/threads.js';
import { notFound } from '../errors.js';
import { threadsForExport } from '../policies/exports.js';
import type { AppServices } from '../services.js';
import type { UserRecord } from '../storage/Store.js';
import type { ExportSource, SectionModel } from './model.js';
import { readSection } from './readSection.js';
import { rememberRegionalGroups } from './labels.js';

/**
 * Reads what one reader may export: the live text of every section (or one), every amendment record,
 * and the comment threads this reader may see (the same policy as the threads API), placed in the text.
 */
export async function gatherExport(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  options: { sectionId?: string | undefined; withThreads?: boolean; publicThreadsOnly?: boolean } = {},
): Promise<ExportSource> {
  const outline = await services.store.getDocument(documentId);
  if (!outline) throw notFound(`There is no document "${documentId}".`);
  const metas = options.sectionId ? outline.sections.filter((s) => s.id === options.sectionId) : outline.sections;
  if (metas.length === 0) throw notFound(`There is no section "${options.sectionId}" in document "${documentId}".`);
  const [amendments, allThreads] = await Promise.all([
    services.store.amendments.list(documentId),
    options.withThreads === false ? Promise.resolve([]) : services.store.threads.listByDocument(documentId),
  ]);
  const threads = threadsForExport(user, allThreads, { publicOnly: options.publicThreadsOnly === true }).filter((t) =>
    t.comments.some((c) => !c.deleted),
  );
  const bySection = new Map<string, Thread[]>();
  for (const thread of threads) {
    const list = bySection.get(thread.sectionId) ?? [];
    list.push(thread);
    bySection.set(thread.sectionId, list);
  }
  const sections: SectionModel[] = [];
  const placed = new Set<string>();
  // One section at a time: each read may load a section from the store, and a document has dozens.
  for (const meta of metas) {
    const read = await services.collab.withSectionDoc(documentId, meta.id, (room) =>
      readSection(room.doc, meta, bySection.get(meta.id) ?? []),
    );
    sections.push(read.model);
    for (const id of read.placed) placed.add(id);
  }
  // Regional owners are named from the Office's list as it stands now (Word authors, AKN, compilation).
  rememberRegionalGroups(await services.store.listRegionalGroups());
  const scoped: DocumentOutline = { ...outline, sections: metas };
  return {
    outline: scoped,
    sections,
    amendments: new Map(amendments.map((a) => [a.id, a])),
    threads: threads.filter((t) => placed.has(t.id)),
    generatedAt: services.clock.now(),
  };
}
