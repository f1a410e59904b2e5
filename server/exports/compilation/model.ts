import type { Amendment } from '../../../shared/amendments.js';
import { GROUPS } from '../../../shared/roles.js';
import { groupOfOwnerKey } from '../../../shared/suggestions.js';
import { publishedAmendments } from '../../policies/exports.js';
import { sponsorLine } from '../docx/amendmentNotes.js';
import {
  type ExportLanguage,
  exportLanguage,
  groupName,
  longDate,
  ownerName,
  phrases,
  statusName,
  words,
} from '../labels.js';
import type { Block, ExportSource, NumberedNode } from '../model.js';
import { referencesFor } from '../references.js';
import {
  type ProposalPiece,
  type Span,
  bareRecord,
  markSpan,
  officialOf,
  paragraphPieces,
  piecesFromRecord,
  sentenceOf,
  sentenceWindow,
  spanOf,
} from './pieces.js';

export type { ProposalPiece } from './pieces.js';

/**
 * The compilation of amendments as the Office circulates it (the layout of AT4AM and ILO committees):
 * a cover, then per numbered paragraph in document order every amendment tabled on it — a location
 * line, the original text and the amendment side by side, the sponsor and co-sponsors, the
 * justification, support and opposition by group, status and decision; rival amendments on the same
 * words grouped as alternatives, sub-amendments nested under their parent; an index by sponsor.
 */

export interface CompilationEntry {
  amendment: Amendment;
  /** Its reference as printed: "A-2", or "A-2/1 (A-7)" for a sub-amendment (see references.ts). */
  label: string;
  /** "Paragraphe 27, première phrase", "Sous-amendement 1 à A-2". */
  location: string;
  /** Sponsor, with co-sponsors: "Afrique du Sud (coauteurs : France)". */
  sponsor: string;
  /** One set of pieces for both columns (see pieces.ts). */
  pieces: ProposalPiece[];
  /** Per group of the Governing Body: the groups or States that support or oppose. */
  stances: { group: string; support: string[]; oppose: string[] }[];
  status: string;
  decision: string | null;
  subAmendments: CompilationEntry[];
}

export interface CompilationParagraph {
  sectionId: string;
  sectionLabel: string;
  number: string;
  /** Amendments in groups: a group of more than one holds rivals on the same words (alternatives). */
  groups: CompilationEntry[][];
}

export interface CompilationCover {
  /** "Conseil d’administration, 346e session" (from the symbol), or null. */
  session: string | null;
  /** The document's date as printed, or null when the document has none. */
  date: string | null;
  /** "Français" */
  originalLanguage: string;
  /** Amendments tabled, by group (and the Office). */
  counts: { group: string; count: number }[];
}

export interface Compilation {
  language: ExportLanguage;
  symbol: string;
  title: string;
  generatedAt: number;
  cover: CompilationCover;
  paragraphs: CompilationParagraph[];
  /** Amendments not on a numbered paragraph of the text (in a heading, or of an unknown paragraph). */
  outside: CompilationEntry[];
  /** Sponsors in alphabetical order with their amendments: the record's reference and the one printed. */
  index: { sponsor: string; refs: { ref: string; shown: string }[] }[];
  count: number;
}

function refNumber(a: Amendment): number {
  return Number(a.ref.replace(/\D+/g, '')) || 0;
}

const ORDINALS: Record<ExportLanguage, string[]> = {
  fr: ['première', 'deuxième', 'troisième', 'quatrième', 'cinquième', 'sixième', 'septième', 'huitième', 'neuvième'],
  en: ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'],
  es: ['primera', 'segunda', 'tercera', 'cuarta', 'quinta', 'sexta', 'séptima', 'octava', 'novena'],
};

function location(number: string, text: string, span: Span | null, language: ExportLanguage): string {
  const w = words(language);
  const head = `${w.paragraph} ${number}`;
  if (!span) return head;
  const { index, count } = sentenceOf(text, span.start);
  if (count < 2) return head;
  const ordinal = ORDINALS[language][index];
  const sentence = phrases(language).sentence(index + 1, ordinal);
  return `${head}, ${sentence}`;
}

function stancesOf(a: Amendment, language: ExportLanguage): CompilationEntry['stances'] {
  return GROUPS.map((group) => ({
    group: groupName(group, language),
    support: a.votes
      .filter((v) => v.stance === 'support' && groupOfOwnerKey(v.ownerKey) === group)
      .map((v) => ownerName(v.ownerKey, language)),
    oppose: a.votes
      .filter((v) => v.stance === 'oppose' && groupOfOwnerKey(v.ownerKey) === group)
      .map((v) => ownerName(v.ownerKey, language)),
  }));
}

function decisionOf(a: Amendment, language: ExportLanguage): string | null {
  const decided = [...a.history].reverse().find((e) => ['accepted', 'rejected', 'withdrawn'].includes(e.status));
  if (!decided) return null;
  const modified = decided.status === 'accepted' && a.modifiedText;
  const quoted = modified ? phrases(language).quoted(a.modifiedText ?? '') : '';
  return `${statusName(decided.status, language)} — ${decided.byName}, ${longDate(decided.at, language)}${quoted}`;
}

function entryOf(
  a: Amendment,
  label: string,
  language: ExportLanguage,
  pieces: ProposalPiece[],
  where: string,
  subs: CompilationEntry[],
): CompilationEntry {
  return {
    amendment: a,
    label,
    location: where,
    sponsor: sponsorLine(a, language),
    pieces,
    stances: stancesOf(a, language),
    status: statusName(a.status, language),
    decision: decisionOf(a, language),
    subAmendments: subs,
  };
}

/** A sub-amendment's change to its parent's proposed words. */
function subPieces(sub: Amendment, parent: Amendment): ProposalPiece[] {
  const words = parent.proposedText;
  const form = sub.form;
  const at = form ? words.indexOf(form.find) : -1;
  if (!form || at < 0 || words.indexOf(form.find, at + 1) >= 0) return bareRecord(sub);
  const official: ProposalPiece[] = [{ kind: 'same', text: words }];
  if (form.op === 'insert') {
    const end = at + form.find.length;
    return markSpan(official, end, end, { within: 'del', after: { kind: 'ins', text: form.text } });
  }
  return markSpan(official, at, at + form.find.length, { within: 'del', after: { kind: 'ins', text: form.text } });
}

/** Entries whose spans touch the same words fall in one group, in the order of their first member. */
function rivalGroups(entries: { entry: CompilationEntry; span: Span | null }[]): CompilationEntry[][] {
  const groups: { entries: CompilationEntry[]; spans: Span[] }[] = [];
  const touch = (x: Span, y: Span) =>
    x.end > x.start && y.end > y.start ? x.start < y.end && y.start < x.end : x.start <= y.end && y.start <= x.end;
  for (const { entry, span } of entries) {
    const group = span ? groups.find((g) => g.spans.some((s) => touch(s, span))) : undefined;
    if (group && span) {
      group.entries.push(entry);
      group.spans.push(span);
    } else groups.push({ entries: [entry], spans: span ? [span] : [] });
  }
  return groups.map((g) => g.entries);
}

function sessionOf(symbol: string, language: ExportLanguage): string | null {
  const m = /^GB\.(\d+)/.exec(symbol);
  if (!m) return null;
  return phrases(language).session(m[1] ?? '');
}

function languageName(code: string, language: ExportLanguage): string {
  const name = new Intl.DisplayNames([language], { type: 'language', fallback: 'code' }).of(code) ?? code;
  return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
}

export function buildCompilation(source: ExportSource): Compilation {
  const language = exportLanguage(source.outline.language);
  const w = words(language);
  const all = publishedAmendments([...source.amendments.values()]).sort((a, b) => refNumber(a) - refNumber(b));
  const byId = new Map(all.map((a) => [a.id, a]));
  const childrenOf = new Map<string, Amendment[]>();
  for (const a of all) {
    if (a.parentId === null || !byId.has(a.parentId)) continue;
    const list = childrenOf.get(a.parentId) ?? [];
    list.push(a);
    childrenOf.set(a.parentId, list);
  }
  const topLevel = all.filter((a) => a.parentId === null || !byId.has(a.parentId));
  const refs = referencesFor(source.amendments);
  const subsOf = (parent: Amendment): CompilationEntry[] =>
    (childrenOf.get(parent.id) ?? []).map((sub, i) =>
      entryOf(
        sub,
        refs.label(sub),
        language,
        subPieces(sub, parent),
        `${w.subAmendment} ${i + 1} ${w.to} ${refs.number(parent)}`,
        subsOf(sub),
      ),
    );
  const byParagraph = new Map<string, Amendment[]>();
  for (const a of topLevel) {
    const key = `${a.sectionId}:${a.paragraphs[0] ?? ''}`;
    const list = byParagraph.get(key) ?? [];
    list.push(a);
    byParagraph.set(key, list);
  }
  const placed = new Set<string>();
  const paragraphs: CompilationParagraph[] = [];
  for (const section of source.sections) {
    const proposedNodes = new Map<string, NumberedNode>();
    for (const node of section.nodes) {
      if (node.type === 'numbered' && node.proposed) proposedNodes.set(node.proposed.amendmentId, node);
    }
    for (const node of section.nodes) {
      if (node.type !== 'numbered' || node.proposed) continue;
      const list = byParagraph.get(`${section.meta.id}:${Number.parseInt(node.number, 10)}`);
      if (!list) continue;
      const official = paragraphPieces(node.blocks, null).pieces;
      const text = officialOf(official);
      const entries = list.map((a) => {
        placed.add(a.id);
        const proposedNode = proposedNodes.get(a.id);
        if (proposedNode) {
          const pieces: ProposalPiece[] = [
            { kind: 'ins', text: `${proposedNode.number}. ${wordsOfProposed(proposedNode.blocks)}` },
          ];
          const where = `${w.newParagraph} ${proposedNode.number} (${w.after} ${w.paragraph.toLowerCase()} ${node.number})`;
          return { entry: entryOf(a, refs.label(a), language, pieces, where, subsOf(a)), span: null };
        }
        const marked = a.status === 'proposed' ? paragraphPieces(node.blocks, a.id) : null;
        const pieces = marked?.found ? marked.pieces : piecesFromRecord(official, a);
        const span = pieces ? spanOf(pieces) : null;
        const shown = pieces && span ? sentenceWindow(pieces, span) : (pieces ?? bareRecord(a));
        return {
          entry: entryOf(a, refs.label(a), language, shown, location(node.number, text, span, language), subsOf(a)),
          span,
        };
      });
      paragraphs.push({
        sectionId: section.meta.id,
        sectionLabel:
          section.meta.title && section.meta.title !== section.meta.label
            ? `${section.meta.label}. ${section.meta.title}`
            : section.meta.label,
        number: node.number,
        groups: rivalGroups(entries),
      });
    }
  }
  const inScope = new Set(source.sections.map((s) => s.meta.id));
  const outside = topLevel
    .filter((a) => !placed.has(a.id) && inScope.has(a.sectionId))
    .map((a) => entryOf(a, refs.label(a), language, bareRecord(a), w.outside, subsOf(a)));
  const counted = all.filter((a) => inScope.has(a.sectionId));
  const counts = [...GROUPS, 'secretariat'].map((group) => ({
    group: group === 'secretariat' ? w.office : groupName(group, language),
    count: counted.filter((a) => groupOfOwnerKey(a.ownerKey) === group).length,
  }));
  const sponsors = new Map<string, { ref: string; shown: string }[]>();
  for (const a of counted) {
    const name = ownerName(a.ownerKey, language);
    const list = sponsors.get(name) ?? [];
    list.push({ ref: a.ref, shown: refs.number(a) });
    sponsors.set(name, list);
  }
  const collator = new Intl.Collator(language);
  const index = [...sponsors.entries()]
    .map(([sponsor, refs]) => ({ sponsor, refs }))
    .sort((x, y) =>
      collator.compare(x.sponsor.replace(/^(le|la|l’|the) /i, ''), y.sponsor.replace(/^(le|la|l’|the) /i, '')),
    );
  return {
    language,
    symbol: source.outline.symbol,
    title: source.outline.title,
    generatedAt: source.generatedAt,
    cover: {
      session: sessionOf(source.outline.symbol, language),
      date: documentDate(source, language),
      originalLanguage: languageName(source.outline.language, language),
      counts,
    },
    paragraphs,
    outside,
    index,
    count: counted.length,
  };
}

/** The document's own date, when it has one (never the export's). */
function documentDate(source: ExportSource, language: ExportLanguage): string | null {
  const date = source.outline.date;
  if (!date?.value || date.name !== 'document') return null;
  return longDate(Date.parse(`${date.value}T00:00:00Z`), language);
}

/** The words of a proposed paragraph (every word counts, whatever marks it carries). */
function wordsOfProposed(blocks: Block[]): string {
  const texts: string[] = [];
  const walk = (list: Block[]) => {
    for (const block of list) {
      if (block.type === 'list') for (const item of block.items) walk(item);
      else texts.push(block.inlines.map((i) => (i.type === 'text' ? i.text : '')).join(''));
    }
  };
  walk(blocks);
  return texts.join('\n');
}
