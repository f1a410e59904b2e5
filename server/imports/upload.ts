import type { IncomingMessage } from 'node:http';
import { MAX_IMPORT_BYTES } from '../../shared/imports.js';
import { HttpError, badRequest } from '../errors.js';

/**
 * The body of a Word upload, either raw (`Content-Type:
 * application/vnd.openxmlformats-officedocument.wordprocessingml.document` or
 * `application/octet-stream`, the file name in `X-File-Name` or `?fileName=`, fields in the query) or
 * `multipart/form-data` (the file in field `file`, other fields as text). Bodies over
 * {@link MAX_IMPORT_BYTES} are refused with 413 as soon as they pass the limit.
 */
export interface Upload {
  file: { name: string; bytes: Uint8Array };
  fields: Record<string, string>;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Headroom for the multipart envelope around the file. */
const ENVELOPE = 64 * 1024;

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(): HttpError {
  return new HttpError(413, 'payload_too_large', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB.`);
}

/** `name="value"` parameters of a header such as Content-Disposition. */
function headerParams(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of value.matchAll(/;\s*([A-Za-z*]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    const name = (match[1] ?? '').toLowerCase();
    out[name] = (match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1').trim();
  }
  return out;
}

export async function readUpload(req: IncomingMessage, url: URL): Promise<Upload> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return readMultipart(req, type);
  if (type.startsWith(DOCX) || type.startsWith('application/octet-stream')) {
    const bytes = await readBody(req, MAX_IMPORT_BYTES);
    const headerName = req.headers['x-file-name'];
    const rawName =
      (typeof headerName === 'string' ? safeDecode(headerName) : null) ?? url.searchParams.get('fileName');
    const fields = Object.fromEntries(url.searchParams);
    return { file: { name: cleanName(rawName ?? 'amendments.docx'), bytes: new Uint8Array(bytes) }, fields };
  }
  throw badRequest(`Send the Word file as ${DOCX} (the file as the body) or as multipart/form-data (field "file").`);
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return base.replace(/[\u0000-\u001f"]/g, '').slice(0, 200) || 'amendments.docx';
}

async function readMultipart(req: IncomingMessage, type: string): Promise<Upload> {
  const boundary = headerParams(`;${type.slice(type.indexOf(';') + 1)}`).boundary;
  if (!boundary || boundary.length > 200) throw badRequest('The multipart body has no boundary.');
  const body = await readBody(req, MAX_IMPORT_BYTES + ENVELOPE);
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = {};
  let file: Upload['file'] | null = null;
  let at = body.indexOf(delimiter);
  if (at < 0) throw badRequest('The multipart body holds no part.');
  for (let parts = 0; parts < 20; parts++) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') break;
    const headersEnd = body.indexOf('\r\n\r\n', at);
    if (headersEnd < 0) throw badRequest('A part of the multipart body has no end of headers.');
    const headers = body.subarray(at, headersEnd).toString('utf8');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    if (next < 0) throw badRequest('The multipart body is cut short.');
    const content = body.subarray(headersEnd + 4, next);
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const params = headerParams(disposition);
    const name = params.name ?? '';
    if (params.filename !== undefined) {
      if (name === 'file' || file === null) file = { name: cleanName(params.filename), bytes: new Uint8Array(content) };
    } else if (name) {
      fields[name] = content.toString('utf8');
    }
    at = next + 2;
  }
  if (!file) throw badRequest('The multipart body has no file: send the Word file in field "file".');
  if (file.bytes.length > MAX_IMPORT_BYTES) throw tooLarge();
  return { file, fields };
}
