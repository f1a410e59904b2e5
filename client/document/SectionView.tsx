import { memo, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { CloseCode } from '../../shared/closeCodes.js';
import type { SectionMeta } from '../../shared/document.js';
import type { PresenceEntry } from '../../shared/events.js';
import type { PMNode } from '../../shared/schema/index.js';
import type { ConnectionPool } from '../collab/ConnectionPool';
import { type SectionConnection, type SectionSnapshot, isResyncCode } from '../collab/SectionConnection';
import { useT } from '../i18n';
import type { SuggestIdentity } from '../suggesting/suggestTransaction';
import { restoreCaret } from './caretKeeper';
import { CorrectionMarkers } from './CorrectionMarkers';
import type { CorrectionsBySection } from './corrections';
import { editorRegistry } from './editorRegistry';
import { LiveEditor } from './LiveEditor';
import { RefusalPopover } from './RefusalPopover';
import { useRefusalFor } from './refusals';
import { PeopleStack } from './PeopleStack';
import { StaticSection } from './StaticSection';
import { useNearViewport } from './useNearViewport';

export interface SectionViewProps {
  section: SectionMeta;
  content: PMNode | undefined;
  pool: ConnectionPool | null;
  editable: boolean;
  suggestIdentity: () => SuggestIdentity | null;
  caretUser: { name: string; color: string };
  lang: string;
  people: PresenceEntry[];
  selfId: string;
  onFocus: (sectionId: string) => void;
  /** A delegate: offered to co-sponsor or support the amendment a refused change collided with. */
  canBackOthers: boolean;
  /** The Office's direct corrections, by section: a quiet marker on each corrected paragraph. */
  corrections: CorrectionsBySection;
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
      <CorrectionMarkers sectionId={section.id} corrections={props.corrections} />
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

const NO_SNAPSHOT: SectionSnapshot = {
  status: 'connecting',
  synced: false,
  pending: false,
  refusal: null,
  generation: 0,
  notice: null,
};

function ConnectedSection(props: SectionViewProps & { connection: SectionConnection }) {
  const { connection } = props;
  const snapshot = useSyncExternalStore(connection.subscribe, connection.getSnapshot, () => NO_SNAPSHOT);
  const refusal = useRefusalFor(props.section.id, snapshot.notice?.at ?? null);
  return (
    <>
      {/* A new generation is a new Y.Doc: the editor (and its "ready" state) starts again from the server's text. */}
      <LiveBody key={snapshot.generation} {...props} snapshot={snapshot} />
      {/* After the text in the DOM: Tab from the editor reaches its buttons. */}
      <RefusalPopover connection={connection} notice={snapshot.notice} refusal={refusal} canBackOthers={props.canBackOthers} />
    </>
  );
}

function LiveBody(props: SectionViewProps & { connection: SectionConnection; snapshot: SectionSnapshot }) {
  const { connection, section, content, editable, snapshot } = props;
  const t = useT();
  const [ready, setReady] = useState(false);
  const onReady = useCallback(() => setReady(true), []);
  const { onFocus } = props;
  const focus = useCallback(() => onFocus(section.id), [onFocus, section.id]);

  // After a refusal: the text as it was drawn (not the older static copy) until the fresh copy draws it.
  const placeholder = snapshot.generation > 0 ? (connection.placeholder ?? content) : content;
  const caret = snapshot.notice?.caret ?? null;
  const restoredFor = useRef<number | null>(null);
  useEffect(() => {
    if (!ready || !caret || restoredFor.current === snapshot.generation) return;
    restoredFor.current = snapshot.generation;
    const editor = editorRegistry.get(section.id)?.editor;
    if (editor) restoreCaret(editor, caret);
  }, [ready, caret, snapshot.generation, section.id]);

  const live = snapshot.synced || ready;
  const label = t(editable ? 'section.editorLabel' : 'section.readerLabel', { label: section.label });
  return (
    <div
      className="doc-section__body"
      data-editable={ready && editable ? 'true' : 'false'}
      data-live={ready ? 'true' : 'false'}
      data-status={snapshot.status}
      data-generation={snapshot.generation}
    >
      {snapshot.refusal && <Refusal code={snapshot.refusal.code} reason={snapshot.refusal.reason} onRetry={() => connection.retry()} />}
      {!ready && placeholder && <StaticSection content={placeholder} lang={props.lang} label={section.label} />}
      {live && (
        <div className={ready ? 'doc-section__editor' : 'doc-section__editor doc-section__editor--hidden'}>
          <LiveEditor
            connection={connection}
            generation={snapshot.generation}
            sectionId={section.id}
            editable={editable}
            suggestIdentity={props.suggestIdentity}
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

/** Close codes with a sentence of their own (`section.refused.<code>`); others show the server's reason. */
const EXPLAINED_CODES: ReadonlySet<number> = new Set([
  CloseCode.Forbidden,
  CloseCode.NotFound,
  CloseCode.InvalidUpdate,
  CloseCode.MessageTooLarge,
]);

function Refusal({ code, reason, onRetry }: { code: number; reason: string; onRetry: () => void }) {
  const t = useT();
  const known = EXPLAINED_CODES.has(code);
  const message = known
    ? t(`section.refused.${code}` as 'section.refused.4403', { reason })
    : t('section.refused.other', { reason: reason || String(code) });
  return (
    <div className="section-alert" role="alert">
      <span>{message}</span>
      {isResyncCode(code) && (
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
