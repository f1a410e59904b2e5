import type { Amendment } from '../../../shared/amendments.js';
import { GROUPS } from '../../../shared/roles.js';
import { groupOfOwnerKey } from '../../../shared/suggestions.js';
import { GAP } from '../../amendments/derive.js';
import { publishedAmendments } from '../../policies/exports.js';
import { type ExportLanguage, exportLanguage, groupName, longDate, ownerName, statusName } from '../labels.js';
import { type Block, type ExportSource, type NumberedNode, officialBlocks } from '../model.js';

/**
 * The compilation of amendments as the Office publishes it: per numbered paragraph, in document order,
 * its official text, then each amendment tabled on it — who, the proposal with insertions and deletions
 * marked, the rationale, support and opposition by group, the status and the decision.
 */

/** A piece of a proposal: unchanged, inserted or deleted words; `\n` separates blocks. */
export interface ProposalPiece {
  kind: 'same' | 'ins' | 'del';
  text: string;
}

export interface CompilationEntry {
  amendment: Amendment;
  owner: string;
  proposal: ProposalPiece[];
  /** Per group of the Governing Body: the groups or States that support or oppose. */
  stances: { group: string; support: string[]; oppose: string[] }[];
  status: string;
  decision: string | null;
}

export interface CompilationParagraph {
  sectionId: string;
  sectionLabel: string;
  number: string;
  official: string;
  entries: CompilationEntry[];
}

export interface Compilation {
  language: ExportLanguage;
  symbol: string;
  title: string;
  generatedAt: number;
  paragraphs: CompilationParagraph[];
  /** Amendments not on a numbered paragraph of the text (in a heading, or of an unknown paragraph). */
  outside: CompilationEntry[];
  count: number;
}

function refNumber(a: Amendment): number {
  return Number(a.ref.replace(/\D+/g, '')) || 0;
}

/** The paragraph's text with this amendment's changes marked and every other amendment left out. */
function proposalInContext(blocks: Block[], id: string): ProposalPiece[] | null {
  const pieces: ProposalPiece[] = [];
  let found = false;
  const push = (kind: ProposalPiece['kind'], text: string) => {
    const last = pieces.at(-1);
    if (last && last.kind === kind) last.text += text;
    else pieces.push({ kind, text });
  };
  const walk = (list: Block[]) => {
    for (const block of list) {
      if (block.type === 'list') {
        for (const item of block.items) walk(item);
        continue;
      }
      if (pieces.length > 0) push('same', '\n');
      for (const inline of block.inlines) {
        if (inline.type !== 'text') continue;
        if (inline.change?.amendmentId === id) {
          found = true;
          push(inline.change.kind, inline.text);
        } else if (inline.change?.kind !== 'ins') push('same', inline.text);
      }
    }
  };
  walk(blocks);
  return found ? pieces : null;
}

function proposalFromRecord(a: Amendment): ProposalPiece[] {
  const pieces: ProposalPiece[] = [];
  if (a.originalText) pieces.push({ kind: 'del', text: a.originalText });
  if (a.originalText && a.proposedText) pieces.push({ kind: 'same', text: ' ' });
  if (a.proposedText) pieces.push({ kind: 'ins', text: a.proposedText });
  return pieces.map((p) => ({ ...p, text: p.text.split(GAP).join(' … ') }));
}

function entryOf(a: Amendment, language: ExportLanguage, proposal: ProposalPiece[]): CompilationEntry {
  const stances = GROUPS.map((group) => ({
    group: groupName(group, language),
    support: a.votes
      .filter((v) => v.stance === 'support' && groupOfOwnerKey(v.ownerKey) === group)
      .map((v) => ownerName(v.ownerKey, language)),
    oppose: a.votes
      .filter((v) => v.stance === 'oppose' && groupOfOwnerKey(v.ownerKey) === group)
      .map((v) => ownerName(v.ownerKey, language)),
  }));
  const decided = [...a.history].reverse().find((e) => ['accepted', 'rejected', 'withdrawn'].includes(e.status));
  const modified = (a as { modifiedText?: string | null }).modifiedText;
  const decision = decided
    ? `${statusName(decided.status, language)} — ${decided.byName}, ${longDate(decided.at, language)}${
        decided.status === 'accepted' && modified ? (language === 'fr' ? ` : « ${modified} »` : `: “${modified}”`) : ''
      }`
    : null;
  return {
    amendment: a,
    owner: ownerName(a.ownerKey, language),
    proposal,
    stances,
    status: statusName(a.status, language),
    decision,
  };
}

export function buildCompilation(source: ExportSource): Compilation {
  const language = exportLanguage(source.outline.language);
  const amendments = publishedAmendments([...source.amendments.values()]).sort((a, b) => refNumber(a) - refNumber(b));
  const byParagraph = new Map<string, Amendment[]>();
  for (const a of amendments) {
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
      const entries = list.map((a) => {
        placed.add(a.id);
        const proposedNode = proposedNodes.get(a.id);
        const proposal =
          (proposedNode
            ? [{ kind: 'ins' as const, text: `${proposedNode.number}. ${officialBlocksOfProposed(proposedNode)}` }]
            : a.status === 'proposed'
              ? proposalInContext(node.blocks, a.id)
              : null) ?? proposalFromRecord(a);
        return entryOf(a, language, proposal);
      });
      paragraphs.push({
        sectionId: section.meta.id,
        sectionLabel:
          section.meta.title && section.meta.title !== section.meta.label
            ? `${section.meta.label}. ${section.meta.title}`
            : section.meta.label,
        number: node.number,
        official: officialBlocks(node.blocks).join('\n'),
        entries,
      });
    }
  }
  const inScope = new Set(source.sections.map((s) => s.meta.id));
  const outside = amendments
    .filter((a) => !placed.has(a.id) && inScope.has(a.sectionId))
    .map((a) => entryOf(a, language, proposalFromRecord(a)));
  return {
    language,
    symbol: source.outline.symbol,
    title: source.outline.title,
    generatedAt: source.generatedAt,
    paragraphs,
    outside,
    count: placed.size + outside.length,
  };
}

/** The words of a proposed paragraph (every word counts, whatever marks it carries). */
function officialBlocksOfProposed(node: NumberedNode): string {
  const texts: string[] = [];
  const walk = (list: Block[]) => {
    for (const block of list) {
      if (block.type === 'list') for (const item of block.items) walk(item);
      else texts.push(block.inlines.map((i) => (i.type === 'text' ? i.text : '')).join(''));
    }
  };
  walk(node.blocks);
  return texts.join('\n');
}
