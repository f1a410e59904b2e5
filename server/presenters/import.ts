import type { ImportPreview, ImportPreviewView } from '../../shared/imports.js';
import type { PublicUser } from '../../shared/roles.js';
import { whyCannotTableImport } from '../policies/exports.js';
import type { RoundTiming } from '../policies/rounds.js';

/**
 * An import's preview for one reader: whether they may table from it, and the sentence when the import's
 * state or the deadline (not who they are) says no, which the dialog shows beside the disabled button.
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
    reasons: refusal && refusal.code !== 'forbidden' ? { table: refusal.reason } : {},
  };
}
