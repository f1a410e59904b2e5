import { z } from 'zod';
import { SlugParam } from '../api.js';
import { SUGGESTION_ID_PATTERN } from '../suggestions.js';

/** Path parameters, validated before anything else is read. */
export const AmendmentId = z
  .string()
  .regex(SUGGESTION_ID_PATTERN, 'Amendment ids are 8 to 32 lowercase letters and digits.');
export const DocumentParams = z.object({ documentId: SlugParam });
export const SectionParams = z.object({ documentId: SlugParam, sectionId: SlugParam });
export const DocumentAmendmentParams = z.object({ documentId: SlugParam, id: AmendmentId });
export const AmendmentParams = z.object({ id: AmendmentId });
/** Thread and comment ids. */
export const IdParams = z.object({ id: z.string().min(1).max(64) });
export const RoundParams = z.object({ id: z.string().uuid() });
export const VersionParams = z.object({ documentId: SlugParam, versionId: z.string().min(1).max(64) });
export const ImportParams = z.object({ importId: z.string().uuid('Import ids are UUIDs.') });

/** A route that takes no query: anything given is a 400. */
export const NoQuery = z.object({}).strict();
