import { randomUUID } from 'node:crypto';
import type { CollabConnection } from '../collab/CollabConnection.js';
import type { CollabObserver } from '../collab/collabObserver.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** Metrics and connection logs of the collaboration server, with a short id per socket. */
export function observeCollab(metrics: Metrics, logger: Logger): CollabObserver & { byRole(): Map<string, number> } {
  const ids = new WeakMap<CollabConnection, string>();
  const byRole = new Map<string, number>();
  return {
    byRole: () => byRole,
    connectionOpened(conn) {
      const connId = randomUUID().slice(0, 8);
      ids.set(conn, connId);
      byRole.set(conn.user.role, (byRole.get(conn.user.role) ?? 0) + 1);
      logger.info(
        { connId, userId: conn.userId, role: conn.user.role, room: conn.room.key },
        'collab connection opened',
      );
    },
    connectionClosed(conn, code) {
      byRole.set(conn.user.role, Math.max(0, (byRole.get(conn.user.role) ?? 0) - 1));
      logger.info({ connId: ids.get(conn), userId: conn.userId, code }, 'collab connection closed');
    },
    updateChecked(seconds) {
      metrics.updateCheckSeconds.observe(seconds);
    },
    updateRefused(code) {
      metrics.updatesRefused.inc({ code });
    },
    updateAccepted(storeSeconds) {
      metrics.updatesAccepted.inc();
      metrics.updateStoreSeconds.observe(storeSeconds);
    },
    updateRelayed(seconds, fanOut) {
      metrics.updateRelaySeconds.observe(seconds);
      metrics.relayFanOut.observe(fanOut);
    },
  };
}
