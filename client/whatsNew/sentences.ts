import type { AuditEntry } from '../../shared/audit.js';
import type { RecentDecision, WhatsNewItem } from '../../shared/whatsNew.js';
import { ownerLabelOf } from '../components/identity';
import type { MessageKey, Translate } from '../i18n';

/**
 * Sentences about what people did, built from records' codes and parameters through the catalogue
 * ("Claire Martin a accepté A-4 (Afrique du Sud) au paragraphe 27") — never the codes themselves.
 */

/** The amendment actions the audit log records, each with its sentence. */
const AMENDMENT_ACTIONS: Record<string, MessageKey> = {
  created: 'sentence.amendment.created',
  tabled: 'sentence.amendment.tabled',
  drafted: 'sentence.amendment.drafted',
  'draft.edited': 'sentence.amendment.draftEdited',
  withdrawn: 'sentence.amendment.withdrawn',
  accepted: 'sentence.amendment.accepted',
  rejected: 'sentence.amendment.rejected',
  undone: 'sentence.amendment.undone',
  reopened: 'sentence.amendment.reopened',
  rationale: 'sentence.amendment.rationale',
  cosponsored: 'sentence.amendment.cosponsored',
  'cosponsor.withdrawn': 'sentence.amendment.uncosponsored',
  supported: 'sentence.amendment.supported',
  opposed: 'sentence.amendment.opposed',
  seconded: 'sentence.amendment.seconded',
};

const OTHER_ACTIONS: Record<string, MessageKey> = {
  'round.opened': 'sentence.round.opened',
  'round.closed': 'sentence.round.closed',
  'version.created': 'sentence.version.created',
  'text.corrected': 'sentence.text.corrected',
  'document.archived': 'sentence.document.archived',
};

/** The accounts' log (the Participants screen): the Office's account changes and failed sign-ins. */
const ACCOUNT_ACTIONS: Record<string, MessageKey> = {
  'user.created': 'sentence.user.created',
  'user.edited': 'sentence.user.edited',
  'user.deactivated': 'sentence.user.deactivated',
  'user.reactivated': 'sentence.user.reactivated',
  'user.password_reset': 'sentence.user.password_reset',
  'user.sign_in_link_created': 'sentence.user.sign_in_link_created',
  'session.sign_in_failed': 'sentence.session.sign_in_failed',
  'session.signed_in_by_link': 'sentence.session.signed_in_by_link',
};

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const firstNumber = (value: unknown): number | null =>
  Array.isArray(value) && typeof value[0] === 'number' ? value[0] : typeof value === 'number' ? value : null;

/** "where": "in paragraph 27", or nothing when the record names no paragraph. */
function whereIn(paragraph: number | null, t: Translate): string {
  return paragraph === null ? '' : t('sentence.inParagraph', { n: paragraph });
}

/** One audit line as a sentence in the reader's language. */
export function auditSentence(entry: AuditEntry, t: Translate): string {
  const d = entry.details;
  if (entry.action.startsWith('amendment.')) {
    const key = AMENDMENT_ACTIONS[entry.action.slice('amendment.'.length)];
    const owner = text(d.ownerKey);
    const params = {
      name: entry.userName,
      ref: entry.targetRef ?? entry.targetId,
      owner: owner ? ownerLabelOf(owner, t) : '',
      where: whereIn(firstNumber(d.paragraphs), t),
      modified: typeof d.modifiedText === 'string' ? t('sentence.withModifications') : '',
    };
    if (key) return t(key, params).replace(' ()', '');
    return t('sentence.other', { name: entry.userName, action: entry.action, target: params.ref });
  }
  const account = ACCOUNT_ACTIONS[entry.action];
  if (account) return t(account, { name: entry.userName, target: entry.targetRef ?? entry.targetId ?? '' });
  const key = OTHER_ACTIONS[entry.action];
  if (!key) return t('sentence.other', { name: entry.userName, action: entry.action, target: entry.targetRef ?? '' });
  const round = /(\d+)$/.exec(entry.targetRef ?? '')?.[1] ?? '';
  return t(key, {
    name: entry.userName,
    n: round,
    version: text(d.versionName) || text(d.name) || (entry.targetRef ?? ''),
    where: whereIn(firstNumber(d.paragraph), t),
    symbol: entry.targetRef ?? '',
  });
}

/** How an audit line came in, in words. */
export function viaLabel(via: AuditEntry['via'], t: Translate): string {
  return t(`sentence.via.${via}`);
}

/** One item of "Since your last visit" as a sentence. */
export function newsSentence(item: WhatsNewItem, sectionLabel: string, t: Translate): string {
  const where =
    item.paragraph !== null
      ? t('sentence.inParagraph', { n: item.paragraph })
      : t('sentence.inSection', { section: sectionLabel });
  const params = {
    name: item.byName,
    ref: item.ref ?? '',
    owner: item.ownerKey ? ownerLabelOf(item.ownerKey, t) : '',
    where,
    modified: '',
  };
  if (item.kind === 'amendment') return t('sentence.amendment.tabled', params).replace(' ()', '');
  if (item.kind === 'status') {
    const key: MessageKey =
      item.status === 'accepted'
        ? 'sentence.amendment.accepted'
        : item.status === 'rejected'
          ? 'sentence.amendment.rejected'
          : item.status === 'withdrawn'
            ? 'sentence.amendment.withdrawn'
            : 'sentence.amendment.pendingAgain';
    return t(key, params).replace(' ()', '');
  }
  return item.ref
    ? t('sentence.comment.onAmendment', { name: item.byName, ref: item.ref, where })
    : t('sentence.comment', { name: item.byName, where });
}

/** One of the Office's recent decisions at the desk. */
export function decisionSentence(d: RecentDecision, t: Translate): string {
  return t(d.decision === 'accepted' ? 'sentence.amendment.accepted' : 'sentence.amendment.rejected', {
    name: d.byName,
    ref: d.ref,
    owner: ownerLabelOf(d.ownerKey, t),
    modified: d.modified ? t('sentence.withModifications') : '',
    where: whereIn(d.paragraph, t),
  });
}
