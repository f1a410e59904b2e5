import { z } from 'zod';
import { DeskResponse, RevisedResponse } from '../desk.js';
import { DocumentParams } from './params.js';
import { route } from './spec.js';

export const DeskQuery = z.object({ pendingOnly: z.enum(['true', 'false']).optional() }).strict();
export const RevisedQuery = z.object({ include: z.enum(['accepted', 'pending']).default('accepted') }).strict();

export const deskRoutes = {
  desk: route({
    method: 'GET',
    path: '/api/documents/:documentId/desk',
    summary: 'Per paragraph: the official text and every pending amendment.',
    who: 'the Office',
    params: DocumentParams,
    query: DeskQuery,
    response: DeskResponse,
  }),
  revised: route({
    method: 'GET',
    path: '/api/documents/:documentId/revised',
    summary: 'The revised text, paragraph by paragraph.',
    who: 'the Office',
    params: DocumentParams,
    query: RevisedQuery,
    response: RevisedResponse,
  }),
};
