import { type CSSProperties, type ReactNode, memo, useId, useState } from 'react';
import { awaitingSeconder } from '../../shared/amendments.js';
import { groupOfOwnerKey } from '../../shared/suggestions.js';
import { colourOfOwner, ownerLabelOf, ownerShortOf } from '../components/identity';
import { useT } from '../i18n';
import type {
  DeskAmendment as DeskAmendmentData,
  DeskSubAmendment as DeskSubAmendmentData,
} from '../../shared/desk.js';
import { ProposalText } from '../review/ProposalText';
import { DeskTally } from './DeskTally';
import { ModifyDialog } from './ModifyDialog';
import { contextInText } from './proposalContext';
import { useDocumentLanguage } from '../document/documentLanguage';
import { SecondingLine } from '../review/SecondingLine';

export type Decision = 'accept' | 'reject' | 'modify';

export interface DeskCardProps {
  documentId: string;
  /** The official text of the amendment's paragraph: the sentence around it when its marks are not found. */
  paragraphText: string;
  amendment: DeskAmendmentData | DeskSubAmendmentData;
  /** Rival amendments' references ("alternative to A-3"). */
  alternatives: string[];
  parentRef?: string;
  checked: boolean;
  busy: boolean;
  onToggle: (id: string, checked: boolean) => void;
  /** Resolves true when the server took the decision. */
  onDecide: (id: string, decision: Decision, text?: string, secondedInRoom?: boolean) => Promise<boolean>;
  children?: ReactNode;
}

/**
 * One pending amendment at the desk: whose (chip in the group's colour), what it does, co-sponsors,
 * support and opposition by group, comments, and the Office's decisions — accept, accept with the
 * Office's words (a dialog showing the proposal in its sentence and a preview), reject — plus a box for bulk decisions.
 */
export const DeskCard = memo(function DeskCard(props: DeskCardProps) {
  const docLang = useDocumentLanguage();
  const { amendment: a, alternatives, checked, busy, onToggle, onDecide } = props;
  const t = useT();
  const id = useId();
  const [modifying, setModifying] = useState(false);
  const owner = ownerLabelOf(a.ownerKey, t);
  const short = ownerShortOf(a.ownerKey);
  const group = groupOfOwnerKey(a.ownerKey);
  const headingId = `desk-${a.id}`;
  const sub = 'proposalIfAccepted' in a;
  const cosponsors = a.cosponsors ?? [];
  const canModify = a.proposedText !== '';
  // One State's amendment nobody seconded: the Office accepts it only once it confirms a seconding in the room.
  const unseconded = awaitingSeconder(a);
  const [inRoom, setInRoom] = useState(false);
  const acceptBlocked = unseconded && !inRoom;

  return (
    <article
      className={sub ? 'desk-card desk-card--sub' : 'desk-card'}
      style={{ '--owner': colourOfOwner(a.ownerKey) } as CSSProperties}
      aria-labelledby={headingId}
      data-testid={`desk-${a.ref}`}
      data-desk-card={a.id}
    >
      <header className="desk-card__head">
        <input
          type="checkbox"
          id={`${id}-select`}
          className="desk-card__select"
          checked={checked}
          onChange={(e) => onToggle(a.id, e.target.checked)}
        />
        <label htmlFor={`${id}-select`} className="visually-hidden">
          {t('desk.select', { ref: a.ref })}
        </label>
        <h3 id={headingId} className="desk-card__ref" tabIndex={-1}>
          {a.ref}
        </h3>
        <span className="chip" data-testid="desk-owner">
          {short && (
            <span className="chip__short" aria-hidden="true">
              {short}
            </span>
          )}
          {owner}
        </span>
        {props.parentRef && <span className="desk-card__tag">{t('sub.of', { ref: props.parentRef })}</span>}
        {alternatives.map((ref) => (
          <span key={ref} className="desk-card__tag desk-card__tag--rival" data-testid="desk-rival">
            {t('desk.alternativeTo', { ref })}
          </span>
        ))}
      </header>
      <p className="desk-card__meta">
        {t(`amendment.type.${a.type}`)} · {t('amendment.by', { author: a.authorName })}
      </p>
      <ProposalText
        original={a.originalText}
        proposed={a.proposedText}
        context={contextInText(props.paragraphText, a.originalText, a.proposedText)}
        group={group}
        lang={docLang}
        testId="desk-proposal"
      />
      {'proposalIfAccepted' in a && a.proposalIfAccepted !== null && (
        <p className="desk-card__result">
          <span className="amendment__label">{t('desk.parentWouldRead')}</span>
          <span lang={docLang}>{a.proposalIfAccepted}</span>
        </p>
      )}
      {a.rationale && <p className="desk-card__rationale">{a.rationale}</p>}
      <SecondingLine amendment={a} />
      {cosponsors.length > 0 && (
        <p className="desk-card__cosponsors" data-testid="desk-cosponsors">
          {t('amendment.cosponsors', { names: cosponsors.map((c) => ownerLabelOf(c.ownerKey, t)).join(', ') })}
        </p>
      )}
      <DeskTally tally={a.tally} />
      <p className="desk-card__comments">{t('amendment.comments', { count: a.comments })}</p>
      {modifying && (
        <ModifyDialog
          documentId={props.documentId}
          amendment={a}
          paragraphText={props.paragraphText}
          busy={busy}
          onConfirm={(text) => onDecide(a.id, 'modify', text, unseconded && inRoom)}
          onClose={() => setModifying(false)}
        />
      )}
      {unseconded && (
        <div className="desk-card__room">
          <input
            type="checkbox"
            id={`${id}-room`}
            checked={inRoom}
            aria-describedby={`${id}-room-hint`}
            onChange={(e) => setInRoom(e.target.checked)}
            data-testid="desk-seconded-in-room"
          />
          <label htmlFor={`${id}-room`}>{t('desk.secondedInRoom')}</label>
          <p id={`${id}-room-hint`} className="muted desk-card__room-hint">
            {t('desk.secondedInRoomHint', { ref: a.ref })}
          </p>
        </div>
      )}
      <div className="button-row desk-card__actions">
        <button
          type="button"
          className="button button--small"
          disabled={busy || acceptBlocked}
          onClick={() => void onDecide(a.id, 'accept', undefined, unseconded && inRoom)}
        >
          {t('amendment.action.accept')}
          <span className="visually-hidden"> {a.ref}</span>
        </button>
        {canModify && (
          <button
            type="button"
            className="button button--small"
            disabled={busy || acceptBlocked}
            onClick={() => setModifying(true)}
          >
            {t('desk.modify')}
            <span className="visually-hidden"> {a.ref}</span>
          </button>
        )}
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          onClick={() => void onDecide(a.id, 'reject')}
        >
          {t('amendment.action.reject')}
          <span className="visually-hidden"> {a.ref}</span>
        </button>
      </div>
      {props.children}
    </article>
  );
});
