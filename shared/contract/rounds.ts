import { z } from 'zod';
import { CloseRoundRequest, CurrentRoundResponse, OpenRoundRequest, RoundView } from '../rounds.js';
import { VersionSummary } from '../versions.js';
import { DocumentParams, RoundParams } from './params.js';
import { route } from './spec.js';

export const CloseRoundResponse = z.object({ round: RoundView, version: VersionSummary });
export type CloseRoundResponse = z.infer<typeof CloseRoundResponse>;

export const roundRoutes = {
  openRound: route({
    method: 'POST',
    path: '/api/documents/:documentId/rounds',
    summary: 'Opens a round with its two deadlines.',
    who: 'the Office',
    params: DocumentParams,
    request: OpenRoundRequest,
    response: RoundView,
    status: 201,
  }),
  rounds: route({
    method: 'GET',
    path: '/api/documents/:documentId/rounds',
    summary: 'Every round of a document.',
    params: DocumentParams,
    response: z.array(RoundView),
  }),
  currentRound: route({
    method: 'GET',
    path: '/api/documents/:documentId/rounds/current',
    summary: "The latest round, with the server's clock.",
    params: DocumentParams,
    response: CurrentRoundResponse,
  }),
  round: route({
    method: 'GET',
    path: '/api/rounds/:id',
    summary: 'One round.',
    params: RoundParams,
    response: RoundView,
  }),
  closeRound: route({
    method: 'POST',
    path: '/api/rounds/:id/close',
    summary: 'Closes a round, which takes a version.',
    who: 'the Office',
    params: RoundParams,
    request: CloseRoundRequest,
    response: CloseRoundResponse,
  }),
};
