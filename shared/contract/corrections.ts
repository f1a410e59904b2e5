import { CorrectionList, CorrectionQuery } from '../corrections.js';
import { DocumentParams } from './params.js';
import { route } from './spec.js';

export const correctionRoutes = {
  corrections: route({
    method: 'GET',
    path: '/api/documents/:documentId/corrections',
    summary: "The Office's direct corrections, oldest first.",
    params: DocumentParams,
    query: CorrectionQuery,
    response: CorrectionList,
  }),
};
