import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { ResponseInputOf, RouteSpec } from '../../shared/contract/spec.js';
import { HttpError, badRequest } from '../errors.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

/** What a handler returns: JSON to send, or `undefined` when it wrote the response itself. */
export type Handler = (ctx: RequestContext) => Promise<unknown>;

/** What a route takes as a body: JSON (the default) or a file upload (`multipart/form-data` or raw bytes). */
export type BodyKind = 'json' | 'upload';

export interface Route {
  method: string;
  parts: string[];
  handler: Handler;
  body: BodyKind;
  /** The status of a JSON answer the router sends for the handler. */
  status: number;
  /** The contract entry it implements (shared/contract); routes without one fail the contract test. */
  spec: RouteSpec | null;
}

/** A handler typed by its contract entry: it returns the answer's JSON, or `undefined` when it wrote a file. */
export type ContractHandler<S extends RouteSpec> = (ctx: RequestContext) => Promise<ResponseInputOf<S> | undefined>;

const MAX_JSON_BODY = 1024 * 1024;

/** A small router: exact segments and `:name` parameters, nothing more is needed here. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, body: BodyKind = 'json'): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler, body, status: 200, spec: null });
    return this;
  }

  /** Registers the handler of a contract entry: its method, path, body kind and success status come from it. */
  route<S extends RouteSpec>(spec: S, handler: ContractHandler<S>): this {
    this.routes.push({
      method: spec.method,
      parts: spec.path.split('/').filter(Boolean),
      handler,
      body: spec.request === 'upload' ? 'upload' : 'json',
      status: spec.status ?? 200,
      spec,
    });
    return this;
  }

  get(pattern: string, handler: Handler): this {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler, body: BodyKind = 'json'): this {
    return this.add('POST', pattern, handler, body);
  }

  delete(pattern: string, handler: Handler): this {
    return this.add('DELETE', pattern, handler);
  }

  /** Every route, in registration order (tests walk them with garbage input). */
  list(): readonly Route[] {
    return this.routes;
  }

  /** Finds the route for a request; `methodMismatch` when the path exists under another method. */
  match(method: string, pathname: string): { route: Route; params: Record<string, string> } | 'methodMismatch' | null {
    const segments = pathname.split('/').filter(Boolean);
    let mismatch = false;
    for (const route of this.routes) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      if (route.method === method) return { route, params };
      mismatch = true;
    }
    return mismatch ? 'methodMismatch' : null;
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | null {
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const segment = segments[i] as string;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return null;
      }
    } else if (part !== segment) return null;
  }
  return params;
}

const buffered = new WeakMap<IncomingMessage, Buffer>();

/**
 * Reads a request's body once, at most 1 MiB, and keeps it for {@link readJson}: the idempotency check
 * fingerprints the body before the handler parses it.
 */
export async function bufferJsonBody(req: IncomingMessage): Promise<Buffer> {
  const held = buffered.get(req);
  if (held) return held;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BODY) throw new HttpError(413, 'payload_too_large', 'The request body is larger than 1 MiB.');
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  buffered.set(req, body);
  return body;
}

/** Reads and validates a JSON body against a schema; any problem is a 400 that says what is wrong. */
export async function readJson<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.infer<T>> {
  if (!isJsonMediaType(req.headers['content-type'])) throw unsupportedMediaType();
  const raw = await bufferJsonBody(req);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  return parseWith(schema, body);
}

/** Exactly `application/json`, parameters allowed (`; charset=utf-8`): nothing a plain HTML form can send. */
export function isJsonMediaType(header: string | undefined): boolean {
  if (!header) return false;
  return (header.split(';')[0] ?? '').trim().toLowerCase() === 'application/json';
}

export const unsupportedMediaType = () =>
  new HttpError(415, 'unsupported_media_type', 'Send a JSON body (at least {}) with Content-Type: application/json.');

/** Validates a value (params, query, body); a failure is a 400 listing each problem. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  const message = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'Invalid request.';
  throw badRequest(message, issues);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(data),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(data);
}
