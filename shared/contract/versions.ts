import { z } from 'zod';
import { CompareQuery, CompareResponse, CreateVersionRequest, VersionResponse, VersionSummary } from '../versions.js';
import { DocumentParams, VersionParams } from './params.js';
import { route } from './spec.js';

export const versionRoutes = {
  versions: route({
    method: 'GET',
    path: '/api/documents/:documentId/versions',
    summary: 'Version summaries.',
    params: DocumentParams,
    response: z.array(VersionSummary),
  }),
  createVersion: route({
    method: 'POST',
    path: '/api/documents/:documentId/versions',
    summary: 'Takes a named version.',
    who: 'the Office',
    params: DocumentParams,
    request: CreateVersionRequest,
    response: VersionSummary,
    status: 201,
  }),
  version: route({
    method: 'GET',
    path: '/api/documents/:documentId/versions/:versionId',
    summary: "One version's sections, read-only.",
    params: VersionParams,
    response: VersionResponse,
  }),
  compare: route({
    method: 'GET',
    path: '/api/documents/:documentId/compare',
    summary: 'Word-level comparison of two versions (or `live`), naming the amendments behind each change.',
    params: DocumentParams,
    query: CompareQuery,
    response: CompareResponse,
  }),
};
