import type { Thread } from '../../../shared/threads.js';
import { ownerKeyOf } from '../../../shared/ownerKey.js';
import { amendmentNote, amendmentNoteKey } from './amendmentNotes.js';
import { type ExportLanguage, exportLanguage, longDate, ownerName, phrases, words } from '../labels.js';
import type { Block, Change, ExportSource, Inline, SectionNode } from '../model.js';
import { BOX_BULLET_PPR, BOX_PPR, STYLE } from './parts.js';
import { type CommentAuthor, DocxWriter, type Revision, type RunChange } from './writer.js';

/** `tracked`: pending amendments as Word revisions. `clean`: the official text only. */
export type ChangesMode = 'tracked' | 'clean';

/**
 * The document (or one section) as a Word file: headings, numbered paragraphs with their numbers as
 * printed (`27.` and a tab), bullets, the box, the figure and footnotes; pending amendments as tracked
 * changes whose author is the group or State and whose date is the amendment's, or left out (clean);
 * the reader's visible comment threads as Word comments on the same words.
 */
export function renderTextDocx(source: ExportSource, mode: ChangesMode): Uint8Array {
  const language = exportLanguage(source.outline.language);
  const w = words(language);
  const author = commentAuthor(language);
  // Each amendment's revisions carry its note; the threads on it become replies to that note.
  const spans = mode === 'tracked' ? amendmentSpans(source) : new Map<string, AmendmentSpan>();
  const notes = [...spans.keys()].flatMap((id) => {
    const amendment = source.amendments.get(id);
    return amendment && amendment.status !== 'draft' ? [amendmentNote(amendment, source, language, author)] : [];
  });
  const inNotes = new Set(notes.flatMap((n) => n.threadIds));
  const writer = new DocxWriter({
    language: source.outline.language,
    symbol: source.outline.symbol,
    title: source.outline.title,
    subject: mode === 'tracked' ? w.tracked : w.clean,
    at: source.generatedAt,
    // Clean is the official text only: no comment, whoever exports it.
    threads: mode === 'tracked' ? source.threads.filter((t) => !inNotes.has(t.id)) : [],
    commentAuthor: author,
  });
  for (const n of notes) writer.addCommentThread(n.thread);
  const markers = new Map<Inline, { before: Inline[]; after: Inline[] }>();
  for (const [id, span] of spans) {
    const key = amendmentNoteKey(id);
    if (!writer.hasCommentThread(key)) continue;
    markerAt(markers, span.first).before.push({ type: 'commentStart', threadId: key });
    markerAt(markers, span.last).after.push({ type: 'commentEnd', threadId: key });
  }
  writer.plain(STYLE.subtitle, source.outline.symbol);
  writer.plain(STYLE.title, source.outline.title);
  writer.plain(
    STYLE.note,
    `${mode === 'tracked' ? w.tracked : w.clean} — ${w.exportedOn} ${longDate(source.generatedAt, language)}`,
  );
  const text = new TextRenderer(writer, source, mode, language, markers);
  for (const section of source.sections) {
    for (const node of section.nodes) text.node(node);
  }
  return writer.toDocx();
}

interface AmendmentSpan {
  first: Inline;
  last: Inline;
}

/** The first and last runs of each amendment in the text (a proposed paragraph's runs are all its own). */
function amendmentSpans(source: ExportSource): Map<string, AmendmentSpan> {
  const spans = new Map<string, AmendmentSpan>();
  const visit = (inlines: Inline[], within: Change | null) => {
    for (const inline of inlines) {
      if (inline.type !== 'text') continue;
      const id = (inline.change ?? within)?.amendmentId;
      if (!id) continue;
      const span = spans.get(id);
      if (span) span.last = inline;
      else spans.set(id, { first: inline, last: inline });
    }
  };
  const blocks = (list: Block[], within: Change | null) => {
    for (const block of list) {
      if (block.type === 'paragraph') visit(block.inlines, within);
      else for (const item of block.items) blocks(item, within);
    }
  };
  for (const section of source.sections) {
    for (const node of section.nodes) {
      if (node.type === 'heading') visit(node.inlines, null);
      else if (node.type === 'numbered') blocks(node.blocks, node.proposed);
      else if (node.type === 'box') blocks(node.blocks, null);
      else if (node.type !== 'figure') blocks([node], null);
    }
  }
  return spans;
}

function markerAt(map: Map<Inline, { before: Inline[]; after: Inline[] }>, inline: Inline) {
  let entry = map.get(inline);
  if (!entry) {
    entry = { before: [], after: [] };
    map.set(inline, entry);
  }
  return entry;
}

export function commentAuthor(language: ExportLanguage): CommentAuthor {
  const only = phrases(language).only;
  return {
    name: (c) => {
      if (c.authorRole === 'secretariat') return `${c.authorName} (${words(language).office})`;
      if (c.authorGroup === 'government' && c.authorMemberState)
        return `${c.authorName} (${ownerName(ownerKeyOf({ role: 'delegate', group: 'government', memberState: c.authorMemberState }), language)})`;
      if (c.authorGroup) return `${c.authorName} (${ownerName(c.authorGroup, language)})`;
      return c.authorName;
    },
    privateNote: (thread: Thread) => {
      if (thread.visibility === 'all') return '';
      if (thread.circle) return `[${ownerName(thread.circle, language)} ${only}] `;
      return `[${thread.group ? ownerName(thread.group, language) : words(language).office} ${only}] `;
    },
  };
}

/** Renders section nodes into a writer; shared by the text export and the compilation. */
export class TextRenderer {
  constructor(
    private readonly writer: DocxWriter,
    private readonly source: ExportSource,
    private readonly mode: ChangesMode,
    private readonly language: ExportLanguage,
    /** Comment markers to write around given runs (the amendments' notes). */
    private readonly markers: Map<Inline, { before: Inline[]; after: Inline[] }> = new Map(),
  ) {}

  revision(change: Pick<Change, 'amendmentId' | 'by'>): Revision {
    const amendment = this.source.amendments.get(change.amendmentId);
    return {
      author: ownerName(amendment?.ownerKey ?? change.by, this.language),
      at: amendment?.createdAt ?? this.source.generatedAt,
    };
  }

  /** How a run shows; inside a proposed paragraph every run is that paragraph's insertion. */
  changeOf(inline: Extract<Inline, { type: 'text' }>, within: Change | null): RunChange {
    const change = inline.change ?? within;
    if (!change) return 'plain';
    if (this.mode === 'clean') return change.kind === 'ins' ? 'omit' : 'plain';
    return { kind: change.kind, revision: this.revision(change) };
  }

  node(node: SectionNode): void {
    const w = this.writer;
    switch (node.type) {
      case 'heading':
        w.paragraph(`<w:pStyle w:val="${STYLE.heading(node.level)}"/>`, this.runs(node.inlines, null));
        return;
      case 'numbered':
        this.numbered(node.number, node.blocks, node.proposed);
        return;
      case 'box':
        if (node.title) w.paragraph(`<w:pStyle w:val="${STYLE.boxTitle}"/>`, w.run(node.title));
        this.blocks(node.blocks, { style: STYLE.box, extra: BOX_PPR, listExtra: BOX_BULLET_PPR });
        return;
      case 'figure':
        w.paragraph(`<w:pStyle w:val="${STYLE.figureTitle}"/>`, w.run(node.title));
        for (const group of node.groups) {
          if (group.heading) w.paragraph('<w:keepNext/><w:spacing w:after="60"/>', w.run(group.heading, '<w:b/>'));
          for (const item of group.items) w.paragraph(`<w:pStyle w:val="${STYLE.bullet}"/>`, w.run(item));
        }
        if (node.note) w.paragraph('', w.run(node.note, '<w:i/>'));
        return;
      default:
        this.blocks([node], { style: null, extra: '' });
    }
  }

  runs(inlines: Inline[], within: Change | null): string {
    let list = inlines;
    if (this.markers.size > 0 && inlines.some((i) => this.markers.has(i))) {
      list = inlines.flatMap((i) => {
        const m = this.markers.get(i);
        return m ? [...m.before, i, ...m.after] : [i];
      });
    }
    return this.writer.inlines(list, (inline) => this.changeOf(inline, within));
  }

  /** A numbered paragraph: `27.` and a tab before its first block; bullets below it. */
  numbered(number: string, blocks: Block[], proposed: Change | null): void {
    const w = this.writer;
    if (proposed && this.mode === 'clean') return;
    const revision = proposed ? this.revision(proposed) : null;
    const mark = revision ? w.insertedMark(revision) : '';
    const numberRun = w.run(`${number}.\t`);
    const label = revision ? w.tracked('ins', revision, numberRun) : numberRun;
    const [first, ...rest] = blocks;
    if (first?.type === 'paragraph') {
      w.paragraph(`<w:pStyle w:val="${STYLE.numbered}"/>${mark}`, label + this.runs(first.inlines, proposed));
    } else {
      w.paragraph(`<w:pStyle w:val="${STYLE.numbered}"/>${mark}`, label);
      if (first) rest.unshift(first);
    }
    this.blocks(rest, { style: STYLE.numberedCont, extra: '', proposed, mark });
  }

  blocks(
    blocks: Block[],
    options: { style: string | null; extra: string; listExtra?: string; proposed?: Change | null; mark?: string },
    depth = 0,
  ): void {
    const w = this.writer;
    const proposed = options.proposed ?? null;
    const mark = options.mark ?? '';
    for (const block of blocks) {
      if (block.type === 'paragraph') {
        const style = options.style ? `<w:pStyle w:val="${options.style}"/>` : '';
        w.paragraph(`${style}${options.extra}${mark}`, this.runs(block.inlines, proposed));
        continue;
      }
      for (const item of block.items) {
        for (const inner of item) {
          if (inner.type === 'paragraph') {
            const style = depth === 0 ? STYLE.bullet : STYLE.bullet2;
            w.paragraph(
              `<w:pStyle w:val="${style}"/>${options.listExtra ?? ''}${mark}`,
              this.runs(inner.inlines, proposed),
            );
          } else {
            this.blocks([inner], options, depth + 1);
          }
        }
      }
    }
  }
}
