import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds: from a fraction of a millisecond (an accepted keystroke) to seconds (a slow disk). */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const FANOUT_BUCKETS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500];

/** Read at each scrape: the collab and socket.io state that gauges report. */
export interface LiveCounts {
  collabConnectionsByRole(): Map<string, number>;
  loadedSections(): number;
  socketConnections(): number;
}

/**
 * Concord's Prometheus metrics, in a registry of their own: tests run several servers in one process,
 * and each must count only its own traffic. Labels stay small (role, refusal code, route pattern,
 * status, store method): never a document or user id.
 */
export class Metrics {
  readonly registry = new Registry();
  private live: LiveCounts | null = null;

  readonly collabConnections: Gauge<'role'>;
  readonly loadedSections: Gauge;
  readonly socketConnections: Gauge;
  readonly updatesAccepted: Counter;
  readonly updatesRefused: Counter<'code'>;
  readonly updateCheckSeconds: Histogram;
  readonly updateStoreSeconds: Histogram;
  readonly updateRelaySeconds: Histogram;
  readonly relayFanOut: Histogram;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpSeconds: Histogram<'method' | 'route' | 'status'>;
  readonly storeSeconds: Histogram<'method'>;
  readonly signInFailures: Counter<'reason'>;

  constructor() {
    const registers = [this.registry];
    const metrics = this;
    collectDefaultMetrics({ register: this.registry });
    this.collabConnections = new Gauge({
      name: 'concord_collab_connections',
      help: 'Open collaboration websockets, by role of the signed-in user.',
      labelNames: ['role'],
      registers,
      collect() {
        this.reset();
        for (const [role, n] of metrics.live?.collabConnectionsByRole() ?? []) this.set({ role }, n);
      },
    });
    this.loadedSections = new Gauge({
      name: 'concord_loaded_sections',
      help: 'Sections held in memory by the collaboration server.',
      registers,
      collect() {
        this.set(metrics.live?.loadedSections() ?? 0);
      },
    });
    this.socketConnections = new Gauge({
      name: 'concord_socketio_connections',
      help: 'Open socket.io connections (live events).',
      registers,
      collect() {
        this.set(metrics.live?.socketConnections() ?? 0);
      },
    });
    this.updatesAccepted = new Counter({
      name: 'concord_collab_updates_accepted_total',
      help: 'Collaboration updates judged, stored, applied and relayed.',
      registers,
    });
    this.updatesRefused = new Counter({
      name: 'concord_collab_updates_refused_total',
      help: 'Collaboration updates refused by the guard, by refusal code.',
      labelNames: ['code'],
      registers,
    });
    this.updateCheckSeconds = new Histogram({
      name: 'concord_collab_update_check_seconds',
      help: 'Time the guard takes to judge an update.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.updateStoreSeconds = new Histogram({
      name: 'concord_collab_update_store_seconds',
      help: 'Time to store an accepted update durably.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.updateRelaySeconds = new Histogram({
      name: 'concord_collab_update_relay_seconds',
      help: 'Time to relay an applied update to the connections of its section.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.relayFanOut = new Histogram({
      name: 'concord_collab_relay_fanout',
      help: 'Connections an applied update is relayed to.',
      buckets: FANOUT_BUCKETS,
      registers,
    });
    this.httpRequests = new Counter({
      name: 'concord_http_requests_total',
      help: 'HTTP requests, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpSeconds = new Histogram({
      name: 'concord_http_request_seconds',
      help: 'HTTP request latency, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.storeSeconds = new Histogram({
      name: 'concord_store_call_seconds',
      help: 'Latency of store calls, by method.',
      labelNames: ['method'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.signInFailures = new Counter({
      name: 'concord_sign_in_failures_total',
      help: 'Refused sign-ins: wrong credentials, or too many attempts.',
      labelNames: ['reason'],
      registers,
    });
  }

  /** Gives the gauges read at scrape time their source. */
  watch(live: LiveCounts): void {
    this.live = live;
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
