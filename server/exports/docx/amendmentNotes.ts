import type { Amendment } from '../../../shared/amendments.js';
import type { Thread } from '../../../shared/threads.js';
import { SubAmendmentError, applySubAmendment } from '../../amendments/subAmendments.js';
import { type ExportLanguage, ownerName, words } from '../labels.js';
import type { ExportSource } from '../model.js';
import { referencesFor } from '../references.js';
import type { CommentAuthor, CommentThread, WordComment } from './writer.js';
import { initials } from './writer.js';

/** The Word comment key of an amendment's note (thread ids are UUIDs, so never equal to one). */
export function amendmentNoteKey(amendmentId: string): string {
  return `amendment:${amendmentId}`;
}

/** Who tabled an amendment, with its co-sponsors: `Afrique du Sud (coauteurs : France)`. */
export function sponsorLine(a: Amendment, language: ExportLanguage): string {
  const w = words(language);
  const owner = ownerName(a.ownerKey, language);
  const co = a.cosponsors.map((c) => ownerName(c.ownerKey, language));
  return co.length ? `${owner} (${w.cosponsors.toLowerCase()}${w.colon}${co.join(', ')})` : owner;
}

/** The words a sub-amendment proposes in place of its parent's: the parent's proposal, sub-amended. */
export function subAmendedWords(sub: Amendment, parent: Amendment): string {
  if (!sub.form) return sub.proposedText;
  try {
    return applySubAmendment(parent.proposedText, sub.form);
  } catch (err) {
    // The parent's words changed since (accepted with modifications): its own words still say what it asks.
    if (err instanceof SubAmendmentError) return sub.proposedText;
    throw err;
  }
}

function note(a: Amendment, body: string, language: ExportLanguage): WordComment {
  return { author: ownerName(a.ownerKey, language), initials: initials(a.authorName), at: a.createdAt, body };
}

/**
 * The Word comment that names an amendment on its revisions: "A-4 — Afrique du Sud — Justification : …",
 * then, as replies, its pending sub-amendments ("A-4/1 (A-9)", sponsor, the proposed words: Word cannot
 * nest a revision inside another's proposed words, so they are listed under it) and the comments
 * of the threads on it that the reader may see. Returns the note and the ids of the threads it took in.
 */
export function amendmentNote(
  a: Amendment,
  source: ExportSource,
  language: ExportLanguage,
  author: CommentAuthor,
): { thread: CommentThread; threadIds: string[] } {
  const w = words(language);
  const refs = referencesFor(source.amendments);
  const rationale = a.rationale.trim() || w.none;
  const comments: WordComment[] = [
    note(a, `${refs.label(a)} — ${sponsorLine(a, language)} — ${w.rationale}${w.colon}${rationale}`, language),
  ];
  const subs = [...source.amendments.values()]
    .filter((s) => s.parentId === a.id && s.status === 'proposed')
    .sort((x, y) => x.createdAt - y.createdAt);
  for (const sub of subs) {
    const lines = [
      `${refs.label(sub)} — ${sponsorLine(sub, language)} — ${w.subAmendmentOf} ${refs.number(a)}`,
      `${w.proposes}${w.colon}« ${subAmendedWords(sub, a)} »`,
    ];
    if (sub.rationale.trim()) lines.push(`${w.rationale}${w.colon}${sub.rationale.trim()}`);
    comments.push(note(sub, lines.join('\n'), language));
  }
  const threads = source.threads.filter((t) => t.amendmentId === a.id);
  for (const thread of threads) comments.push(...threadComments(thread, author));
  return {
    thread: { key: amendmentNoteKey(a.id), comments, done: false },
    threadIds: threads.map((t) => t.id),
  };
}

function threadComments(thread: Thread, author: CommentAuthor): WordComment[] {
  return thread.comments
    .filter((c) => !c.deleted)
    .map((comment, i) => ({
      author: author.name(comment),
      initials: initials(comment.authorName),
      at: comment.createdAt,
      body: (i === 0 ? author.privateNote(thread) : '') + comment.body,
    }));
}
