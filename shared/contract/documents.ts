import { DocumentContentResponse, DocumentListResponse, DocumentResponse, SectionContentResponse } from '../api.js';
import { DocumentParams, SectionParams } from './params.js';
import { route } from './spec.js';

export const documentRoutes = {
  documents: route({
    method: 'GET',
    path: '/api/documents',
    summary: 'Every document.',
    response: DocumentListResponse,
  }),
  document: route({
    method: 'GET',
    path: '/api/documents/:documentId',
    summary: "A document's outline, in document order, with the caller's abilities.",
    params: DocumentParams,
    response: DocumentResponse,
  }),
  section: route({
    method: 'GET',
    path: '/api/documents/:documentId/sections/:sectionId',
    summary: "A section's live content.",
    params: SectionParams,
    response: SectionContentResponse,
  }),
  content: route({
    method: 'GET',
    path: '/api/documents/:documentId/content',
    summary: "Every section's live content, in document order.",
    params: DocumentParams,
    response: DocumentContentResponse,
  }),
};
