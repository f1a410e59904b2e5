import type { Router } from '../http/router.js';
import type { AppServices } from './context.js';

/** Amendment endpoints. (To be implemented.) */
export function amendmentRoutes(_router: Router, _services: AppServices): void {}
