import * as Y from 'yjs';
import { resolveAnchor } from '../../shared/anchors.js';
import type { SectionMeta } from '../../shared/document.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { FigureGroup } from '../../shared/schema/index.js';
import type { Thread } from '../../shared/threads.js';
import { paragraphSuggestion, segmentsOf, suggestionOfSegment } from '../amendments/yText.js';
import type { Block, Change, Inline, SectionModel, SectionNode } from './model.js';

/**
 * Reads a section's live Yjs document into the export tree. Comment threads of the section are placed
 * as start/end markers: on their text range while it exists, else on their amendment's words, else on
 * their paragraph, else on the section's first block. Returns the ids of the threads it placed.
 */
export function readSection(
  doc: Y.Doc,
  meta: SectionMeta,
  threads: Thread[],
): { model: SectionModel; placed: string[] } {
  const fragment = doc.getXmlFragment(SECTION_FRAGMENT);
  const markers = new Markers();
  const placed: string[] = [];
  const index = indexSection(fragment);
  for (const thread of threads) {
    if (markers.place(doc, fragment, index, thread)) placed.push(thread.id);
  }
  const nodes: SectionNode[] = [];
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    const node = readTopLevel(child, markers);
    if (node) nodes.push(node);
  }
  return { model: { meta, nodes }, placed };
}

interface TextPoint {
  text: Y.XmlText;
  index: number;
}

interface SectionIndex {
  /** Every run carrying a suggestion mark, by amendment id, in document order. */
  runs: Map<string, { text: Y.XmlText; from: number; to: number }[]>;
  /** Numbered paragraphs: the Office's by number, proposed ones by amendment id. */
  paragraphs: Map<string, Y.XmlElement>;
  proposed: Map<string, Y.XmlElement>;
}

function indexSection(root: Y.XmlFragment | Y.XmlElement, index: SectionIndex = emptyIndex()): SectionIndex {
  for (const child of root.toArray()) {
    if (child instanceof Y.XmlText) {
      let at = 0;
      for (const segment of segmentsOf(child)) {
        const mark = suggestionOfSegment(segment.attributes);
        if (mark) {
          const list = index.runs.get(mark.attrs.id) ?? [];
          list.push({ text: child, from: at, to: at + segment.insert.length });
          index.runs.set(mark.attrs.id, list);
        }
        at += segment.insert.length;
      }
    } else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'numberedParagraph') {
        const suggestion = paragraphSuggestion(child);
        if (suggestion) index.proposed.set(suggestion.id, child);
        else index.paragraphs.set(String(child.getAttribute('number') ?? ''), child);
      }
      indexSection(child, index);
    }
  }
  return index;
}

function emptyIndex(): SectionIndex {
  return { runs: new Map(), paragraphs: new Map(), proposed: new Map() };
}

/** Comment markers waiting to be emitted while the tree is read. */
class Markers {
  readonly points = new Map<Y.XmlText, { index: number; inline: Inline }[]>();
  readonly elements = new Map<Y.XmlElement, { starts: string[]; ends: string[] }>();

  place(doc: Y.Doc, fragment: Y.XmlFragment, index: SectionIndex, thread: Thread): boolean {
    if (thread.anchor) {
      const resolved = resolveAnchor(doc, thread.anchor);
      const { from, to } = resolved;
      if (
        resolved.state === 'live' &&
        from &&
        to &&
        from.type instanceof Y.XmlText &&
        to.type instanceof Y.XmlText &&
        (from.type !== to.type || to.index > from.index)
      ) {
        this.text({ text: from.type, index: from.index }, { text: to.type, index: to.index }, thread.id);
        return true;
      }
    }
    if (thread.amendmentId) {
      const runs = index.runs.get(thread.amendmentId);
      const first = runs?.[0];
      const last = runs?.at(-1);
      if (first && last) {
        this.text({ text: first.text, index: first.from }, { text: last.text, index: last.to }, thread.id);
        return true;
      }
      const proposed = index.proposed.get(thread.amendmentId);
      if (proposed) return this.element(proposed, thread.id);
    }
    if (thread.paragraph !== null) {
      const paragraph = index.paragraphs.get(String(thread.paragraph));
      if (paragraph) return this.element(paragraph, thread.id);
    }
    const first = fragment.toArray().find((c): c is Y.XmlElement => c instanceof Y.XmlElement);
    return first ? this.element(first, thread.id) : false;
  }

  private text(from: TextPoint, to: TextPoint, threadId: string): void {
    this.add(from, { type: 'commentStart', threadId });
    this.add(to, { type: 'commentEnd', threadId });
  }

  private add(point: TextPoint, inline: Inline): void {
    const list = this.points.get(point.text) ?? [];
    list.push({ index: point.index, inline });
    this.points.set(point.text, list);
  }

  private element(el: Y.XmlElement, threadId: string): boolean {
    const entry = this.elements.get(el) ?? { starts: [], ends: [] };
    entry.starts.push(threadId);
    entry.ends.push(threadId);
    this.elements.set(el, entry);
    return true;
  }

  /** Wraps a node's first and last inline runs with the element-level markers of `el`. */
  wrap(el: Y.XmlElement, inlinesLists: Inline[][]): void {
    const entry = this.elements.get(el);
    const first = inlinesLists[0];
    const last = inlinesLists.at(-1);
    if (!entry || !first || !last) return;
    first.unshift(...entry.starts.map((threadId): Inline => ({ type: 'commentStart', threadId })));
    last.push(...entry.ends.map((threadId): Inline => ({ type: 'commentEnd', threadId })));
  }
}

function changeOf(attributes: Record<string, unknown> | undefined): Change | null {
  const mark = suggestionOfSegment(attributes);
  if (!mark) return null;
  return { kind: mark.kind === 'insert' ? 'ins' : 'del', amendmentId: mark.attrs.id, by: mark.attrs.by };
}

/** The inline runs of a text, split at comment markers. */
function readText(text: Y.XmlText, markers: Markers, out: Inline[]): void {
  const points = (markers.points.get(text) ?? []).slice().sort((a, b) => a.index - b.index);
  let at = 0;
  let next = 0;
  const emitPointsUpTo = (offset: number) => {
    while (next < points.length && (points[next] as { index: number }).index <= offset) {
      out.push((points[next] as { inline: Inline }).inline);
      next++;
    }
  };
  for (const segment of segmentsOf(text)) {
    const attrs = segment.attributes;
    const style = { bold: attrs?.bold !== undefined, italic: attrs?.italic !== undefined, change: changeOf(attrs) };
    let value = segment.insert;
    let start = at;
    emitPointsUpTo(start);
    while (next < points.length && (points[next] as { index: number }).index < start + value.length) {
      const cut = (points[next] as { index: number }).index - start;
      if (cut > 0) out.push({ type: 'text', text: value.slice(0, cut), ...style });
      value = value.slice(cut);
      start += cut;
      emitPointsUpTo(start);
    }
    if (value) out.push({ type: 'text', text: value, ...style });
    at += segment.insert.length;
  }
  emitPointsUpTo(Number.POSITIVE_INFINITY);
}

/** The inline content of a paragraph or heading element. */
function readInlines(el: Y.XmlElement, markers: Markers): Inline[] {
  const out: Inline[] = [];
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) readText(child, markers, out);
    else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'footnote') {
        out.push({
          type: 'footnote',
          marker: String(child.getAttribute('marker') ?? ''),
          text: String(child.getAttribute('text') ?? ''),
        });
      } else if (child.nodeName === 'hardBreak') out.push({ type: 'break' });
    }
  }
  markers.wrap(el, [out]);
  return out;
}

/** Every inline list of a block tree, in order (to attach markers to the first and last). */
function inlineLists(blocks: Block[]): Inline[][] {
  const out: Inline[][] = [];
  for (const block of blocks) {
    if (block.type === 'paragraph') out.push(block.inlines);
    else for (const item of block.items) out.push(...inlineLists(item));
  }
  return out;
}

function readBlocks(el: Y.XmlElement, markers: Markers): Block[] {
  const blocks: Block[] = [];
  for (const child of el.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    const block = readBlock(child, markers);
    if (block) blocks.push(block);
  }
  return blocks;
}

function readBlock(el: Y.XmlElement, markers: Markers): Block | null {
  if (el.nodeName === 'paragraph') return { type: 'paragraph', inlines: readInlines(el, markers) };
  if (el.nodeName === 'bulletList' || el.nodeName === 'orderedList') {
    const items: Block[][] = [];
    for (const item of el.toArray()) {
      if (item instanceof Y.XmlElement && item.nodeName === 'listItem') {
        const blocks = readBlocks(item, markers);
        markers.wrap(item, inlineLists(blocks));
        items.push(blocks);
      }
    }
    const list: Block = { type: 'list', items };
    markers.wrap(el, inlineLists([list]));
    return list;
  }
  return null;
}

function readTopLevel(el: Y.XmlElement, markers: Markers): SectionNode | null {
  switch (el.nodeName) {
    case 'heading': {
      const level = Number(el.getAttribute('level') ?? 2);
      return { type: 'heading', level: Number.isFinite(level) ? level : 2, inlines: readInlines(el, markers) };
    }
    case 'numberedParagraph': {
      const suggestion = paragraphSuggestion(el);
      const blocks = readBlocks(el, markers);
      markers.wrap(el, inlineLists(blocks));
      return {
        type: 'numbered',
        number: String(el.getAttribute('number') ?? ''),
        proposed: suggestion ? { kind: 'ins', amendmentId: suggestion.id, by: suggestion.by } : null,
        blocks,
      };
    }
    case 'box': {
      const blocks = readBlocks(el, markers);
      markers.wrap(el, inlineLists(blocks));
      const title = el.getAttribute('title');
      return { type: 'box', title: typeof title === 'string' && title ? title : null, blocks };
    }
    case 'figure': {
      const groups = el.getAttribute('groups') as unknown;
      const note = el.getAttribute('note') as unknown;
      return {
        type: 'figure',
        title: String(el.getAttribute('title') ?? ''),
        groups: Array.isArray(groups) ? (groups as FigureGroup[]) : [],
        note: typeof note === 'string' && note ? note : null,
      };
    }
    default:
      return readBlock(el, markers);
  }
}
