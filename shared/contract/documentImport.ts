import { ImportOutline, ImportTextRequest, PublishedImport } from '../documentImport.js';
import { route } from './spec.js';

/** The Office's "Import a document" screen. */
export const documentImportRoutes = {
  previewDocumentImport: route({
    method: 'POST',
    path: '/api/admin/documents/preview',
    summary: 'Reads a GB document’s text (extracted from its PDF) and answers the outline found; stores nothing.',
    who: 'the Office',
    request: ImportTextRequest,
    response: ImportOutline,
  }),
  publishDocumentImport: route({
    method: 'POST',
    path: '/api/admin/documents',
    summary: 'Publishes the document that text holds (a document already published keeps its sections’ text).',
    who: 'the Office',
    request: ImportTextRequest,
    response: PublishedImport,
    status: 201,
  }),
};
