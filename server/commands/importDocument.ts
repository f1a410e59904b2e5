import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { ImportedDocument } from '../../shared/document.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { documentSchema } from '../../shared/schema/index.js';
import type { Store } from '../storage/Store.js';

/** The first stored update of a section: its imported text as a Yjs document. */
export function sectionUpdateFromContent(content: ImportedDocument['sections'][number]['content']): Uint8Array {
  const schema = documentSchema();
  // Validate against the schema first: a malformed import must fail here, not in a delegate's browser.
  schema.nodeFromJSON(content).check();
  const ydoc = prosemirrorJSONToYDoc(schema, content, SECTION_FRAGMENT);
  const update = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return update;
}

/**
 * Saves an imported document. Sections that already hold text keep it: importing again refreshes the
 * outline but never overwrites what delegates have written.
 */
export async function importDocument(
  store: Store,
  imported: ImportedDocument,
): Promise<{ created: number; kept: number }> {
  const updates = imported.sections.map((s) => sectionUpdateFromContent(s.content));
  await store.saveDocument({
    id: imported.id,
    symbol: imported.symbol,
    title: imported.title,
    language: imported.language,
    // Without the document's own date, the day of the import, named as such (never the export's day).
    date: imported.date ?? { value: new Date().toISOString().slice(0, 10), name: 'import' },
    sections: imported.sections.map(({ content: _content, ...meta }) => meta),
  });
  let created = 0;
  let kept = 0;
  for (const [i, section] of imported.sections.entries()) {
    if ((await store.countUpdates(imported.id, section.id)) > 0) {
      kept++;
      continue;
    }
    await store.appendUpdate(imported.id, section.id, updates[i] as Uint8Array);
    created++;
  }
  return { created, kept };
}
