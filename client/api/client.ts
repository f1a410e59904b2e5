import type {
  ApiError,
  DocumentListResponse,
  DocumentResponse,
  CurrentSessionResponse,
  MeResponse,
  SectionContentResponse,
  SessionResponse,
} from '../../shared/api.js';

/** Every section's content in one response (GET /api/documents/:id/content). */
export interface DocumentContentResponse {
  documentId: string;
  sections: SectionContentResponse[];
}

/** `POST /api/documents/:documentId/amendments`: an amendment by form, a group draft or a sub-amendment. */
export interface CreateAmendmentBody {
  sectionId?: string;
  paragraph?: number;
  op: 'insert' | 'delete' | 'replace';
  find: string;
  text?: string;
  rationale?: string;
  draft?: boolean;
  parentId?: string;
}

/** A failed API call, with the server's stable error id and its sentence for people. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && 'error' in body && 'message' in body;
}

async function request<T>(method: string, path: string, body?: unknown, opts: { quiet401?: boolean } = {}): Promise<T> {
  // The server takes state changes only as JSON (a form on another site cannot send that): even
  // body-less actions send `{}`.
  const payload = body === undefined && method !== 'GET' ? {} : body;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        payload === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  } catch (err) {
    throw new ApiRequestError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  const parsed: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401 && !opts.quiet401) for (const l of unauthorizedListeners) l();
    if (isApiError(parsed)) throw new ApiRequestError(res.status, parsed.error, parsed.message);
    throw new ApiRequestError(res.status, 'http_error', `${res.status} ${res.statusText}`);
  }
  return parsed as T;
}

const doc = (id: string) => `/api/documents/${encodeURIComponent(id)}`;
const seg = encodeURIComponent;

export const api = {
  signIn: (username: string, password: string) =>
    request<SessionResponse>('POST', '/api/session', { username, password }, { quiet401: true }),
  signOut: () => request<{ ok: true }>('DELETE', '/api/session', undefined, { quiet401: true }),
  me: () => request<MeResponse>('GET', '/api/me', undefined, { quiet401: true }),
  session: () => request<CurrentSessionResponse>('GET', '/api/session'),
  documents: () => request<DocumentListResponse>('GET', '/api/documents'),
  document: (id: string) => request<DocumentResponse>('GET', `/api/documents/${encodeURIComponent(id)}`),
  content: (id: string) => request<DocumentContentResponse>('GET', `/api/documents/${encodeURIComponent(id)}/content`),

  // Review: amendments and comment threads. Answers are `unknown` here; client/review validates them.
  amendments: (documentId: string) => request<unknown>('GET', `${doc(documentId)}/amendments`),
  amendmentAction: (documentId: string, id: string, action: string) =>
    request<unknown>('POST', `${doc(documentId)}/amendments/${seg(id)}/${seg(action)}`, {}),
  amendmentRationale: (id: string, rationale: string) =>
    request<unknown>('POST', `/api/amendments/${seg(id)}/rationale`, { rationale }),
  threads: (documentId: string) => request<unknown>('GET', `${doc(documentId)}/threads`),
  createThread: (documentId: string, body: unknown) => request<unknown>('POST', `${doc(documentId)}/threads`, body),
  reply: (threadId: string, body: string) => request<unknown>('POST', `/api/threads/${seg(threadId)}/replies`, { body }),
  editComment: (commentId: string, body: string) => request<unknown>('PATCH', `/api/comments/${seg(commentId)}`, { body }),
  deleteComment: (commentId: string) => request<unknown>('DELETE', `/api/comments/${seg(commentId)}`),
  resolveThread: (threadId: string, resolved: boolean) =>
    request<unknown>('POST', `/api/threads/${seg(threadId)}/${resolved ? 'resolve' : 'reopen'}`, {}),
  // Consolidation: rounds, drafts, sub-amendments, decisions, the desk, versions, audit.
  section: (documentId: string, sectionId: string) => request<unknown>('GET', `${doc(documentId)}/sections/${seg(sectionId)}`),
  /** The Office's direct corrections (404 until the server has the route: callers show nothing then). */
  corrections: (documentId: string) => request<unknown>('GET', `${doc(documentId)}/corrections`),
  currentRound: (documentId: string) => request<unknown>('GET', `${doc(documentId)}/rounds/current`),
  openRound: (documentId: string, amendmentDeadline: number, subAmendmentDeadline: number) =>
    request<unknown>('POST', `${doc(documentId)}/rounds`, { amendmentDeadline, subAmendmentDeadline }),
  closeRound: (roundId: string, name?: string) =>
    request<unknown>('POST', `/api/rounds/${seg(roundId)}/close`, name ? { name } : {}),
  createAmendment: (documentId: string, body: CreateAmendmentBody) =>
    request<unknown>('POST', `${doc(documentId)}/amendments`, body),
  editDraft: (id: string, patch: Partial<Omit<CreateAmendmentBody, 'sectionId' | 'draft' | 'parentId'>>) =>
    request<unknown>('PATCH', `/api/amendments/${seg(id)}`, patch),
  amendmentStep: (id: string, step: 'table' | 'cosponsor' | 'undo' | 'reject') =>
    request<unknown>('POST', `/api/amendments/${seg(id)}/${step}`, {}),
  removeCosponsor: (id: string) => request<unknown>('DELETE', `/api/amendments/${seg(id)}/cosponsor`),
  accept: (id: string, text?: string) =>
    request<unknown>('POST', `/api/amendments/${seg(id)}/accept`, text === undefined ? {} : { text }),
  bulk: (documentId: string, action: 'accept' | 'reject', ids: string[]) =>
    request<unknown>('POST', `${doc(documentId)}/amendments/bulk`, { action, ids }),
  desk: (documentId: string, pendingOnly: boolean) =>
    request<unknown>('GET', `${doc(documentId)}/desk?pendingOnly=${pendingOnly}`),
  revised: (documentId: string, include: 'accepted' | 'pending') =>
    request<unknown>('GET', `${doc(documentId)}/revised?include=${include}`),
  versions: (documentId: string) => request<unknown>('GET', `${doc(documentId)}/versions`),
  version: (documentId: string, versionId: string) => request<unknown>('GET', `${doc(documentId)}/versions/${seg(versionId)}`),
  createVersion: (documentId: string, name: string) => request<unknown>('POST', `${doc(documentId)}/versions`, { name }),
  compare: (documentId: string, from: string, to: string) =>
    request<unknown>('GET', `${doc(documentId)}/compare?from=${seg(from)}&to=${seg(to)}`),
  audit: (documentId: string, limit: number, offset: number) =>
    request<unknown>('GET', `${doc(documentId)}/audit?limit=${limit}&offset=${offset}`),
  auditCsvUrl: (documentId: string) => `${doc(documentId)}/audit.csv`,

  unread: (documentId: string) => request<unknown>('GET', `${doc(documentId)}/unread`),
  markRead: (documentId: string, sectionId: string) =>
    request<unknown>('POST', `${doc(documentId)}/sections/${seg(sectionId)}/read`, {}),
};
