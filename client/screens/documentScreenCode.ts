/** The document screen's code: one loader, so that starting it early (main.tsx) and `lazy` (App) share one download. */
export const loadDocumentScreen = () => import('./DocumentScreen');
