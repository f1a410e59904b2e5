import { z } from 'zod';
import { ImportPreviewView, TableImportRequest, TableImportResponse } from '../imports.js';
import { DocumentParams, ImportParams } from './params.js';
import { route } from './spec.js';

export const importRoutes = {
  importDocx: route({
    method: 'POST',
    path: '/api/documents/:documentId/imports',
    summary: 'A Word file edited in track changes: the preview of its amendments.',
    who: 'delegates for their group or State; the Office with onBehalfOf',
    params: DocumentParams,
    /** The group or State the Office acts for (also accepted as a form field). */
    query: z.object({ onBehalfOf: z.string().max(120).optional() }),
    request: 'upload',
    response: ImportPreviewView,
    status: 201,
  }),
  importPreview: route({
    method: 'GET',
    path: '/api/imports/:importId',
    summary: 'The preview again.',
    who: "the uploader's group, the Office",
    params: ImportParams,
    response: ImportPreviewView,
  }),
  tableImport: route({
    method: 'POST',
    path: '/api/imports/:importId/table',
    summary: 'Tables the chosen amendments of an import.',
    who: "the uploader's group, the Office",
    params: ImportParams,
    request: TableImportRequest,
    response: TableImportResponse,
  }),
};
