import {
  DocumentOverviewResponse,
  RecentDecisionsResponse,
  SectionVisitResponse,
  WhatsNewResponse,
} from '../whatsNew.js';
import { EmptyRequest } from './amendments.js';
import { DocumentParams, NoQuery, SectionParams } from './params.js';
import { route } from './spec.js';

/** What changed for a reader: section visits, "since your last visit", the document list, recent decisions. */
export const whatsNewRoutes = {
  visitSection: route({
    method: 'POST',
    path: '/api/documents/:documentId/sections/:sectionId/visit',
    summary: 'Records that the caller viewed the section now.',
    who: 'everyone',
    params: SectionParams,
    request: EmptyRequest,
    response: SectionVisitResponse,
  }),
  whatsNew: route({
    method: 'GET',
    path: '/api/documents/:documentId/since',
    summary: "Per section and item by item, what changed since the caller's last view of each section.",
    who: 'everyone',
    params: DocumentParams,
    query: NoQuery,
    response: WhatsNewResponse,
  }),
  documentOverview: route({
    method: 'GET',
    path: '/api/overview',
    summary: "Per document: the open round, amendment counts and the caller's unread comments.",
    who: 'everyone',
    query: NoQuery,
    response: DocumentOverviewResponse,
  }),
  recentDecisions: route({
    method: 'GET',
    path: '/api/documents/:documentId/decisions/recent',
    summary: "The Office's last decisions still standing, newest first, with whether each can be undone.",
    who: 'the Office',
    params: DocumentParams,
    query: NoQuery,
    response: RecentDecisionsResponse,
  }),
};
