import type { Amendment } from '../../shared/amendments.js';
import type { AuditEntry, AuditTarget } from '../../shared/audit.js';
import type { Clock } from '../clock.js';
import type { AuditStore, Store, UserRecord } from '../storage/Store.js';
import { currentOrigin } from './requestOrigin.js';

export interface AuditEvent {
  action: string;
  documentId: string;
  targetType: AuditTarget;
  targetId: string;
  targetRef: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one line to the audit log: who (the user, or the system), when, what, and from where — the
 * HTTP request being handled (ip, user agent), else the collaboration socket. The action it records has
 * already happened, so a failure to write is reported, never thrown back at the user.
 */
export async function recordAudit(
  services: { store: Pick<Store, 'audit'>; clock: Clock },
  user: Pick<UserRecord, 'id' | 'name' | 'role'> | null,
  event: AuditEvent,
  via: AuditEntry['via'] = 'http',
): Promise<void> {
  try {
    await appendAudit(services.store.audit, user, event, via, services.clock.now());
  } catch (err) {
    if (!String(err).includes('database connection is not open')) console.warn(`audit: ${String(err)}`);
  }
}

/**
 * Appends one audit line as part of the step it records (a store transaction's `audit`): a failure is
 * thrown, so that the step fails with it.
 */
export async function appendAudit(
  audit: Pick<AuditStore, 'append'>,
  user: Pick<UserRecord, 'id' | 'name' | 'role'> | null,
  event: AuditEvent,
  via: AuditEntry['via'],
  at: number,
): Promise<void> {
  const origin = currentOrigin();
  await audit.append({
    at,
    userId: user?.id ?? 'system',
    userName: user?.name ?? 'Concord',
    role: user?.role ?? 'system',
    action: event.action,
    documentId: event.documentId,
    targetType: event.targetType,
    targetId: event.targetId,
    targetRef: event.targetRef,
    details: event.details ?? {},
    via: origin ? 'http' : via === 'http' ? 'system' : via,
    ip: origin?.ip ?? null,
    userAgent: origin?.userAgent ?? null,
  });
}

/**
 * The audit line of an amendment event. A draft's words stay out of the log, which the Office reads:
 * a draft is its group's alone until tabled.
 */
export function auditAmendment(
  audit: Pick<AuditStore, 'append'>,
  at: number,
  user: Pick<UserRecord, 'id' | 'name' | 'role'> | null,
  action: string,
  amendment: Amendment,
  extra: Record<string, unknown> = {},
  via: AuditEntry['via'] = 'http',
): Promise<void> {
  const details: Record<string, unknown> =
    amendment.status === 'draft'
      ? { ownerKey: amendment.ownerKey, sectionId: amendment.sectionId, paragraphs: amendment.paragraphs }
      : {
          ownerKey: amendment.ownerKey,
          sectionId: amendment.sectionId,
          paragraphs: amendment.paragraphs,
          type: amendment.type,
          status: amendment.status,
          originalText: amendment.originalText,
          proposedText: amendment.proposedText,
          ...(amendment.parentId ? { parentId: amendment.parentId } : {}),
          ...(amendment.modifiedText !== null ? { modifiedText: amendment.modifiedText } : {}),
        };
  return appendAudit(
    audit,
    user,
    {
      action: `amendment.${action}`,
      documentId: amendment.documentId,
      targetType: 'amendment',
      targetId: amendment.id,
      targetRef: amendment.ref,
      details: { ...details, ...extra },
    },
    via,
    at,
  );
}
