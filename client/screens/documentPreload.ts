import type { DocumentContentResponse, DocumentResponse } from '../../shared/api.js';
import { api } from '../api/client';

type DocumentData = [DocumentResponse, DocumentContentResponse];

let early: { documentId: string; data: Promise<DocumentData> } | null = null;

function fetchDocument(documentId: string): Promise<DocumentData> {
  return Promise.all([api.document(documentId), api.content(documentId)]);
}

/**
 * Starts reading a document's outline and content while its screen's code is still on its way: a deep link
 * opened signed in would otherwise wait for the code, then the first render, before asking for the text.
 */
export function prefetchDocument(documentId: string): void {
  const data = fetchDocument(documentId);
  // Its failure is the screen's to report, when it takes the reading.
  data.catch(() => {});
  early = { documentId, data };
}

/** The document's outline and content: the early reading if one was started for it (taken once), else a new one. */
export function readDocument(documentId: string): Promise<DocumentData> {
  const taken = early?.documentId === documentId ? early.data : null;
  early = null;
  return taken ?? fetchDocument(documentId);
}
