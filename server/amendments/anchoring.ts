import * as Y from 'yjs';
import { createTextAnchor, paragraphOfPosition, resolveAnchor } from '../../shared/anchors.js';
import type { AmendmentForm } from '../../shared/amendments.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { ThreadAnchor } from '../../shared/threads.js';
import { PlacementError, findParagraph, mapParagraph } from './textEdits.js';

/**
 * Anchors of group drafts: a draft is not in the text, but it remembers the words it acts on as Yjs
 * relative positions, so that when it is tabled it lands where those words are *then*, whatever was
 * typed around them meanwhile.
 */

const quote = (text: string) => (text.length > 60 ? `“${text.slice(0, 57)}…”` : `“${text}”`);

/**
 * The anchor of `find` in paragraph `paragraph`'s official text. `find` must occur there exactly once
 * (400 otherwise, as for amendments by form); the anchor is null when the words span several runs of
 * text of different blocks (the draft then falls back to finding them again when tabled).
 */
export function anchorForFind(doc: Y.Doc, paragraph: number, find: string): ThreadAnchor | null {
  const el = findParagraph(doc.getXmlFragment(SECTION_FRAGMENT), String(paragraph));
  if (!el) throw new PlacementError(400, `There is no paragraph ${paragraph} in this section.`);
  const { official, runs } = mapParagraph(el);
  const first = official.indexOf(find);
  if (first < 0) {
    throw new PlacementError(
      400,
      `${quote(find)} occurs 0 times in paragraph ${paragraph}; copy the words exactly as they are in the official text.`,
    );
  }
  const count = official.split(find).length - 1;
  if (count > 1) {
    throw new PlacementError(
      400,
      `${quote(find)} occurs ${count} times in paragraph ${paragraph}; give more words so it is unique.`,
    );
  }
  const last = first + find.length;
  const start = runs.find((r) => r.official >= 0 && r.official <= first && first < r.official + r.length);
  const end = runs.find((r) => r.official >= 0 && r.official < last && last <= r.official + r.length);
  if (!start || !end || start.text !== end.text) return null;
  return createTextAnchor(start.text, start.index + (first - start.official), end.index + (last - end.official));
}

/** Where a draft goes when tabled: its paragraph, its words, and their official offset when the anchor knows it. */
export interface DraftPlacement {
  paragraph: number;
  find: string;
  at?: number;
}

/**
 * Re-resolves a draft's anchor against the text as it is now. The anchored words must still read as
 * the draft quoted them (409 otherwise: the group should look at them again); a deleted or missing
 * anchor falls back to the paragraph and words of the form.
 */
export function placementOfDraft(doc: Y.Doc, form: AmendmentForm): DraftPlacement {
  if (!form.anchor) return { paragraph: form.paragraph, find: form.find };
  const resolved = resolveAnchor(doc, form.anchor);
  const { from } = resolved;
  if (resolved.state !== 'live' || !from || !(from.type instanceof Y.XmlText)) {
    return { paragraph: form.paragraph, find: form.find };
  }
  if (resolved.text !== form.find) {
    throw new PlacementError(
      409,
      `The words this draft amends now read ${quote(resolved.text ?? '')} instead of ${quote(form.find)}; edit the draft before tabling it.`,
      null,
      { code: 'draft_words_changed', params: { find: quote(form.find), words: quote(resolved.text ?? '') } },
    );
  }
  const paragraph = paragraphOfPosition(from) ?? form.paragraph;
  const el = findParagraph(doc.getXmlFragment(SECTION_FRAGMENT), String(paragraph));
  if (!el) return { paragraph, find: form.find };
  const run = mapParagraph(el).runs.find(
    (r) => r.text === from.type && r.official >= 0 && r.index <= from.index && from.index < r.index + r.length,
  );
  return run
    ? { paragraph, find: form.find, at: run.official + (from.index - run.index) }
    : { paragraph, find: form.find };
}
