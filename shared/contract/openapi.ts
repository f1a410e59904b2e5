import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from './idempotency.js';
import { z } from 'zod';
import { ApiError } from '../api.js';
import { type RouteSpec, isFileAnswer } from './spec.js';

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12, the dialect of OpenAPI 3.1 (the `$schema` line is the document's, not each schema's). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return json;
}

/** `/api/documents/:documentId` → `/api/documents/{documentId}` */
const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/** Query parameters of an object schema, one OpenAPI parameter each (all strings on the wire). */
function queryParameters(query: z.ZodType): JsonSchema[] {
  const json = schemaOf(query, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema,
  }));
}

/**
 * The route table as an OpenAPI 3.1 document: what scripts and other clients of the ILO read. Bodies
 * are described as sent (`input`), answers as received (`output`); every error is `{ error, message }`.
 */
export function openApiDocument(routes: Record<string, RouteSpec>, version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const error = {
    description: 'Refused: `{ error, message }`',
    content: { 'application/json': { schema: schemaOf(ApiError, 'output') } },
  };
  for (const [name, spec] of Object.entries(routes)) {
    const parameters: JsonSchema[] = [];
    if (spec.params) {
      for (const [param, schema] of Object.entries(spec.params.shape)) {
        parameters.push({ name: param, in: 'path', required: true, schema: schemaOf(schema as z.ZodType, 'input') });
      }
    }
    if (spec.query) parameters.push(...queryParameters(spec.query));
    if (spec.method !== 'GET') {
      parameters.push({
        name: IDEMPOTENCY_KEY_HEADER,
        in: 'header',
        required: false,
        description:
          'A retry with the same key by the same user answers the first answer (`Idempotent-Replayed: true`) and changes nothing; the same key on another request: 422.',
        schema: schemaOf(IdempotencyKey, 'input'),
      });
    }
    const operation: JsonSchema = {
      operationId: name,
      summary: spec.summary,
      ...(spec.who ? { description: `Who: ${spec.who}.` } : {}),
      ...(parameters.length ? { parameters } : {}),
    };
    if (spec.request === 'upload') {
      operation.requestBody = {
        required: true,
        content: {
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
            schema: { type: 'string', format: 'binary' },
          },
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: { file: { type: 'string', format: 'binary' }, onBehalfOf: { type: 'string' } },
            },
          },
        },
      };
    } else if (spec.request) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: schemaOf(spec.request, 'input') } },
      };
    }
    const ok = isFileAnswer(spec.response)
      ? { description: 'A file', content: { [spec.response.file]: { schema: { type: 'string', format: 'binary' } } } }
      : { description: 'OK', content: { 'application/json': { schema: schemaOf(spec.response, 'output') } } };
    operation.responses = { [String(spec.status ?? 200)]: ok, '4XX': error };
    paths[openApiPath(spec.path)] ??= {};
    (paths[openApiPath(spec.path)] as Record<string, JsonSchema>)[spec.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Concord API', version },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'concord_session' },
      },
    },
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
  };
}
