import { AuditPage, AuditQuery } from '../audit.js';
import { DocumentParams } from './params.js';
import { route } from './spec.js';

export const auditRoutes = {
  audit: route({
    method: 'GET',
    path: '/api/documents/:documentId/audit',
    summary: 'The audit log, newest first.',
    who: 'the Office',
    params: DocumentParams,
    query: AuditQuery,
    response: AuditPage,
  }),
  auditCsv: route({
    method: 'GET',
    path: '/api/documents/:documentId/audit.csv',
    summary: 'The audit log as RFC 4180 CSV.',
    who: 'the Office',
    params: DocumentParams,
    response: { file: 'text/csv' },
  }),
};
