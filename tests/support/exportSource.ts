import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import type { Amendment } from '../../shared/amendments.js';
import type { ImportedDocument } from '../../shared/document.js';
import { documentSchema } from '../../shared/schema/index.js';
import type { Thread } from '../../shared/threads.js';
import type { ExportSource } from '../../server/exports/model.js';
import { readSection } from '../../server/exports/readSection.js';

/** Yjs documents of an imported document's sections, as the server holds them. */
export function sectionDocs(doc: ImportedDocument): Map<string, Y.Doc> {
  return new Map(doc.sections.map((s) => [s.id, prosemirrorJSONToYDoc(documentSchema(), s.content, 'default')]));
}

/** An export source built without a server: sections read from Yjs docs, records and threads given. */
export function exportSource(
  doc: ImportedDocument,
  docs: Map<string, Y.Doc>,
  options: { amendments?: Amendment[]; threads?: Thread[]; at?: number } = {},
): ExportSource {
  const threads = options.threads ?? [];
  const placed = new Set<string>();
  const sections = doc.sections.map((s) => {
    const ydoc = docs.get(s.id);
    if (!ydoc) throw new Error(`no doc for ${s.id}`);
    const { content: _content, ...meta } = s;
    const read = readSection(
      ydoc,
      meta,
      threads.filter((t) => t.sectionId === s.id),
    );
    for (const id of read.placed) placed.add(id);
    return read.model;
  });
  const { sections: _sections, ...summary } = doc;
  return {
    outline: { ...summary, sections: doc.sections.map(({ content: _c, ...meta }) => meta) },
    sections,
    amendments: new Map((options.amendments ?? []).map((a) => [a.id, a])),
    threads: threads.filter((t) => placed.has(t.id)),
    generatedAt: options.at ?? Date.UTC(2026, 10, 26, 9, 30),
  };
}

/** An amendment record for tests (only what exports read matters). */
export function amendmentRecord(
  overrides: Partial<Amendment> & Pick<Amendment, 'id' | 'ref' | 'sectionId'>,
): Amendment {
  return {
    documentId: 'gb-999-export-1',
    paragraphs: [1],
    type: 'insert',
    originalText: '',
    proposedText: '',
    authorId: 'u1',
    authorName: 'Kwame Mensah',
    ownerKey: 'workers',
    group: 'workers',
    memberState: null,
    rationale: '',
    status: 'proposed',
    createdAt: Date.UTC(2026, 10, 20, 8, 0),
    updatedAt: Date.UTC(2026, 10, 20, 8, 0),
    history: [],
    votes: [],
    parentId: null,
    cosponsors: [],
    form: null,
    modifiedText: null,
    seconder: null,
    ...overrides,
  };
}

/** A thread for tests. */
export function threadRecord(overrides: Partial<Thread> & Pick<Thread, 'id' | 'sectionId'>): Thread {
  return {
    documentId: 'gb-999-export-1',
    paragraph: null,
    anchor: null,
    amendmentId: null,
    visibility: 'all',
    group: null,
    resolved: false,
    createdAt: 0,
    updatedAt: 0,
    comments: [
      {
        id: `${overrides.id}-c1`,
        threadId: overrides.id,
        authorId: 'u2',
        authorName: 'Julien Moreau',
        authorRole: 'delegate',
        authorGroup: 'government',
        authorMemberState: 'France',
        body: 'Un commentaire.',
        createdAt: Date.UTC(2026, 10, 21, 10, 0),
        editedAt: null,
        deleted: false,
      },
    ],
    ...overrides,
  };
}
