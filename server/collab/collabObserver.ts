import type { CollabConnection } from './CollabConnection.js';

/**
 * What the collaboration server reports to monitoring (server/observability/): optional, so the collab
 * code knows nothing of Prometheus or the logger. Durations are in seconds.
 */
export interface CollabObserver {
  connectionOpened(connection: CollabConnection): void;
  connectionClosed(connection: CollabConnection, code: number): void;
  /** Time the guard took to judge an update, whatever it decided. */
  updateChecked(seconds: number): void;
  /** `code`: the refusal kind (server/collab/refusals.ts), or `rate`. */
  updateRefused(code: string): void;
  /** An update was stored and applied; `seconds`: the store call alone. */
  updateAccepted(storeSeconds: number): void;
  /** An update was sent to `fanOut` connections of the room, taking `seconds`. */
  updateRelayed(seconds: number, fanOut: number): void;
}
