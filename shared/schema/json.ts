import { z } from 'zod';
import type { PMNode } from './index.js';

const Attrs = z.record(z.string(), z.unknown());

/** ProseMirror JSON as the API carries it; the collaboration guard, not this, holds it to the schema. */
export const PMNodeSchema: z.ZodType<PMNode> = z.lazy(() =>
  z.object({
    type: z.string(),
    attrs: Attrs.optional(),
    content: z.array(PMNodeSchema).optional(),
    marks: z.array(z.object({ type: z.string(), attrs: Attrs.optional() })).optional(),
    text: z.string().optional(),
  }),
);
