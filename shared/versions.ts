import { z } from 'zod';
import { PMNodeSchema } from './schema/json.js';

/** One numbered paragraph's official text in a version (or live): the unit of comparison. */
export const ParagraphText = z.object({
  /** As printed: `27`, `27bis`. */
  number: z.string(),
  sectionId: z.string(),
  text: z.string(),
});
export type ParagraphText = z.infer<typeof ParagraphText>;

/** One section as a version froze it. */
export const VersionSection = z.object({
  sectionId: z.string(),
  label: z.string(),
  title: z.string(),
  /** ProseMirror JSON of the section at that instant (suggestion marks included). */
  content: PMNodeSchema,
  /** The section's Yjs state (`Y.encodeStateAsUpdate`), base64: the exact text, to reopen it. */
  state: z.string(),
  /** The official text of each numbered paragraph (pending suggestions left out). */
  paragraphs: z.array(ParagraphText),
});
export type VersionSection = z.infer<typeof VersionSection>;

/** What one reader may do with a version (it is read-only: open and compare it). */
export const VersionAbilities = z.object({ compare: z.boolean() });
export type VersionAbilities = z.infer<typeof VersionAbilities>;

/** A named, immutable snapshot of a document: never updated, never deleted. */
export const VersionSummary = z.object({
  id: z.string(),
  documentId: z.string(),
  name: z.string(),
  createdAt: z.number(),
  createdById: z.string(),
  createdByName: z.string(),
  /** Set when the version was taken by closing a round. */
  roundId: z.string().nullable(),
  /** What the reader may do with it; present in HTTP answers, absent in `version:created` (the same for everyone). */
  abilities: VersionAbilities.optional(),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export const Version = VersionSummary.extend({ sections: z.array(VersionSection) });
export type Version = z.infer<typeof Version>;

/** `GET …/versions/:versionId`: one version, read-only. */
export const VersionResponse = Version.extend({ readOnly: z.literal(true) });
export type VersionResponse = z.infer<typeof VersionResponse>;

/** `version:created`. */
export const VersionCreatedPayload = z.object({ version: VersionSummary });

/** `POST /api/documents/:documentId/versions`. */
export const CreateVersionRequest = z.object({ name: z.string().trim().min(1).max(200) }).strict();

/** A side of a comparison: a version id or `live`. */
export const CompareQuery = z.object({ from: z.string().min(1).max(64), to: z.string().min(1).max(64) }).strict();

/** A run of words in a comparison; changed runs name the amendments that caused them. */
export const CompareSegment = z.object({
  type: z.enum(['equal', 'insert', 'delete']),
  text: z.string(),
  amendments: z.array(z.object({ id: z.string(), ref: z.string(), ownerKey: z.string() })).optional(),
});
export type CompareSegment = z.infer<typeof CompareSegment>;

export const CompareParagraph = z.object({
  number: z.string(),
  sectionId: z.string(),
  /** `added` / `removed`: the paragraph exists on one side only. */
  change: z.enum(['unchanged', 'changed', 'added', 'removed']),
  segments: z.array(CompareSegment),
});
export type CompareParagraph = z.infer<typeof CompareParagraph>;

const CompareSide = z.object({ id: z.string(), name: z.string(), createdAt: z.number() });

export const CompareResponse = z.object({
  documentId: z.string(),
  from: CompareSide,
  to: CompareSide,
  paragraphs: z.array(CompareParagraph),
});
export type CompareResponse = z.infer<typeof CompareResponse>;
