import * as Y from 'yjs';
import { encodeAnchorPosition, plainTextOf, resolveAnchor, resolveAnchorPosition } from '../../shared/anchors.js';
import type { Amendment } from '../../shared/amendments.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { SUGGEST_DELETE, SUGGEST_INSERT, type SuggestionAttrs } from '../../shared/suggestions.js';
import { numberedParagraphs } from './paragraphs.js';
import { PlacementError, type Run, acceptSuggestion, collect, removeSuggestion } from './textEdits.js';
import { paragraphSuggestion, plainFormatting, suggestionOfSegment } from './yText.js';
import type { DecisionTrace } from '../storage/decisionTrace.js';

export type { DecisionTrace } from '../storage/decisionTrace.js';

/**
 * Deciding an amendment so that the decision can be undone. Before the text changes, we note where the
 * amendment's words will stand afterwards, as Yjs relative positions (they point at characters, so they
 * follow the text as others edit around it): the words left in the official text in its place — the
 * accepted words, or the original words kept on rejection — or, when none are left, the point where
 * they were. Undoing puts the suggestion marks back at that place.
 *
 * Only an amendment in one place (one run of deleted words and one of inserted words, side by side or
 * one of them alone, in one block) or a whole proposed paragraph can be traced; others are decided as
 * before and cannot be undone automatically. The trace itself is a stored record: its type lives in
 * server/storage/decisionTrace.ts.
 */

interface Located {
  text: Y.XmlText;
  del: { from: number; to: number } | null;
  ins: { from: number; to: number } | null;
  /** Formatting of the first run, without suggestion marks (for words put back). */
  formatting: Record<string, unknown>;
}

/** The amendment's runs, if they are in one Y.XmlText, each kind contiguous, side by side. */
function locate(doc: Y.Doc, id: string): Located | null {
  const runs: Run[] = [];
  collect(doc.getXmlFragment(SECTION_FRAGMENT), runs, []);
  let located: Located | null = null;
  for (const run of runs) {
    const mark = suggestionOfSegment(run.attributes);
    if (mark?.attrs.id !== id) continue;
    if (!located) located = { text: run.text, del: null, ins: null, formatting: plainFormatting(run.attributes) };
    else if (located.text !== run.text) return null;
    const key = mark.kind === 'delete' ? 'del' : 'ins';
    const range = located[key];
    if (!range) located[key] = { from: run.index, to: run.index + run.length };
    else if (range.to === run.index) range.to += run.length;
    else return null;
  }
  if (!located) return null;
  const { del, ins } = located;
  if (del && ins && del.to !== ins.from && ins.to !== del.from) return null;
  return located;
}

function proposedParagraph(doc: Y.Doc, id: string): Y.XmlElement | null {
  return numberedParagraphs(doc).find((el) => paragraphSuggestion(el)?.id === id) ?? null;
}

const rangeOf = (text: Y.XmlText, from: number, to: number) => ({
  from: encodeAnchorPosition(text, from, 0),
  to: encodeAnchorPosition(text, to, -1),
});

/**
 * Accepts amendment `id` in `doc`, with the Office's words in place of the proposal when `modified` is
 * a string. Returns whether the text changed and the trace to undo it (null when it cannot be traced).
 */
export function acceptTraced(
  doc: Y.Doc,
  id: string,
  modified: string | null,
): { changed: boolean; trace: DecisionTrace | null } {
  const paragraph = proposedParagraph(doc, id);
  if (paragraph) {
    if (modified !== null) {
      throw new PlacementError(
        409,
        'A proposed paragraph cannot be accepted with modifications; edit it after accepting.',
        null,
        { code: 'accept_modified_paragraph' },
      );
    }
    const label = String(paragraph.getAttribute('number') ?? '');
    return {
      changed: acceptSuggestion(doc, id),
      trace: { status: 'accepted', range: null, point: null, words: '', paragraph: label },
    };
  }
  const at = locate(doc, id);
  if (!at) {
    if (modified !== null) {
      throw new PlacementError(
        409,
        'This amendment is in several places of the text, so it cannot be accepted with modifications.',
        null,
        { code: 'accept_modified_scattered' },
      );
    }
    return { changed: acceptSuggestion(doc, id), trace: null };
  }
  const { text, del, ins } = at;
  if (modified === null) {
    const trace: DecisionTrace = ins
      ? {
          status: 'accepted',
          range: rangeOf(text, ins.from, ins.to),
          point: null,
          words: plainTextOf(text).slice(ins.from, ins.to),
        }
      : {
          status: 'accepted',
          range: null,
          point: encodeAnchorPosition(text, (del as { to: number }).to, 0),
          words: '',
        };
    return { changed: acceptSuggestion(doc, id), trace };
  }
  // The Office's words replace the whole place: the words proposed for deletion and the proposal.
  const from = Math.min(del?.from ?? Number.POSITIVE_INFINITY, ins?.from ?? Number.POSITIVE_INFINITY);
  const to = Math.max(del?.to ?? 0, ins?.to ?? 0);
  text.delete(from, to - from);
  if (modified !== '') text.insert(from, modified, at.formatting);
  const trace: DecisionTrace =
    modified !== ''
      ? { status: 'accepted', range: rangeOf(text, from, from + modified.length), point: null, words: modified }
      : { status: 'accepted', range: null, point: encodeAnchorPosition(text, from, 0), words: '' };
  return { changed: true, trace };
}

/** Takes amendment `id` out of `doc` (rejected or withdrawn), with the trace to put it back. */
export function removeTraced(
  doc: Y.Doc,
  id: string,
  status: 'rejected' | 'withdrawn',
): { changed: boolean; trace: DecisionTrace | null } {
  const at = proposedParagraph(doc, id) ? null : locate(doc, id);
  let trace: DecisionTrace | null = null;
  if (at?.del) {
    trace = {
      status,
      range: rangeOf(at.text, at.del.from, at.del.to),
      point: null,
      words: plainTextOf(at.text).slice(at.del.from, at.del.to),
    };
  } else if (at?.ins) {
    // The character after the inserted words: where they were, once they are gone.
    trace = { status, range: null, point: encodeAnchorPosition(at.text, at.ins.to, 0), words: '' };
  }
  return { changed: removeSuggestion(doc, id), trace };
}

/** Where a trace stands now: a text, an index, and the length of the words there (0 at a point). */
function resolveTrace(doc: Y.Doc, trace: DecisionTrace): { text: Y.XmlText; index: number; length: number } {
  const moved = new PlacementError(
    409,
    'The words this decision left in the text were changed or deleted since, so it cannot be undone automatically.',
    null,
    { code: 'undo_words_changed' },
  );
  if (trace.range) {
    const resolved = resolveAnchor(doc, trace.range);
    const { from, to } = resolved;
    if (resolved.state !== 'live' || !from || !to || from.type !== to.type || !(from.type instanceof Y.XmlText)) {
      throw moved;
    }
    if (resolved.text !== trace.words) throw moved;
    return { text: from.type, index: from.index, length: to.index - from.index };
  }
  if (trace.point) {
    // A point at a character that was deleted since still resolves to where that character was.
    const position =
      resolveAnchorPosition(doc, trace.point) ??
      (() => {
        const raw = Y.decodeRelativePosition(Buffer.from(trace.point, 'base64'));
        return Y.createAbsolutePositionFromRelativePosition(raw, doc);
      })();
    if (!position || !(position.type instanceof Y.XmlText)) throw moved;
    return { text: position.type, index: position.index, length: 0 };
  }
  throw moved;
}

function formattingAt(text: Y.XmlText, index: number): Record<string, unknown> {
  let offset = 0;
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    if (index < offset + length || index === offset + length) return plainFormatting(op.attributes);
    offset += length;
  }
  return {};
}

/**
 * Undoes a decision: puts amendment `amendment` back in the text as a pending suggestion, its original
 * words marked for deletion and its proposal inserted, at the place its trace points to. Throws
 * {@link PlacementError} (409) when the place changed since.
 */
export function restoreTraced(doc: Y.Doc, amendment: Amendment, trace: DecisionTrace): boolean {
  const attrs: SuggestionAttrs = { id: amendment.id, by: amendment.ownerKey, author: amendment.authorId };
  if (trace.paragraph !== undefined) {
    const el = numberedParagraphs(doc).find(
      (p) => String(p.getAttribute('number') ?? '') === trace.paragraph && paragraphSuggestion(p) === null,
    );
    if (!el) {
      throw new PlacementError(409, `Paragraph ${trace.paragraph} is no longer in the text.`, null, {
        code: 'paragraph_gone',
        params: { paragraph: trace.paragraph },
      });
    }
    el.setAttribute('suggestion', attrs as unknown as string);
    return true;
  }
  const { text, index, length } = resolveTrace(doc, trace);
  const formatting = formattingAt(text, index);
  const original = amendment.originalText;
  const proposal = amendment.proposedText;
  if (trace.status === 'accepted') {
    if (amendment.modifiedText === null && length > 0) {
      // The accepted words are the proposal itself: mark them again, and put the original words before.
      text.format(index, length, { [SUGGEST_INSERT]: { ...attrs } });
    } else {
      if (length > 0) text.delete(index, length);
      if (proposal !== '') text.insert(index, proposal, { ...formatting, [SUGGEST_INSERT]: { ...attrs } });
    }
    if (original !== '') text.insert(index, original, { ...formatting, [SUGGEST_DELETE]: { ...attrs } });
    return true;
  }
  // Rejected or withdrawn: the original words are still official; mark them, and put the proposal after.
  if (length > 0) text.format(index, length, { [SUGGEST_DELETE]: { ...attrs } });
  if (proposal !== '') text.insert(index + length, proposal, { ...formatting, [SUGGEST_INSERT]: { ...attrs } });
  return true;
}

/**
 * Replaces the proposed words of amendment `id` (its insert-marked run) by `words`, keeping its mark:
 * what accepting a sub-amendment does to its parent. Throws 409 when the parent has no single run of
 * proposed words.
 */
export function replaceProposedWords(doc: Y.Doc, id: string, words: string): boolean {
  const at = locate(doc, id);
  if (!at?.ins) {
    throw new PlacementError(
      409,
      'The amended amendment has no single run of proposed words in the text to change.',
      null,
      { code: 'sub_parent_no_run' },
    );
  }
  const runs: Run[] = [];
  collect(doc.getXmlFragment(SECTION_FRAGMENT), runs, []);
  const mark = runs
    .map((r) => suggestionOfSegment(r.attributes))
    .find((m) => m?.attrs.id === id && m.kind === 'insert');
  if (!mark) return false;
  const { text, ins, formatting } = at;
  text.delete(ins.from, ins.to - ins.from);
  if (words !== '') text.insert(ins.from, words, { ...formatting, [SUGGEST_INSERT]: { ...mark.attrs } });
  return true;
}
