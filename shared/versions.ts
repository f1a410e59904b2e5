import { z } from 'zod';
import type { PMNode } from './schema/index.js';

/** One numbered paragraph's official text in a version (or live): the unit of comparison. */
export interface ParagraphText {
  /** As printed: `27`, `27bis`. */
  number: string;
  sectionId: string;
  text: string;
}

/** One section as a version froze it. */
export interface VersionSection {
  sectionId: string;
  label: string;
  title: string;
  /** ProseMirror JSON of the section at that instant (suggestion marks included). */
  content: PMNode;
  /** The section's Yjs state (`Y.encodeStateAsUpdate`), base64: the exact text, to reopen it. */
  state: string;
  /** The official text of each numbered paragraph (pending suggestions left out). */
  paragraphs: ParagraphText[];
}

/** A named, immutable snapshot of a document: never updated, never deleted. */
export interface VersionSummary {
  id: string;
  documentId: string;
  name: string;
  createdAt: number;
  createdById: string;
  createdByName: string;
  /** Set when the version was taken by closing a round. */
  roundId: string | null;
}

export interface Version extends VersionSummary {
  sections: VersionSection[];
}

/** `POST /api/documents/:documentId/versions`. */
export const CreateVersionRequest = z.object({ name: z.string().trim().min(1).max(200) }).strict();

/** A side of a comparison: a version id or `live`. */
export const CompareQuery = z.object({ from: z.string().min(1).max(64), to: z.string().min(1).max(64) }).strict();

/** A run of words in a comparison; changed runs name the amendments that caused them. */
export interface CompareSegment {
  type: 'equal' | 'insert' | 'delete';
  text: string;
  amendments?: { id: string; ref: string; ownerKey: string }[];
}

export interface CompareParagraph {
  number: string;
  sectionId: string;
  /** `added` / `removed`: the paragraph exists on one side only. */
  change: 'unchanged' | 'changed' | 'added' | 'removed';
  segments: CompareSegment[];
}

export interface CompareResponse {
  documentId: string;
  from: { id: string; name: string; createdAt: number };
  to: { id: string; name: string; createdAt: number };
  paragraphs: CompareParagraph[];
}
