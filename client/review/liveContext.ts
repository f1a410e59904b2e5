import type { PMNode } from '../../shared/schema/index.js';
import { type ProposalContext, contextInContent } from '../desk/proposalContext';
import { editorRegistry } from '../document/editorRegistry';

/**
 * An amendment's sentence read from its section's live editor (the marks carry its id), or null when the
 * section is not connected or the marks are gone (decided amendments): the card then shows only the change.
 */
export function liveContextOf(sectionId: string, amendmentId: string): ProposalContext | null {
  const editor = editorRegistry.get(sectionId)?.editor;
  if (!editor || editor.isDestroyed) return null;
  return contextInContent(editor.getJSON() as PMNode, amendmentId);
}

const DISMISSED_KEY = 'concord.rationaleAsked';

/** Amendments whose "why?" prompt the author closed: not asked again, even after a reload. */
export const rationalePrompt = {
  dismissed(id: string): boolean {
    try {
      return (localStorage.getItem(DISMISSED_KEY) ?? '').split(' ').includes(id);
    } catch {
      return false;
    }
  },
  dismiss(id: string): void {
    try {
      const ids = (localStorage.getItem(DISMISSED_KEY) ?? '').split(' ').filter(Boolean);
      localStorage.setItem(DISMISSED_KEY, [...ids.slice(-199), id].join(' '));
    } catch {
      // Not remembered: asked again after a reload, which is harmless.
    }
  },
};

/** The page's start: an amendment created after it (give or take the clocks' gap) is "new" here. */
export const PAGE_STARTED_AT = Date.now();
/** Tolerance for a server clock a little behind this machine's. */
export const CLOCK_SLACK_MS = 120_000;
