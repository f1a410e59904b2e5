import type { ApiError } from '../../shared/api.js';
import type { ImportPreview, TableImportResult } from '../../shared/imports.js';

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

async function answer<T>(res: Response): Promise<T> {
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = body as Partial<ApiError> | null;
    throw new Error(error?.message ?? `The server answered ${res.status}.`);
  }
  return body as T;
}

/** Uploads a Word file (raw body); the Office may name the group or State it acts for. */
export async function uploadWordAmendments(documentId: string, file: File, onBehalfOf: string): Promise<ImportPreview> {
  const query = onBehalfOf ? `?onBehalfOf=${encodeURIComponent(onBehalfOf)}` : '';
  const res = await fetch(`/api/documents/${encodeURIComponent(documentId)}/imports${query}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'x-file-name': encodeURIComponent(file.name),
      accept: 'application/json',
    },
    body: file,
  });
  return answer<ImportPreview>(res);
}

/** Tables the chosen amendments; `rationales` are the ones edited in the preview, by import amendment id. */
export async function tableImported(
  importId: string,
  ids: string[],
  rationales: Record<string, string> = {},
): Promise<TableImportResult> {
  const res = await fetch(`/api/imports/${encodeURIComponent(importId)}/table`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ amendments: ids, rationales }),
  });
  return answer<TableImportResult>(res);
}
