import type { ImportPreview, ImportPreviewView } from '../../shared/imports.js';
import type { PublicUser } from '../../shared/roles.js';
import { whyCannotTableImport } from '../policies/exports.js';
import type { RoundTiming } from '../policies/rounds.js';

/**
 * An import's preview for one reader: whether they may table from it, and the sentence when the deadline
 * says no, which the dialog shows beside the disabled button.
 */
export function presentImport(
  preview: ImportPreview,
  viewer: Pick<PublicUser, 'id' | 'role' | 'group' | 'memberState'>,
  timing: RoundTiming,
): ImportPreviewView {
  const refusal = whyCannotTableImport(viewer, preview, timing);
  return {
    ...preview,
    abilities: { table: refusal === null },
    // As on amendments, only the deadline's refusal is explained; an import with nothing left to table
    // or not the reader's simply offers nothing.
    reasons: refusal?.code === 'deadline_passed' ? { table: refusal.reason } : {},
    ...(refusal?.code === 'deadline_passed' && refusal.why
      ? { reasonCodes: { table: { code: refusal.why, params: refusal.params ?? {} } } }
      : {}),
  };
}
