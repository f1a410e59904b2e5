import { routes } from '../../shared/contract/index.js';
import { openApiDocument } from '../../shared/contract/openapi.js';
import type { Router } from '../http/router.js';
import { accountRoutes } from './accounts.js';
import { amendmentRoutes } from './amendments.js';
import { archiveRoutes } from './archive.js';
import { amendmentWorkflowRoutes } from './amendmentWorkflow.js';
import type { AppServices } from './context.js';
import { correctionRoutes } from './corrections.js';
import { deskRoutes } from './desk.js';
import { documentContentRoutes } from './documentContent.js';
import { documentImportRoutes } from './documentImport.js';
import { documentRoutes } from './documents.js';
import { exportRoutes } from './exports.js';
import { roundRoutes } from './rounds.js';
import { sessionRoutes } from './session.js';
import { threadRoutes } from './threads.js';
import { versionRoutes } from './versions.js';
import { whatsNewRoutes } from './whatsNew.js';

/** The version of the contract `GET /api/openapi.json` announces. */
const API_VERSION = '0.1.0';

/** Every HTTP endpoint of the API, one module per resource. */
export function registerRoutes(router: Router, services: AppServices): void {
  sessionRoutes(router, services);
  documentRoutes(router, services);
  documentContentRoutes(router, services);
  amendmentRoutes(router, services);
  amendmentWorkflowRoutes(router, services);
  roundRoutes(router, services);
  versionRoutes(router, services);
  deskRoutes(router, services);
  threadRoutes(router, services);
  exportRoutes(router, services);
  archiveRoutes(router, services);
  correctionRoutes(router, services);
  whatsNewRoutes(router, services);
  accountRoutes(router, services);
  documentImportRoutes(router, services);
  // Built once, on first request: the table does not change while the server runs.
  let openApi: Record<string, unknown> | null = null;
  router.route(routes.openapi, async () => {
    openApi ??= openApiDocument(routes, API_VERSION);
    return openApi;
  });
}
