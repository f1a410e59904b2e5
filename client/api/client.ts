import type { z } from 'zod';
import type { AmendmentAction } from '../../shared/amendments.js';
import { ApiError } from '../../shared/api.js';
import type { RefusalReason } from '../../shared/refusals.js';
import {
  type QueryOf,
  type RequestOf,
  type ResponseOf,
  type RouteName,
  type RouteSpec,
  type Routes,
  IDEMPOTENCY_KEY_HEADER,
  fillPath,
  isFileAnswer,
  routes,
} from '../../shared/contract/index.js';
import { reportContractError } from './contractErrors';

/** A failed API call, with the server's stable error id and its sentence for people. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** A policy refusal's code and parameters: what the UI words in its language (components/errorText.ts). */
    readonly reason?: RefusalReason,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  /** The server could not be reached at all (status 0). */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when a signed-in request comes back 401: the session ended elsewhere or expired. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** What a call of route `S` takes: its path parameters, its query and its JSON body, each typed by the contract. */
export interface CallInput<S extends RouteSpec> {
  params?: S['params'] extends z.ZodObject ? z.input<S['params']> : undefined;
  query?: QueryOf<S>;
  body?: RequestOf<S>;
}

function queryString(query: object | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The address of a route, for links (files the browser downloads with the session cookie). */
export function urlOf<N extends RouteName>(name: N, input: Omit<CallInput<Routes[N]>, 'body'>): string {
  const spec: RouteSpec = routes[name];
  return `${fillPath(spec.path, input.params as Record<string, string> | undefined)}${queryString(input.query ?? undefined)}`;
}

/**
 * Calls a route of the contract and answers its body, validated by the route's response schema: the
 * caller gets the real type, or an error — never a guessed shape.
 */
export async function call<N extends RouteName>(
  name: N,
  input: CallInput<Routes[N]> = {},
  opts: { quiet401?: boolean } = {},
): Promise<ResponseOf<Routes[N]>> {
  const spec: RouteSpec = routes[name];
  const schema = responseSchemaOf(name);
  // The server takes state changes only as JSON (a form on another site cannot send that): even
  // body-less actions send `{}`.
  const payload = input.body === undefined && spec.method !== 'GET' ? {} : input.body;
  const headers: Record<string, string> =
    payload === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' };
  // A fresh key per state change, kept for its own retry: an answer lost on the way back is fetched
  // again instead of the command being carried out twice.
  if (spec.method !== 'GET') headers[IDEMPOTENCY_KEY_HEADER] = newIdempotencyKey();
  const send = () =>
    fetch(urlOf(name, input), {
      method: spec.method,
      credentials: 'same-origin',
      headers,
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  let res: Response | null = null;
  let failure: unknown = null;
  for (let attempt = 0; attempt <= NETWORK_RETRIES && res === null; attempt++) {
    if (attempt > 0) {
      // Only state changes are retried here: a GET's caller decides for itself when to ask again.
      if (spec.method === 'GET') break;
      await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS * attempt));
    }
    try {
      res = await send();
    } catch (err) {
      failure = err;
    }
  }
  if (res === null) {
    throw new ApiRequestError(0, 'network', failure instanceof Error ? failure.message : String(failure));
  }
  return answer(name, schema, res, opts);
}

/** Retries of a state change whose request or answer the network lost, with the same key. */
const NETWORK_RETRIES = 2;
const RETRY_AFTER_MS = 400;

/** 128 random bits; `crypto.randomUUID` needs a secure context, which a meeting room's http:// is not. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The response schema of a route, typed by its name. TypeScript cannot follow an indexed access on a
 * generic key to the schema's output type, so this is the one place that states it; the table itself
 * (`satisfies Record<string, RouteSpec>`) guarantees it.
 */
function responseSchemaOf<N extends RouteName>(name: N): z.ZodType<ResponseOf<Routes[N]>> {
  const response: RouteSpec['response'] = routes[name].response;
  if (isFileAnswer(response)) throw new Error(`${name} answers a file: link to it with urlOf().`);
  return response as z.ZodType<ResponseOf<Routes[N]>>;
}

async function answer<S extends z.ZodType>(
  name: string,
  schema: S,
  res: Response,
  opts: { quiet401?: boolean } = {},
): Promise<z.output<S>> {
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401 && !opts.quiet401) for (const l of unauthorizedListeners) l();
    const error = ApiError.safeParse(body);
    if (error.success) throw new ApiRequestError(res.status, error.data.error, error.data.message, error.data.reason);
    throw new ApiRequestError(res.status, 'http_error', `${res.status} ${res.statusText}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw reportContractError(name, parsed.error.message);
  return parsed.data;
}

/** Uploads a Word file (raw body) to the import route; the Office may name the group or State it acts for. */
export async function uploadWordFile(
  documentId: string,
  file: File,
  onBehalfOf: string,
): Promise<ResponseOf<Routes['importDocx']>> {
  let res: Response;
  try {
    res = await fetch(urlOf('importDocx', { params: { documentId }, query: onBehalfOf ? { onBehalfOf } : undefined }), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'x-file-name': encodeURIComponent(file.name),
        accept: 'application/json',
      },
      body: file,
    });
  } catch (err) {
    throw new ApiRequestError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  return answer('importDocx', routes.importDocx.response, res);
}

type Body<N extends RouteName> = RequestOf<Routes[N]>;

/** The calls the screens make, by what they do; each is one route of the contract. */
export const api = {
  signIn: (username: string, password: string) => call('signIn', { body: { username, password } }, { quiet401: true }),
  signOut: () => call('signOut', {}, { quiet401: true }),
  linkSignIn: (token: string) => call('linkSignIn', { body: { token } }, { quiet401: true }),
  accounts: () => call('accounts'),
  accountAudit: (limit: number) => call('accountAudit', { query: { limit, offset: 0 } }),
  previewDocumentImport: (body: Body<'previewDocumentImport'>) => call('previewDocumentImport', { body }),
  publishDocumentImport: (body: Body<'publishDocumentImport'>) => call('publishDocumentImport', { body }),
  createAccount: (body: Body<'createAccount'>) => call('createAccount', { body }),
  updateAccount: (id: string, body: Body<'updateAccount'>) => call('updateAccount', { params: { id }, body }),
  resetPassword: (id: string) => call('resetPassword', { params: { id }, body: {} }),
  createSignInLink: (id: string) => call('createSignInLink', { params: { id }, body: {} }),
  me: () => call('me', {}, { quiet401: true }),
  session: () => call('currentSession'),
  regionalGroups: () => call('regionalGroups'),
  documents: () => call('documents'),
  document: (documentId: string) => call('document', { params: { documentId } }),
  content: (documentId: string) => call('content', { params: { documentId } }),

  // Review: amendments and comment threads.
  amendments: (documentId: string) => call('amendments', { params: { documentId } }),
  amendment: (id: string) => call('amendment', { params: { id } }),
  amendmentAction: (documentId: string, id: string, action: AmendmentAction) =>
    call(`${action}InDocument`, { params: { documentId, id } }),
  amendmentRationale: (id: string, rationale: string) => call('rationale', { params: { id }, body: { rationale } }),
  threads: (documentId: string) => call('threads', { params: { documentId } }),
  thread: (id: string) => call('thread', { params: { id } }),
  createThread: (documentId: string, body: Body<'createThread'>) =>
    call('createThread', { params: { documentId }, body }),
  reply: (id: string, body: string) => call('reply', { params: { id }, body: { body } }),
  editComment: (id: string, body: string) => call('editComment', { params: { id }, body: { body } }),
  deleteComment: (id: string) => call('deleteComment', { params: { id } }),
  resolveThread: (id: string, resolved: boolean) => call(resolved ? 'resolve' : 'reopen', { params: { id } }),
  // Consolidation: rounds, drafts, sub-amendments, decisions, the desk, versions, audit.
  section: (documentId: string, sectionId: string) => call('section', { params: { documentId, sectionId } }),
  corrections: (documentId: string) => call('corrections', { params: { documentId } }),
  currentRound: (documentId: string) => call('currentRound', { params: { documentId } }),
  openRound: (documentId: string, amendmentDeadline: number, subAmendmentDeadline: number) =>
    call('openRound', { params: { documentId }, body: { amendmentDeadline, subAmendmentDeadline } }),
  closeRound: (id: string, name?: string) => call('closeRound', { params: { id }, body: name ? { name } : {} }),
  createAmendment: (documentId: string, body: Body<'createAmendment'>) =>
    call('createAmendment', { params: { documentId }, body }),
  editDraft: (id: string, patch: Body<'editDraft'>) => call('editDraft', { params: { id }, body: patch }),
  amendmentStep: (id: string, step: 'table' | 'cosponsor' | 'undo' | 'reject') => call(step, { params: { id } }),
  removeCosponsor: (id: string) => call('uncosponsor', { params: { id } }),
  accept: (id: string, text?: string, secondedInRoom?: boolean) =>
    call('accept', {
      params: { id },
      body: { ...(text === undefined ? {} : { text }), ...(secondedInRoom ? { secondedInRoom } : {}) },
    }),
  second: (id: string) => call('second', { params: { id }, body: {} }),
  bulk: (documentId: string, action: 'accept' | 'reject', ids: string[]) =>
    call('bulk', { params: { documentId }, body: { action, ids } }),
  desk: (documentId: string, pendingOnly: boolean) =>
    call('desk', { params: { documentId }, query: { pendingOnly: pendingOnly ? 'true' : 'false' } }),
  revised: (documentId: string, include: 'accepted' | 'pending') =>
    call('revised', { params: { documentId }, query: { include } }),
  versions: (documentId: string) => call('versions', { params: { documentId } }),
  version: (documentId: string, versionId: string) => call('version', { params: { documentId, versionId } }),
  createVersion: (documentId: string, name: string) =>
    call('createVersion', { params: { documentId }, body: { name } }),
  compare: (documentId: string, from: string, to: string) =>
    call('compare', { params: { documentId }, query: { from, to } }),
  audit: (documentId: string, limit: number, offset: number) =>
    call('audit', { params: { documentId }, query: { limit, offset } }),
  auditCsvUrl: (documentId: string) => urlOf('auditCsv', { params: { documentId } }),
  unread: (documentId: string) => call('unread', { params: { documentId } }),
  markRead: (documentId: string, sectionId: string) => call('markRead', { params: { documentId, sectionId } }),
  // What changed for the reader: section visits, "since your last visit", the list's figures, recent decisions.
  visitSection: (documentId: string, sectionId: string) =>
    call('visitSection', { params: { documentId, sectionId }, body: {} }),
  whatsNew: (documentId: string) => call('whatsNew', { params: { documentId } }),
  documentOverview: () => call('documentOverview'),
  recentDecisions: (documentId: string) => call('recentDecisions', { params: { documentId } }),
  importPreview: (importId: string) => call('importPreview', { params: { importId } }),
  tableImport: (importId: string, ids: string[], rationales?: Record<string, string>) =>
    call('tableImport', { params: { importId }, body: { amendments: ids, ...(rationales ? { rationales } : {}) } }),
};
