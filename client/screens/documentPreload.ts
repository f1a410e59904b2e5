import type { DocumentContentResponse, DocumentResponse } from '../../shared/api.js';
import { api } from '../api/client';

type DocumentData = [DocumentResponse, DocumentContentResponse];

/** A document's outline and content, and when they were asked for (how fresh the content is). */
export interface DocumentReading {
  data: Promise<DocumentData>;
  askedAt: number;
}

/** An early reading is taken within this time or not at all (the screen's code normally follows within a second). */
const EARLY_FOR_MS = 15_000;

let early: (DocumentReading & { documentId: string; userId: string }) | null = null;

function ask(documentId: string): DocumentReading {
  return { data: Promise.all([api.document(documentId), api.content(documentId)]), askedAt: Date.now() };
}

/**
 * Starts reading a document's outline and content for the signed-in `userId` while its screen's code is
 * still on its way: a deep link opened signed in would otherwise wait for the code, then the first render,
 * before asking for the text.
 */
export function prefetchDocument(documentId: string, userId: string): void {
  const reading = { ...ask(documentId), documentId, userId };
  early = reading;
  // A failure is not kept for later (a 401 ends the session; whoever signs in next asks again): the screen
  // reports it only if it took this reading before it failed.
  reading.data.catch(() => {
    if (early === reading) early = null;
  });
}

/**
 * The document's outline and content for `userId`: the early reading if one was started for this document
 * and user in the last seconds (taken once), else a new one.
 */
export function readDocument(documentId: string, userId: string): DocumentReading {
  const taken =
    early && early.documentId === documentId && early.userId === userId && Date.now() - early.askedAt < EARLY_FOR_MS
      ? early
      : null;
  early = null;
  return taken ?? ask(documentId);
}
