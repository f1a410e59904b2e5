import { RATIONALE_MAX } from '../../shared/amendments.js';
import type { ImportReason, ImportedAmendment, UnplacedRevision } from '../../shared/imports.js';
import type { Segment, WordParagraph } from './docxReader.js';
import { type Normalized, normalize, occurrences } from './normalize.js';
import { englishReason, reason } from './reasons.js';

/**
 * Locates the revisions of a Word file in the official text. Each Word paragraph is matched to a
 * numbered paragraph by the number it starts with (`27.`), else as a continuation (bullet) of the last
 * numbered one, else by its text anywhere in the document — always tolerant of whitespace, typographic
 * quotes and dashes. Neighbouring insertions and deletions by one author become one amendment
 * (insert, delete or replace), placed at an exact offset of the official text.
 */

/** A numbered paragraph of the document and its official text (blocks joined by a line break). */
export interface TargetParagraph {
  sectionId: string;
  number: number;
  official: string;
}

export interface Plan {
  amendments: ImportedAmendment[];
  unplaced: UnplacedRevision[];
}

/** A paragraph number at the start of a paragraph: `27.`, `27bis.`, `27)` then a tab or spaces. */
const NUMBER = /^\s*(\d{1,4})(bis|ter|quater)?\s*[.)](?:\t|\s+)/;

interface ChangeGroup {
  /** Offsets in the Word paragraph's original text (unchanged + deleted words). */
  start: number;
  end: number;
  inserted: string;
  deleted: string;
  author: string;
  date: string;
  /** Word comments on its words (their ids). */
  comments: Set<string>;
}

/** Neighbouring insertions and deletions of one author, with their place in the original text. */
function changeGroups(segments: Segment[]): ChangeGroup[] {
  const groups: ChangeGroup[] = [];
  let offset = 0;
  let current: ChangeGroup | null = null;
  for (const segment of segments) {
    if (segment.kind === 'same') {
      offset += segment.text.length;
      current = null;
      continue;
    }
    if (!current || current.author !== segment.author) {
      current = {
        start: offset,
        end: offset,
        inserted: '',
        deleted: '',
        author: segment.author,
        date: segment.date,
        comments: new Set(),
      };
      groups.push(current);
    }
    for (const id of segment.comments ?? []) current.comments.add(id);
    if (segment.kind === 'del') {
      current.deleted += segment.text;
      offset += segment.text.length;
      current.end = offset;
    } else {
      current.inserted += segment.text;
    }
  }
  return groups;
}

function kindOf(group: Pick<ChangeGroup, 'inserted' | 'deleted'>): UnplacedRevision['kind'] {
  if (group.deleted && group.inserted) return 'replace';
  return group.deleted ? 'delete' : 'insert';
}

/** Up to a few words of official text before `at` that the insertion follows, within its block. */
function wordsBefore(official: string, at: number): string {
  const blockStart = official.lastIndexOf('\n', at - 1) + 1;
  let start = at;
  let words = 0;
  while (start > blockStart && words < 4) {
    // Spaces, then one word.
    while (start > blockStart && /\s/.test(official[start - 1] as string)) start--;
    while (start > blockStart && !/\s/.test(official[start - 1] as string)) start--;
    words++;
    const candidate = official.slice(start, at);
    if (candidate.trim() && occurrences(official, candidate).length === 1) break;
  }
  return official.slice(start, at);
}

interface Located {
  target: TargetParagraph;
  /** Where the Word paragraph's (normalized, trimmed) text starts in the target's normalized text. */
  position: number;
  normalizedOfficial: Normalized;
}

/** Builds the plan for a file's paragraphs against the document's numbered paragraphs. */
/** Concord's own note on an exported amendment ("A-4 — Afrique du Sud — Justification : …"): its justification. */
const EXPORTED_NOTE = /^A-\d+(?:\/\d+)*(?: \(A-\d+\))? — .*? — (?:Justification|Rationale)\s?: /;

/**
 * Concord's reply under a note naming a sub-amendment ("A-4/1 — France — Sous-amendement à A-4"):
 * another amendment's words, not this one's rationale.
 */
const EXPORTED_SUB_AMENDMENT = /^A-\d+(?:\/\d+)*(?: \(A-\d+\))? — .*? — (?:Sous-amendement à|Sub-amendment to) A-\d+/;

/**
 * The rationale of a revision: the Word comments anchored on its words, in order, one per line (a
 * Concord note keeps its justification only, and "—" when it had none; its sub-amendment replies are
 * left out).
 */
function rationaleOf(ids: Set<string>, comments: Map<string, string>): string {
  const texts = [...ids]
    .map((id) => (comments.get(id) ?? '').trim())
    .filter((text) => !EXPORTED_SUB_AMENDMENT.test(text))
    .map((text) => (EXPORTED_NOTE.test(text) ? text.replace(EXPORTED_NOTE, '').replace(/^—$/, '') : text))
    .filter(Boolean);
  return texts.join('\n').slice(0, RATIONALE_MAX);
}

export function planImport(
  words: WordParagraph[],
  paragraphs: TargetParagraph[],
  comments: Map<string, string> = new Map(),
): Plan {
  const byNumber = new Map(paragraphs.map((p) => [p.number, p]));
  const normalizedCache = new Map<TargetParagraph, Normalized>();
  const normalizedOf = (p: TargetParagraph) => {
    let n = normalizedCache.get(p);
    if (!n) {
      n = normalize(p.official);
      normalizedCache.set(p, n);
    }
    return n;
  };
  const plan: Plan = { amendments: [], unplaced: [] };
  let nextId = 1;
  let current: TargetParagraph | null = null;
  const cursor = new Map<TargetParagraph, number>();

  const unplaced = (
    group: Pick<ChangeGroup, 'inserted' | 'deleted' | 'author' | 'date'>,
    paragraph: number | null,
    why: ImportReason,
    kind = kindOf(group),
  ) => {
    plan.unplaced.push({
      id: `r${nextId++}`,
      kind,
      inserted: group.inserted,
      deleted: group.deleted,
      wordAuthor: group.author,
      wordDate: group.date,
      paragraph,
      reason: englishReason(why),
      why,
    });
  };

  for (const word of words) {
    const original = word.segments
      .filter((s) => s.kind !== 'ins')
      .map((s) => s.text)
      .join('');
    const final = word.segments
      .filter((s) => s.kind !== 'del')
      .map((s) => s.text)
      .join('');
    const groups = changeGroups(word.segments);
    const numberMatch = NUMBER.exec(original);
    const number = numberMatch ? Number(numberMatch[1]) : null;
    const suffix = numberMatch?.[2] ?? null;

    if (word.heading) {
      current = null;
      for (const g of groups) unplaced(g, null, reason('heading'));
      continue;
    }
    // A whole new paragraph (27bis), or the whole paragraph's text is new.
    if (!original.trim() && final.trim()) {
      const proposedNumber = NUMBER.exec(final);
      const after = proposedNumber ? Number(proposedNumber[1]) : (current?.number ?? null);
      const inserted = proposedNumber ? final.slice(proposedNumber[0].length) : final;
      const first = groups[0];
      unplaced(
        { inserted, deleted: '', author: first?.author ?? '', date: first?.date ?? '' },
        after,
        reason('newParagraph', after === null ? {} : { after }),
        'paragraph',
      );
      continue;
    }
    let target: TargetParagraph | null = null;
    if (number !== null && suffix === null) {
      target = byNumber.get(number) ?? null;
      current = target;
    } else if (number === null) {
      target = current;
    }
    if (groups.length === 0) continue;

    const prefix = numberMatch && suffix === null ? numberMatch[0].length : 0;
    const body = original.slice(prefix);
    const shown = suffix ? `${number}${suffix}` : null;
    if (suffix) {
      for (const g of groups) {
        unplaced(g, number, reason('proposedParagraph', { paragraph: shown ?? '' }));
      }
      continue;
    }
    const located = locate(body, target, paragraphs, normalizedOf, cursor);
    if ('code' in located) {
      for (const g of groups) unplaced(g, number ?? target?.number ?? null, located);
      continue;
    }
    if (number === null) current = located.target;
    const bodyNorm = normalize(body);
    const lead = bodyNorm.text.length - bodyNorm.text.trimStart().length;
    const { target: para, position, normalizedOfficial } = located;
    const official = para.official;
    const toOfficial = (offset: number) => {
      const n = Math.max(0, (bodyNorm.toNormalized[offset] ?? bodyNorm.text.length) - lead);
      return normalizedOfficial.toOriginal[Math.min(position + n, normalizedOfficial.text.length)] ?? official.length;
    };
    for (const group of groups) {
      if (group.start < prefix) {
        unplaced(group, para.number, reason('paragraphNumber'));
        continue;
      }
      const start = toOfficial(group.start - prefix);
      const end = group.deleted ? toOfficial(group.end - prefix) : start;
      const op = kindOf(group) as ImportedAmendment['op'];
      let find: string;
      let at: number;
      if (op === 'insert') {
        if (start === 0 || official[start - 1] === '\n') {
          unplaced(
            group,
            para.number,
            start === 0 ? reason('startOfParagraph', { paragraph: para.number }) : reason('startOfBullet'),
          );
          continue;
        }
        find = wordsBefore(official, start);
        at = start - find.length;
      } else {
        find = official.slice(start, end);
        at = start;
        if (!find.trim()) {
          unplaced(group, para.number, reason('spacesOnly'));
          continue;
        }
      }
      plan.amendments.push({
        id: `r${nextId++}`,
        sectionId: para.sectionId,
        paragraph: para.number,
        op,
        find,
        text: group.inserted,
        at,
        before:
          official
            .slice(Math.max(0, at - 60), at)
            .split('\n')
            .at(-1) ?? '',
        after: official.slice(at + find.length, at + find.length + 60).split('\n')[0] ?? '',
        wordAuthor: group.author,
        wordDate: group.date,
        rationale: rationaleOf(group.comments, comments),
        tabled: null,
      });
    }
  }
  return plan;
}

/**
 * Finds a Word paragraph's original text in the official text: in its target paragraph (after what was
 * already matched there), else anywhere if it occurs in exactly one paragraph; else why not.
 */
function locate(
  body: string,
  target: TargetParagraph | null,
  paragraphs: TargetParagraph[],
  normalizedOf: (p: TargetParagraph) => Normalized,
  cursor: Map<TargetParagraph, number>,
): Located | ImportReason {
  const key = normalize(body).text.trim();
  if (!key) return reason('noWords');
  if (target) {
    const normalizedOfficial = normalizedOf(target);
    const found = occurrences(normalizedOfficial.text, key);
    const from = cursor.get(target) ?? 0;
    const position = found.find((at) => at >= from) ?? found[0];
    if (position !== undefined) {
      cursor.set(target, position + key.length);
      return { target, position, normalizedOfficial };
    }
  }
  const holders = paragraphs.filter((p) => normalizedOf(p).text.includes(key));
  const holder = holders[0];
  if (holders.length === 1 && holder) {
    const normalizedOfficial = normalizedOf(holder);
    const found = occurrences(normalizedOfficial.text, key);
    if (found.length === 1 && found[0] !== undefined) return { target: holder, position: found[0], normalizedOfficial };
    return reason('repeatedInParagraph', { count: found.length, paragraph: holder.number });
  }
  if (holders.length > 1) {
    return reason('inSeveralParagraphs', {
      count: holders.length,
      paragraphs: holders
        .slice(0, 5)
        .map((p) => p.number)
        .join(', '),
    });
  }
  return target ? reason('notInParagraph', { paragraph: target.number }) : reason('notFound');
}
