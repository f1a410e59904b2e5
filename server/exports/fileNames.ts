import { isoDay } from './xml.js';

/**
 * File names of exports, built from the document symbol: `GB.346/PFA/1` → `GB.346-PFA-1`, then what the
 * file holds and the day: `GB.346-PFA-1_amendments_2026-11-26.docx`.
 */
export function exportFileName(symbol: string, what: string, at: number, extension: string): string {
  const base = symbol.replace(/[\\/]+/g, '-').replace(/[^A-Za-z0-9.-]+/g, '_');
  return `${base}_${what.replace(/[^A-Za-z0-9.-]+/g, '_')}_${isoDay(at)}.${extension}`;
}

/** A Content-Disposition header that downloads under `fileName` (ASCII already; RFC 6266 form too). */
export function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export const CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
  akn: 'application/xml; charset=utf-8',
} as const;
