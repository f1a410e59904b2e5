import * as Y from 'yjs';
import type { ParagraphText, VersionSection } from '../../shared/versions.js';
import { paragraphTexts } from '../amendments/paragraphs.js';
import { notFound } from '../errors.js';
import { presentSection } from '../presenters/section.js';
import type { AppServices } from '../services.js';

/**
 * Reading a whole document section by section, one at a time (each may be loaded from the store): the
 * frozen sections of a version, and the live paragraphs that versions are compared with.
 */

/** Every section as it is now: content, exact Yjs state, and the official text of each paragraph. */
export async function snapshotSections(services: AppServices, documentId: string): Promise<VersionSection[]> {
  const outline = await services.store.getDocument(documentId);
  if (!outline) throw notFound(`There is no document "${documentId}".`);
  const sections: VersionSection[] = [];
  for (const meta of outline.sections) {
    sections.push(
      // In the section's queue, as a command: a command already running there (a tabling that passed its
      // deadline check) is in the version; one after it finds what the caller changed first (a closed round).
      await services.lifecycle.inSection(documentId, meta.id, async ({ room }) => ({
        sectionId: meta.id,
        label: meta.label,
        title: meta.title,
        content: presentSection(meta, room.doc).content,
        state: Buffer.from(Y.encodeStateAsUpdate(room.doc)).toString('base64'),
        paragraphs: paragraphTexts(room.doc, meta.id, 'official'),
      })),
    );
  }
  return sections;
}

/** The live text of every numbered paragraph: official, or as if every pending amendment were accepted. */
export async function liveParagraphs(
  services: AppServices,
  documentId: string,
  mode: 'official' | 'pending' = 'official',
): Promise<ParagraphText[]> {
  const outline = await services.store.getDocument(documentId);
  if (!outline) throw notFound(`There is no document "${documentId}".`);
  const out: ParagraphText[] = [];
  for (const meta of outline.sections) {
    out.push(
      ...(await services.collab.withSectionDoc(documentId, meta.id, (room) => paragraphTexts(room.doc, meta.id, mode))),
    );
  }
  return out;
}
