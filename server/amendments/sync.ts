import type { RoomOptions } from '../collab/Room.js';
import type { AppServices } from '../routes/context.js';

/**
 * Keeps amendment records in step with the suggestions in the text, after every applied change.
 * (To be implemented.)
 */
export function createAmendmentSync(_services: AppServices): NonNullable<RoomOptions['onApplied']> {
  return () => {};
}
