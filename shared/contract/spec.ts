import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A route whose answer is a file, not JSON: the contract names its media type. */
export interface FileAnswer {
  file: string;
}

/**
 * One HTTP route of the API: the single description server and client share. `params` validates the
 * path's `:names`, `query` the query string, `request` the JSON body (`upload` for a Word file),
 * `response` the JSON answer (sent with `status`) or the media type of a file.
 */
export interface RouteSpec {
  method: Method;
  path: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodType;
  request?: z.ZodType | 'upload';
  response: z.ZodType | FileAnswer;
  /** 200 unless said. */
  status?: 200 | 201;
  /** Who may call it, as the README says it (the server's policies decide). */
  who?: string;
  /**
   * The answer holds a secret shown once (a password, a sign-in link's token): it is never stored under
   * an `Idempotency-Key` (the store keeps only hashes of such secrets), so a retry makes a new one.
   */
  secretAnswer?: true;
}

/** Keeps each route's literal types (path, schemas) while checking it is a route. */
export const route = <const S extends RouteSpec>(spec: S): S => spec;

type JsonSchemaOf<S> = S extends { response: infer R extends z.ZodType } ? R : never;

/** The JSON answer of a route, as the client receives it. */
export type ResponseOf<S extends RouteSpec> = S['response'] extends z.ZodType ? z.output<JsonSchemaOf<S>> : never;
/** The JSON answer of a route, as the server may build it (before defaults). */
export type ResponseInputOf<S extends RouteSpec> = S['response'] extends z.ZodType ? z.input<JsonSchemaOf<S>> : never;
/** The JSON body a client sends. */
export type RequestOf<S extends RouteSpec> = S['request'] extends z.ZodType ? z.input<S['request']> : never;
/** The query a client sends. */
export type QueryOf<S extends RouteSpec> = S['query'] extends z.ZodType ? z.input<S['query']> : never;
/** The path's parameters. */
export type ParamsOf<S extends RouteSpec> = S['params'] extends z.ZodObject ? z.input<S['params']> : never;

export function isFileAnswer(response: RouteSpec['response']): response is FileAnswer {
  return 'file' in response && typeof (response as { file?: unknown }).file === 'string';
}

/** The path with its `:names` filled in (each encoded). */
export function fillPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${path}.`);
    return encodeURIComponent(value);
  });
}
