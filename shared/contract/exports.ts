import { z } from 'zod';
import { SlugParam } from '../api.js';
import { DocumentParams, NoQuery } from './params.js';
import { route } from './spec.js';

export const ExportQuery = z
  .object({
    changes: z.enum(['tracked', 'clean']).default('tracked'),
    /** `public`: for circulation, public threads only, whoever exports (clean carries no comment at all). */
    comments: z.enum(['visible', 'public']).default('visible'),
    section: SlugParam.optional(),
  })
  .strict();

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const exportRoutes = {
  exportDocx: route({
    method: 'GET',
    path: '/api/documents/:documentId/export.docx',
    summary: 'The text as a Word file, amendments as tracked revisions.',
    params: DocumentParams,
    query: ExportQuery,
    response: { file: DOCX },
  }),
  compilationDocx: route({
    method: 'GET',
    path: '/api/documents/:documentId/compilation.docx',
    summary: 'The compilation of amendments, as a Word file.',
    params: DocumentParams,
    query: NoQuery,
    response: { file: DOCX },
  }),
  compilationHtml: route({
    method: 'GET',
    path: '/api/documents/:documentId/compilation.html',
    summary: 'The compilation of amendments, a print-ready page.',
    params: DocumentParams,
    query: NoQuery,
    response: { file: 'text/html' },
  }),
  akn: route({
    method: 'GET',
    path: '/api/documents/:documentId/akn.xml',
    summary: 'Akoma Ntoso 3.0.',
    params: DocumentParams,
    query: NoQuery,
    response: { file: 'application/xml' },
  }),
};
