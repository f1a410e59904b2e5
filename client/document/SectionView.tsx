import { memo, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { SectionMeta } from '../../shared/document.js';
import type { PresenceEntry } from '../../shared/events.js';
import type { PMNode } from '../../shared/schema/index.js';
import type { ConnectionPool } from '../collab/ConnectionPool';
import type { SectionConnection, SectionSnapshot } from '../collab/SectionConnection';
import { useT } from '../i18n';
import { LiveEditor } from './LiveEditor';
import { PeopleStack } from './PeopleStack';
import { StaticSection } from './StaticSection';
import { useNearViewport } from './useNearViewport';

export interface SectionViewProps {
  section: SectionMeta;
  content: PMNode | undefined;
  pool: ConnectionPool | null;
  editable: boolean;
  caretUser: { name: string; color: string };
  lang: string;
  people: PresenceEntry[];
  selfId: string;
  onFocus: (sectionId: string) => void;
}

/**
 * One section of the continuous text. Far from the viewport it is static text; near it, it opens its
 * Y.Doc and, once synced, its editor draws over the static text and replaces it without moving a line.
 */
export const SectionView = memo(function SectionView(props: SectionViewProps) {
  const { section, content, pool } = props;
  const ref = useRef<HTMLElement>(null);
  const near = useNearViewport(ref);
  const [connection, setConnection] = useState<SectionConnection | null>(null);

  useEffect(() => {
    if (!near || !pool) return;
    setConnection(pool.acquire(section.id));
    return () => {
      setConnection(null);
      pool.release(section.id);
    };
  }, [near, pool, section.id]);

  return (
    <section
      ref={ref}
      className="doc-section"
      id={`section-${section.id}`}
      data-section-id={section.id}
      data-testid={`section-${section.id}`}
      aria-label={`${section.label} — ${section.title}`}
    >
      <SectionPeople people={props.people} selfId={props.selfId} />
      {connection ? (
        <ConnectedSection {...props} connection={connection} />
      ) : (
        <div data-editable="false" data-live="false" className="doc-section__body">
          {content && <StaticSection content={content} lang={props.lang} label={section.label} />}
        </div>
      )}
    </section>
  );
});

const NO_SNAPSHOT: SectionSnapshot = { status: 'connecting', synced: false, pending: false, refusal: null };

function ConnectedSection(props: SectionViewProps & { connection: SectionConnection }) {
  const { connection, section, content, editable } = props;
  const t = useT();
  const snapshot = useSyncExternalStore(connection.subscribe, connection.getSnapshot, () => NO_SNAPSHOT);
  const [ready, setReady] = useState(false);
  const onReady = useCallback(() => setReady(true), []);
  const { onFocus } = props;
  const focus = useCallback(() => onFocus(section.id), [onFocus, section.id]);

  const live = snapshot.synced || ready;
  const label = t(editable ? 'section.editorLabel' : 'section.readerLabel', { label: section.label });
  return (
    <div
      className="doc-section__body"
      data-editable={ready && editable ? 'true' : 'false'}
      data-live={ready ? 'true' : 'false'}
      data-status={snapshot.status}
    >
      {snapshot.refusal && <Refusal code={snapshot.refusal.code} reason={snapshot.refusal.reason} onRetry={() => connection.retry()} />}
      {!ready && content && <StaticSection content={content} lang={props.lang} label={section.label} />}
      {live && (
        <div className={ready ? 'doc-section__editor' : 'doc-section__editor doc-section__editor--hidden'}>
          <LiveEditor
            connection={connection}
            editable={editable}
            caretUser={props.caretUser}
            lang={props.lang}
            label={label}
            onReady={onReady}
            onFocus={focus}
          />
        </div>
      )}
    </div>
  );
}

function Refusal({ code, reason, onRetry }: { code: number; reason: string; onRetry: () => void }) {
  const t = useT();
  const known = code === 4403 || code === 4404 || code === 4400 || code === 4413;
  const message = known
    ? t(`section.refused.${code}` as 'section.refused.4403', { reason })
    : t('section.refused.other', { reason: reason || String(code) });
  return (
    <div className="section-alert" role="alert">
      <span>{message}</span>
      {(code === 4400 || code === 4413) && (
        <button type="button" className="button button--small" onClick={onRetry}>
          {t('section.retry')}
        </button>
      )}
    </div>
  );
}

function SectionPeople({ people, selfId }: { people: PresenceEntry[]; selfId: string }) {
  const t = useT();
  const others = people.filter((p) => p.id !== selfId);
  // Always rendered, fixed height, out of the text's flow: arrivals and departures move nothing.
  return (
    <div className="doc-section__people">
      <PeopleStack people={others} max={4} label={t('presence.section')} />
    </div>
  );
}
