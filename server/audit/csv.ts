import type { AuditEntry } from '../../shared/audit.js';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. A
 * field a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`.
 */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const COLUMNS = [
  'seq',
  'time (UTC)',
  'user id',
  'user',
  'role',
  'action',
  'target type',
  'target id',
  'target',
  'details',
  'via',
  'ip',
  'user agent',
] as const;

/** The audit log as CSV, oldest first, with a header row and CRLF line ends. */
export function auditCsv(entries: AuditEntry[]): string {
  const lines = [COLUMNS.map(csvField).join(',')];
  for (const e of entries) {
    lines.push(
      [
        e.seq,
        new Date(e.at).toISOString(),
        e.userId,
        e.userName,
        e.role,
        e.action,
        e.targetType,
        e.targetId,
        e.targetRef,
        e.details,
        e.via,
        e.ip,
        e.userAgent,
      ]
        .map((v) => csvField(typeof v === 'number' ? String(v) : v))
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** `GB.346/PFA/1` → `GB.346-PFA-1-audit.csv`. */
export function auditFilename(symbol: string): string {
  const base = symbol.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'document';
  return `${base}-audit.csv`;
}
