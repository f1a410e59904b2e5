import { DocumentParams, NoQuery } from './params.js';
import { route } from './spec.js';

export const archiveRoutes = {
  archive: route({
    method: 'GET',
    path: '/api/documents/:documentId/archive.zip',
    summary: 'The record of a consultation, for the Office to file.',
    who: 'the Office',
    params: DocumentParams,
    query: NoQuery,
    response: { file: 'application/zip' },
  }),
};
