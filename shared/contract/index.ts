import { z } from 'zod';
import { accountRoutes } from './accounts.js';
import { amendmentRoutes } from './amendments.js';
import { archiveRoutes } from './archive.js';
import { auditRoutes } from './audit.js';
import { correctionRoutes } from './corrections.js';
import { deskRoutes } from './desk.js';
import { documentImportRoutes } from './documentImport.js';
import { documentRoutes } from './documents.js';
import { exportRoutes } from './exports.js';
import { importRoutes } from './imports.js';
import { roundRoutes } from './rounds.js';
import { sessionRoutes } from './session.js';
import type { RouteSpec } from './spec.js';
import { threadRoutes } from './threads.js';
import { versionRoutes } from './versions.js';
import { whatsNewRoutes } from './whatsNew.js';

/** `GET /api/openapi.json`: this table as an OpenAPI 3.1 document. */
const metaRoutes = {
  openapi: {
    method: 'GET',
    path: '/api/openapi.json',
    summary: 'This API, as an OpenAPI 3.1 document generated from the contract.',
    who: 'anyone',
    response: z.record(z.string(), z.unknown()),
  },
} as const satisfies Record<string, RouteSpec>;

/**
 * The HTTP contract: every route of the API, by name, with the schemas of its parameters, query, body
 * and answer. The server registers its handlers from it, the client calls through it, the contract
 * test drives it, and `/api/openapi.json` publishes it.
 */
export const routes = {
  ...sessionRoutes,
  ...documentRoutes,
  ...amendmentRoutes,
  ...threadRoutes,
  ...roundRoutes,
  ...versionRoutes,
  ...deskRoutes,
  ...auditRoutes,
  ...correctionRoutes,
  ...importRoutes,
  ...exportRoutes,
  ...archiveRoutes,
  ...whatsNewRoutes,
  ...accountRoutes,
  ...documentImportRoutes,
  ...metaRoutes,
} satisfies Record<string, RouteSpec>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;

export * from './spec.js';
export * from './idempotency.js';
