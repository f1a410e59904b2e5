import { timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

function sendText(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function sendMetrics(res: ServerResponse, metrics: Metrics): Promise<void> {
  sendText(res, 200, await metrics.text(), metrics.contentType);
}

/**
 * Answers the operations endpoints of the main port, or returns false for any other request. No answer
 * carries data: a load balancer needs the status only, and these are not authenticated.
 */
export async function serveOperations(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  deps: { readiness: Readiness; metrics: Metrics; metricsToken: string },
): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  switch (pathname) {
    case '/healthz':
      sendText(res, 200, 'ok\n');
      return true;
    case '/readyz': {
      const problem = await deps.readiness.problem();
      sendText(res, problem ? 503 : 200, problem ? 'not ready\n' : 'ready\n');
      return true;
    }
    case '/metrics':
      // Without a token, metrics are not on the public port at all (maybe on CONCORD_METRICS_PORT).
      if (!deps.metricsToken) return false;
      if (!bearerMatches(req, deps.metricsToken)) {
        res.setHeader('www-authenticate', 'Bearer');
        sendText(res, 401, 'unauthorized\n');
        return true;
      }
      await sendMetrics(res, deps.metrics);
      return true;
    default:
      return false;
  }
}

/** `/metrics` alone, without a token, on a port meant for the monitoring network only. */
export async function startMetricsServer(metrics: Metrics, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/metrics') void sendMetrics(res, metrics);
    else sendText(res, 404, 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
