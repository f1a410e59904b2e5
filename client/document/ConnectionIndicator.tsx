import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ConnectionPool, PoolSnapshot } from '../collab/ConnectionPool';
import { useT } from '../i18n';

export type OverallState = 'connected' | 'connecting' | 'reconnecting' | 'offline';

const IDLE: PoolSnapshot = { status: 'connecting', pending: false, open: 0 };
const noop = () => () => {};

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

/**
 * Always visible: is what I see current? Combines the open sections' sockets, the presence socket and
 * the browser's own online flag. Words and a shape, not colour alone, carry the state.
 */
export function ConnectionIndicator({ pool, realtimeConnected }: { pool: ConnectionPool | null; realtimeConnected: boolean }) {
  const t = useT();
  const online = useOnline();
  const snapshot = useSyncExternalStore(pool?.subscribe ?? noop, pool?.getSnapshot ?? (() => IDLE));
  const [seenConnected, setSeenConnected] = useState(false);

  let state: OverallState;
  if (!online) state = 'offline';
  else if (snapshot.status === 'reconnecting' || (seenConnected && !realtimeConnected)) state = 'reconnecting';
  else if (snapshot.status === 'connecting' || !realtimeConnected) state = seenConnected ? 'reconnecting' : 'connecting';
  else state = 'connected';

  useEffect(() => {
    if (state === 'connected') setSeenConnected(true);
  }, [state]);

  const label =
    state === 'connected'
      ? t('connection.connected')
      : state === 'offline'
        ? t('connection.offline')
        : state === 'reconnecting'
          ? t('connection.reconnecting')
          : t('connection.connecting');
  const detail =
    state === 'connected'
      ? t('connection.connectedDetail')
      : state === 'offline'
        ? t('connection.offlineDetail')
        : state === 'reconnecting'
          ? t('connection.reconnectingDetail')
          : '';

  return (
    <div
      className={`connection connection--${state}`}
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-state={state}
      data-pending={snapshot.pending ? 'true' : 'false'}
      title={detail}
    >
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__label">{label}</span>
      {state !== 'connected' && detail && <span className="visually-hidden"> — {detail}</span>}
      {snapshot.pending && <span className="connection__pending">{t('connection.pending')}</span>}
    </div>
  );
}
