import type { SectionKind, SectionMeta } from '../../shared/document.js';
import type { PMNode } from '../../shared/schema/index.js';
import {
  boxNode,
  bulletListNode,
  docNode,
  figureNode,
  headingNode,
  listItemNode,
  numberedParagraphNode,
  paragraphNode,
} from './nodes.js';
import { looksLikeHeading } from './text.js';
import type { HeadingUnit, PlacedNote, Unit } from './types.js';

/** A section with its initial ProseMirror content. */
export type BuiltSection = SectionMeta & { content: PMNode };

type Draft = SectionMeta & { blocks: PMNode[] };
type Container = PMNode & { content: PMNode[] };

/** Heading levels: parts, then outcomes and enablers, then outputs; the draft decision stands alone. */
const LEVEL: Record<SectionKind, number> = { part: 1, outcome: 2, enabler: 2, output: 3, decision: 2 };

interface State {
  sections: Draft[];
  current: Draft | null;
  /** The numbered paragraph or box that bullets and unnumbered prose attach to. */
  container: Container | null;
  ids: Set<string>;
  /** Outcome and enabler ids by key (`1`, `A`), to find an output's parent from its number. */
  parents: Map<string, string>;
  partId: string | null;
  lastParentId: string | null;
}

/**
 * Groups units into sections, one per part, outcome, enabler, output and draft decision, and renders
 * each as a ProseMirror document that starts with its heading. Text before the first section heading is a
 * cover page and is dropped, unless it holds numbered paragraphs, which then get a section of their own.
 */
export function buildSections(units: Unit[], documentTitle: string): BuiltSection[] {
  const s: State = {
    sections: [],
    current: null,
    container: null,
    ids: new Set(),
    parents: new Map(),
    partId: null,
    lastParentId: null,
  };
  const first = units.findIndex((u) => u.type === 'heading' && u.role !== 'strategy');
  const preamble = units.slice(0, first < 0 ? units.length : first).some((u) => u.type === 'para');
  units.forEach((unit, i) => {
    if (!preamble && (first < 0 || i < first)) return;
    if (s.current === null && !(unit.type === 'heading' && unit.role !== 'strategy')) {
      openPreamble(s, documentTitle);
    }
    addUnit(s, unit, units[i + 1]);
  });
  return s.sections.map(({ blocks, ...meta }) => ({ ...meta, content: docNode(blocks) }));
}

function openPreamble(s: State, title: string): void {
  const id = uniqueId(s, 'preamble');
  const draft: Draft = {
    id,
    kind: 'part',
    label: '',
    title,
    parentId: null,
    paragraphs: [],
    blocks: [headingNode(1, title)],
  };
  s.sections.push(draft);
  s.current = draft;
}

function addUnit(s: State, unit: Unit, next: Unit | undefined): void {
  const blocks = s.current?.blocks;
  if (blocks === undefined && unit.type !== 'heading') return;
  switch (unit.type) {
    case 'heading':
      if (unit.role === 'strategy') {
        s.container = null;
        blocks?.push(headingNode(3, unit.title));
      } else {
        openSection(s, unit);
      }
      return;
    case 'para': {
      const np = numberedParagraphNode(unit.number, paragraphNode(unit.text, unit.notes));
      blocks?.push(np);
      s.current?.paragraphs.push(unit.number);
      s.container = np;
      return;
    }
    case 'bullet':
      addBullet(s, paragraphNode(unit.text, unit.notes));
      return;
    case 'figure':
      s.container = null;
      blocks?.push(figureNode(unit.title, unit.groups, unit.note));
      return;
    case 'text':
      addText(s, unit.text, unit.notes, next);
  }
}

function addBullet(s: State, item: PMNode): void {
  const target = s.container?.content ?? s.current?.blocks;
  if (target === undefined) return;
  let list = target[target.length - 1];
  if (list?.type !== 'bulletList' || list.content === undefined) {
    list = bulletListNode();
    target.push(list);
  }
  list.content?.push(listItemNode(item));
}

/**
 * A heading-like text followed by unnumbered prose titles a boxed text (encadré), which runs until the next
 * numbered paragraph or heading; otherwise it is a subheading. Prose joins the open numbered paragraph or
 * box (text printed after a list), or stands alone.
 */
function addText(s: State, text: string, notes: PlacedNote[], next: Unit | undefined): void {
  const blocks = s.current?.blocks;
  if (blocks === undefined) return;
  if (looksLikeHeading(text) && notes.length === 0) {
    s.container = null;
    if (next?.type === 'text' && !looksLikeHeading(next.text)) {
      const box = boxNode(text);
      blocks.push(box);
      s.container = box;
    } else {
      blocks.push(headingNode(s.current?.kind === 'output' ? 4 : 3, text));
    }
    return;
  }
  (s.container?.content ?? blocks).push(paragraphNode(text, notes));
}

function uniqueId(s: State, base: string): string {
  let id = base;
  for (let n = 2; s.ids.has(id); n++) id = `${base}-${n}`;
  s.ids.add(id);
  return id;
}

function sectionShape(unit: HeadingUnit): { kind: SectionKind; id: string; label: string } {
  const slug = unit.key.toLowerCase().replace(/\./g, '-');
  switch (unit.role) {
    case 'part':
      return { kind: 'part', id: `part-${unit.number}`, label: unit.key };
    case 'outcome':
      return { kind: 'outcome', id: `outcome-${slug}`, label: `${unit.word} ${unit.key}` };
    case 'enabler':
      return { kind: 'enabler', id: `enabler-${slug}`, label: `${unit.word} ${unit.key}` };
    case 'output':
      return { kind: 'output', id: `output-${slug}`, label: `${unit.word} ${unit.key}` };
    default:
      return { kind: 'decision', id: 'decision', label: unit.word };
  }
}

function parentOf(s: State, unit: HeadingUnit, kind: SectionKind): string | null {
  if (kind === 'outcome' || kind === 'enabler') return s.partId;
  if (kind === 'output') return s.parents.get(unit.key.split('.')[0] ?? '') ?? s.lastParentId;
  return null;
}

function openSection(s: State, unit: HeadingUnit): void {
  const shape = sectionShape(unit);
  const id = uniqueId(s, shape.id);
  const title = unit.title;
  const printed = shape.kind === 'decision' || title === '' ? shape.label : `${shape.label}. ${title}`;
  const draft: Draft = {
    id,
    kind: shape.kind,
    label: shape.label,
    title,
    parentId: parentOf(s, unit, shape.kind),
    paragraphs: [],
    blocks: [headingNode(LEVEL[shape.kind], printed)],
  };
  if (shape.kind === 'part') {
    s.partId = id;
    s.lastParentId = null;
  }
  if (shape.kind === 'outcome' || shape.kind === 'enabler') {
    s.parents.set(unit.key, id);
    s.lastParentId = id;
  }
  s.sections.push(draft);
  s.current = draft;
  s.container = null;
}
