import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { FanOut, RpcMessage } from '../fanout/FanOut.js';

/** Marks a request one process forwarded to another: it is never forwarded again (no loops). */
export const FORWARDED_HEADER = 'x-concord-forwarded';

/** How long a process waits for the owner's answer before telling the client to retry. */
export const FORWARD_TIMEOUT_MS = 10_000;

/** An HTTP request as it reached the first process, and the owner's answer to it. */
export interface ForwardedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ForwardedAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

/** Headers that describe one hop, not the request. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'expect']);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Forwards HTTP commands to the process that owns their section (issue 15: commands on the owner),
 * over the fan-out: each process listens on `rpc/<its id>`. The owner replays the request against its
 * own HTTP server, so the same authentication, validation and policies judge it; its status and body
 * go back to the process that asked.
 */
export class RequestForwarder {
  private readonly pending = new Map<string, (answer: ForwardedAnswer) => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly fanOut: FanOut,
    readonly processId: string,
    private readonly localPort: () => number,
  ) {
    this.unsubscribe = fanOut.subscribe(`rpc/${processId}`, (message) => {
      if (message.kind === 'rpc') void this.receive(message);
    });
  }

  /** Sends `request` to `owner` and resolves with its answer, or a 503 when none came in time. */
  forward(owner: string, request: ForwardedRequest): Promise<ForwardedAnswer> {
    const id = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(unavailable('The process that owns this section did not answer in time. Try again.'));
      }, FORWARD_TIMEOUT_MS);
      timer.unref();
      this.pending.set(id, (answer) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(answer);
      });
      const payload = encoder.encode(JSON.stringify(request));
      this.fanOut.publish(`rpc/${owner}`, { kind: 'rpc', id, from: this.processId, reply: false, payload });
    });
  }

  private async receive(message: RpcMessage): Promise<void> {
    if (message.reply) {
      this.pending.get(message.id)?.(JSON.parse(decoder.decode(message.payload)) as ForwardedAnswer);
      return;
    }
    let answer: ForwardedAnswer;
    try {
      answer = await this.replay(JSON.parse(decoder.decode(message.payload)) as ForwardedRequest);
    } catch {
      answer = unavailable('The forwarded request could not be run. Try again.');
    }
    this.fanOut.publish(`rpc/${message.from}`, {
      kind: 'rpc',
      id: message.id,
      from: this.processId,
      reply: true,
      payload: encoder.encode(JSON.stringify(answer)),
    });
  }

  /** Runs the request against this process's own HTTP server, as the client sent it. */
  private replay(forwarded: ForwardedRequest): Promise<ForwardedAnswer> {
    const body = Buffer.from(forwarded.body, 'base64');
    const headers: Record<string, string> = { ...forwarded.headers, [FORWARDED_HEADER]: '1' };
    if (body.length > 0) headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: this.localPort(), method: forwarded.method, path: forwarded.path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              contentType: res.headers['content-type'] ?? null,
              body: Buffer.concat(chunks).toString('base64'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.unsubscribe();
    for (const resolve of this.pending.values()) resolve(unavailable('The server is restarting. Try again.'));
    this.pending.clear();
  }
}

/** The headers of `raw` worth forwarding (the request's own, not the hop's). */
export function forwardableHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function unavailable(message: string): ForwardedAnswer {
  return {
    status: 503,
    contentType: 'application/json; charset=utf-8',
    body: Buffer.from(JSON.stringify({ error: 'unavailable', message })).toString('base64'),
  };
}
