import { z } from 'zod';
import {
  AcceptRequest,
  AmendmentListQuery,
  AmendmentView,
  BulkRequest,
  BulkResponse,
  CreateAmendmentRequest,
  EditDraftRequest,
  UpdateRationaleRequest,
} from '../amendments.js';
import { AmendmentParams, DocumentAmendmentParams, DocumentParams } from './params.js';
import { type Method, type RouteSpec, route } from './spec.js';

/** A body-less action: `{}` (or nothing at all). */
export const EmptyRequest = z.object({}).strict();

type Pair<M extends Method, Suffix extends string, Req extends RouteSpec['request']> = {
  short: {
    method: M;
    path: `/api/amendments/:id${Suffix}`;
    summary: string;
    params: typeof AmendmentParams;
    request: Req;
    response: typeof AmendmentView;
    who: string;
  };
  inDocument: {
    method: M;
    path: `/api/documents/:documentId/amendments/:id${Suffix}`;
    summary: string;
    params: typeof DocumentAmendmentParams;
    request: Req;
    response: typeof AmendmentView;
    who: string;
  };
};

/** An action answered at `/api/amendments/:id/<name>` and `/api/documents/:documentId/amendments/:id/<name>`. */
function onAmendment<const M extends Method, const Suffix extends string, const Req extends RouteSpec['request']>(
  method: M,
  suffix: Suffix,
  request: Req,
  summary: string,
  who: string,
): Pair<M, Suffix, Req> {
  return {
    short: {
      method,
      path: `/api/amendments/:id${suffix}`,
      summary,
      params: AmendmentParams,
      request,
      response: AmendmentView,
      who,
    },
    inDocument: {
      method,
      path: `/api/documents/:documentId/amendments/:id${suffix}`,
      summary,
      params: DocumentAmendmentParams,
      request,
      response: AmendmentView,
      who,
    },
  };
}

const support = onAmendment(
  'POST',
  '/support',
  EmptyRequest,
  'One voice per group or State supports it.',
  'delegates of another group or State',
);
const oppose = onAmendment(
  'POST',
  '/oppose',
  EmptyRequest,
  'One voice per group or State opposes it.',
  'delegates of another group or State',
);
const withdraw = onAmendment(
  'POST',
  '/withdraw',
  EmptyRequest,
  'Withdraws it: it leaves the text.',
  'its own group or State',
);
const reject = onAmendment('POST', '/reject', EmptyRequest, 'Rejects it: it leaves the text.', 'the Office');
const accept = onAmendment(
  'POST',
  '/accept',
  AcceptRequest,
  'Accepts it, with the Office’s own words if `text` is given.',
  'the Office',
);
const undo = onAmendment(
  'POST',
  '/undo',
  EmptyRequest,
  'The amendment is proposed again.',
  'the Office (own group for a withdrawal)',
);
const table = onAmendment(
  'POST',
  '/table',
  EmptyRequest,
  'A draft becomes a proposed amendment.',
  "a member of the draft's group",
);
const edit = onAmendment('PATCH', '', EditDraftRequest, 'Edits a draft before it is tabled.', "the draft's group");
const cosponsor = onAmendment(
  'POST',
  '/cosponsor',
  EmptyRequest,
  'Adds the caller’s group or State as co-sponsor.',
  'delegates of another group or State',
);
const uncosponsor = onAmendment(
  'DELETE',
  '/cosponsor',
  undefined,
  'Removes the caller’s co-sponsorship.',
  'delegates of another group or State',
);
const rationale = onAmendment(
  'POST',
  '/rationale',
  UpdateRationaleRequest,
  'Changes the rationale.',
  'its own group or State',
);
const second = onAmendment(
  'POST',
  '/second',
  EmptyRequest,
  'Seconds one State’s amendment (once; a group’s needs no seconder).',
  'delegates of another State or group',
);

export const amendmentRoutes = {
  amendments: route({
    method: 'GET',
    path: '/api/documents/:documentId/amendments',
    summary: 'Amendments in reference order, each with its tally and the caller’s abilities.',
    params: DocumentParams,
    query: AmendmentListQuery.strict(),
    response: z.array(AmendmentView),
  }),
  createAmendment: route({
    method: 'POST',
    path: '/api/documents/:documentId/amendments',
    summary: 'An amendment by form (or a draft, or a sub-amendment), placed as if typed.',
    who: 'delegates, the Office',
    params: DocumentParams,
    request: CreateAmendmentRequest,
    response: AmendmentView,
    status: 201,
  }),
  documentAmendment: route({
    method: 'GET',
    path: '/api/documents/:documentId/amendments/:id',
    summary: 'One amendment.',
    params: DocumentAmendmentParams,
    response: AmendmentView,
  }),
  amendment: route({
    method: 'GET',
    path: '/api/amendments/:id',
    summary: 'One amendment.',
    params: AmendmentParams,
    response: AmendmentView,
  }),
  bulk: route({
    method: 'POST',
    path: '/api/documents/:documentId/amendments/bulk',
    summary: 'Accepts or rejects many amendments; one line per id.',
    who: 'the Office',
    params: DocumentParams,
    request: BulkRequest,
    response: BulkResponse,
  }),
  support: support.short,
  supportInDocument: support.inDocument,
  oppose: oppose.short,
  opposeInDocument: oppose.inDocument,
  withdraw: withdraw.short,
  withdrawInDocument: withdraw.inDocument,
  reject: reject.short,
  rejectInDocument: reject.inDocument,
  accept: accept.short,
  acceptInDocument: accept.inDocument,
  undo: undo.short,
  undoInDocument: undo.inDocument,
  table: table.short,
  tableInDocument: table.inDocument,
  editDraft: edit.short,
  editDraftInDocument: edit.inDocument,
  cosponsor: cosponsor.short,
  cosponsorInDocument: cosponsor.inDocument,
  uncosponsor: uncosponsor.short,
  uncosponsorInDocument: uncosponsor.inDocument,
  rationale: rationale.short,
  rationaleInDocument: rationale.inDocument,
  second: second.short,
  secondInDocument: second.inDocument,
};
