import type { ImportPreviewView, TableImportResponse } from '../../shared/imports.js';
import { api, uploadWordFile } from '../api/client';

/** The export and import endpoints, for the menu and the dialog. Exports are plain links (cookie). */
export const exportLinks = (documentId: string, sectionId?: string | null) => {
  const base = `/api/documents/${encodeURIComponent(documentId)}`;
  return {
    tracked: `${base}/export.docx?changes=tracked`,
    circulation: `${base}/export.docx?changes=tracked&comments=public`,
    clean: `${base}/export.docx?changes=clean`,
    section: sectionId ? `${base}/export.docx?changes=tracked&section=${encodeURIComponent(sectionId)}` : null,
    compilationDocx: `${base}/compilation.docx`,
    compilationHtml: `${base}/compilation.html`,
    akn: `${base}/akn.xml`,
  };
};

/** Uploads a Word file (raw body); the Office may name the group or State it acts for. */
export function uploadWordAmendments(documentId: string, file: File, onBehalfOf: string): Promise<ImportPreviewView> {
  return uploadWordFile(documentId, file, onBehalfOf);
}

/** Tables the chosen amendments; `rationales` are the ones edited in the preview, by import amendment id. */
export function tableImported(
  importId: string,
  ids: string[],
  rationales: Record<string, string> = {},
): Promise<TableImportResponse> {
  return api.tableImport(importId, ids, rationales);
}
