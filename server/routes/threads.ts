import type { Router } from '../http/router.js';
import type { AppServices } from './context.js';

/** Comment thread endpoints. (To be implemented.) */
export function threadRoutes(_router: Router, _services: AppServices): void {}
