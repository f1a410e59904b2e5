import { strToU8, zipSync } from 'fflate';
import type { Thread } from '../../../shared/threads.js';
import type { Inline } from '../model.js';
import { esc, isoSeconds } from '../xml.js';
import {
  STYLE,
  SECTION_PROPERTIES,
  W_NS,
  XML_HEAD,
  appProperties,
  contentTypes,
  coreProperties,
  documentRels,
  footer,
  header,
  numbering,
  packageRels,
  settings,
  styles,
} from './parts.js';

/** Who made a revision and when, as Word records it. */
export interface Revision {
  author: string;
  /** ms since the epoch. */
  at: number;
}

/** How a run is shown: plain, as a tracked insertion or deletion, or left out (clean text). */
export type RunChange = { kind: 'ins' | 'del'; revision: Revision } | 'plain' | 'omit';

export interface CommentAuthor {
  /** Printed as the comment's author: `Julien Moreau (France)`. */
  name: (comment: Thread['comments'][number]) => string;
  /** Prefix of a group-only thread's first comment: `[Workers' group only] `. */
  privateNote: (thread: Thread) => string;
}

/** One Word comment: its author, date and text (lines become paragraphs). */
export interface WordComment {
  author: string;
  initials: string;
  at: number;
  body: string;
}

/** A Word comment and its replies, anchored on a range of the text by its key. */
export interface CommentThread {
  key: string;
  comments: WordComment[];
  done: boolean;
}

interface FootnoteEntry {
  id: number;
  marker: string;
  text: string;
}

/** Stands for an annotation id in the body until the number of footnotes is known (esc() drops U+0000). */
const ID_MARK = '\u0000';
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is the placeholder, chosen because text can never hold it
const ID_PATTERN = /\u0000(\d+)\u0000/g;

/**
 * Builds a WordprocessingML package paragraph by paragraph: runs with tracked insertions and deletions
 * (w:ins / w:del with author and date), footnotes with their printed markers, and comment threads as
 * Word comments (a thread's replies are replies in Word, linked by commentsExtended.xml).
 *
 * Ids: footnotes are numbered 1…n as Word numbers them; revisions and comments share one counter whose
 * ids come after the last footnote's, so no `w:id` of the package is used twice. LibreOffice resolves a
 * footnote reference to another footnote, or to none, when a comment's id equals a footnote's number.
 */
export class DocxWriter {
  private readonly body: string[] = [];
  private readonly footnotes: FootnoteEntry[] = [];
  private readonly threads = new Map<string, CommentThread>();
  /** Annotation numbers of each thread's comments (first, then replies), before the footnote offset. */
  private readonly commentIds = new Map<string, number[]>();
  private readonly started = new Set<string>();
  private readonly ended = new Set<string>();
  private nextAnnotation = 1;

  constructor(
    private readonly options: {
      language: string;
      symbol: string;
      title: string;
      subject: string;
      at: number;
      threads?: Thread[];
      commentAuthor?: CommentAuthor;
    },
  ) {
    for (const thread of options.threads ?? []) {
      const live = thread.comments.filter((c) => !c.deleted);
      if (live.length === 0) continue;
      const author = options.commentAuthor;
      this.addCommentThread({
        key: thread.id,
        done: thread.resolved,
        comments: live.map((comment, i) => ({
          author: author ? author.name(comment) : comment.authorName,
          initials: initials(comment.authorName),
          at: comment.createdAt,
          body: (i === 0 && author ? author.privateNote(thread) : '') + comment.body,
        })),
      });
    }
  }

  /** Registers a comment thread; its range is written by commentStart / commentEnd with its key. */
  addCommentThread(thread: CommentThread): void {
    if (thread.comments.length === 0 || this.threads.has(thread.key)) return;
    this.threads.set(thread.key, thread);
    this.commentIds.set(
      thread.key,
      thread.comments.map(() => this.nextAnnotation++),
    );
  }

  hasCommentThread(key: string): boolean {
    return this.threads.has(key);
  }

  /** A revision id, resolved when the package is written. */
  private annotationId(): string {
    return `${ID_MARK}${this.nextAnnotation++}${ID_MARK}`;
  }

  private commentId(n: number): string {
    return `${ID_MARK}${n}${ID_MARK}`;
  }

  /** The final w:id of annotation `n`: after the footnotes' numbers. */
  private finalId(n: number): number {
    return n + this.footnotes.length;
  }

  /** Appends a paragraph: `pPr` is the inside of w:pPr, `content` its runs. */
  paragraph(pPr: string, content: string): void {
    this.body.push(paragraphXml(pPr, content));
  }

  /** Appends body XML as is (a table). */
  raw(xml: string): void {
    this.body.push(xml);
  }

  /** A paragraph of plain text in one style. */
  plain(style: string, text: string, rPr = ''): void {
    this.paragraph(`<w:pStyle w:val="${style}"/>`, text ? this.run(text, rPr) : '');
  }

  /** One run of text; tabs and line breaks become w:tab and w:br. `deleted`: w:delText. */
  run(text: string, rPr = '', deleted = false): string {
    const tag = deleted ? 'w:delText' : 'w:t';
    const pieces = text.split(/(\t|\n)/);
    let inner = '';
    for (const piece of pieces) {
      if (piece === '') continue;
      if (piece === '\t') inner += '<w:tab/>';
      else if (piece === '\n') inner += '<w:br/>';
      else inner += `<${tag} xml:space="preserve">${esc(piece)}</${tag}>`;
    }
    return `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}${inner}</w:r>`;
  }

  /** Wraps runs in a tracked insertion or deletion. */
  tracked(kind: 'ins' | 'del', revision: Revision, runs: string): string {
    const id = this.annotationId();
    const tag = kind === 'ins' ? 'w:ins' : 'w:del';
    return `<${tag} w:id="${id}" w:author="${esc(revision.author)}" w:date="${isoSeconds(revision.at)}">${runs}</${tag}>`;
  }

  /** The w:rPr content marking a paragraph mark as inserted (a proposed paragraph). */
  insertedMark(revision: Revision): string {
    const id = this.annotationId();
    return `<w:rPr><w:ins w:id="${id}" w:author="${esc(revision.author)}" w:date="${isoSeconds(revision.at)}"/></w:rPr>`;
  }

  /** Renders inline runs; `changeOf` decides how each text run is shown. */
  inlines(inlines: Inline[], changeOf: (inline: Extract<Inline, { type: 'text' }>) => RunChange): string {
    let out = '';
    for (const inline of inlines) {
      switch (inline.type) {
        case 'text': {
          const change = changeOf(inline);
          if (change === 'omit') break;
          const rPr = `${inline.bold ? '<w:b/>' : ''}${inline.italic ? '<w:i/>' : ''}`;
          if (change === 'plain') out += this.run(inline.text, rPr);
          else out += this.tracked(change.kind, change.revision, this.run(inline.text, rPr, change.kind === 'del'));
          break;
        }
        case 'break':
          out += '<w:r><w:br/></w:r>';
          break;
        case 'footnote':
          out += this.footnote(inline.marker, inline.text);
          break;
        case 'commentStart':
          out += this.commentStart(inline.threadId);
          break;
        case 'commentEnd':
          out += this.commentEnd(inline.threadId);
          break;
      }
    }
    return out;
  }

  /** A footnote reference that keeps the document's own marker (`1`, `2`, …). */
  footnote(marker: string, text: string): string {
    const id = this.footnotes.length + 1;
    this.footnotes.push({ id, marker, text });
    return (
      `<w:r><w:rPr><w:rStyle w:val="${STYLE.footnoteRef}"/></w:rPr>` +
      `<w:footnoteReference w:customMarkFollows="1" w:id="${id}"/><w:t>${esc(marker)}</w:t></w:r>`
    );
  }

  commentStart(threadId: string): string {
    const ids = this.commentIds.get(threadId);
    if (!ids || this.started.has(threadId)) return '';
    this.started.add(threadId);
    return ids.map((n) => `<w:commentRangeStart w:id="${this.commentId(n)}"/>`).join('');
  }

  commentEnd(threadId: string): string {
    const ids = this.commentIds.get(threadId);
    if (!ids || !this.started.has(threadId) || this.ended.has(threadId)) return '';
    this.ended.add(threadId);
    return ids
      .map((n) => {
        const id = this.commentId(n);
        return `<w:commentRangeEnd w:id="${id}"/><w:r><w:rPr><w:rStyle w:val="${STYLE.commentRef}"/></w:rPr><w:commentReference w:id="${id}"/></w:r>`;
      })
      .join('');
  }

  /** The finished package, zipped. */
  toDocx(): Uint8Array {
    // A range left open (its end lay in text that was not exported) closes at the end of the body.
    const open = [...this.started].filter((id) => !this.ended.has(id));
    if (open.length > 0) this.paragraph('', open.map((id) => this.commentEnd(id)).join(''));
    const { symbol, title, subject, language, at } = this.options;
    const body = this.body.join('').replace(ID_PATTERN, (_, n: string) => String(this.finalId(Number(n))));
    const documentXml = `${XML_HEAD}<w:document ${W_NS}><w:body>${body}${SECTION_PROPERTIES}</w:body></w:document>`;
    const files: Record<string, Uint8Array> = {
      '[Content_Types].xml': strToU8(contentTypes()),
      '_rels/.rels': strToU8(packageRels()),
      'docProps/core.xml': strToU8(coreProperties(title, subject, at)),
      'docProps/app.xml': strToU8(appProperties()),
      'word/document.xml': strToU8(documentXml),
      'word/_rels/document.xml.rels': strToU8(documentRels()),
      'word/styles.xml': strToU8(styles(language)),
      'word/numbering.xml': strToU8(numbering()),
      'word/settings.xml': strToU8(settings(language)),
      'word/footnotes.xml': strToU8(this.footnotesXml()),
      'word/comments.xml': strToU8(this.commentsXml()),
      'word/commentsExtended.xml': strToU8(this.commentsExtendedXml()),
      'word/header1.xml': strToU8(header(symbol)),
      'word/footer1.xml': strToU8(footer()),
    };
    return zipSync(files, { level: 6, mtime: new Date(at) });
  }

  private footnotesXml(): string {
    const separators =
      '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>' +
      '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>';
    const notes = this.footnotes
      .map(
        (f) =>
          `<w:footnote w:id="${f.id}"><w:p><w:pPr><w:pStyle w:val="${STYLE.footnoteText}"/></w:pPr>` +
          `<w:r><w:rPr><w:rStyle w:val="${STYLE.footnoteRef}"/></w:rPr><w:t>${esc(f.marker)}</w:t></w:r>` +
          `${this.run(` ${f.text}`)}</w:p></w:footnote>`,
      )
      .join('');
    return `${XML_HEAD}<w:footnotes ${W_NS}>${separators}${notes}</w:footnotes>`;
  }

  /** Threads whose range was written, in the order of their Word ids. */
  private writtenThreads(): CommentThread[] {
    return [...this.threads.values()].filter((t) => this.ended.has(t.key));
  }

  private commentsXml(): string {
    let out = '';
    for (const thread of this.writtenThreads()) {
      const ids = this.commentIds.get(thread.key) ?? [];
      thread.comments.forEach((comment, i) => {
        const id = ids[i] ?? 0;
        const lines = comment.body.split(/\r?\n/);
        const paragraphs = lines
          .map((line, j) => {
            const paraId = j === lines.length - 1 ? ` w14:paraId="${paraIdOf(id)}"` : '';
            const ref =
              j === 0 ? `<w:r><w:rPr><w:rStyle w:val="${STYLE.commentRef}"/></w:rPr><w:annotationRef/></w:r>` : '';
            return `<w:p${paraId}><w:pPr><w:pStyle w:val="${STYLE.commentText}"/></w:pPr>${ref}${line ? this.run(line) : ''}</w:p>`;
          })
          .join('');
        out +=
          `<w:comment w:id="${this.finalId(id)}" w:author="${esc(comment.author)}" w:date="${isoSeconds(comment.at)}" ` +
          `w:initials="${esc(comment.initials)}">${paragraphs}</w:comment>`;
      });
    }
    return `${XML_HEAD}<w:comments ${W_NS}>${out}</w:comments>`;
  }

  private commentsExtendedXml(): string {
    let out = '';
    for (const thread of this.writtenThreads()) {
      const ids = this.commentIds.get(thread.key) ?? [];
      const parent = paraIdOf(ids[0] ?? 0);
      ids.forEach((id, i) => {
        const link = i === 0 ? '' : ` w15:paraIdParent="${parent}"`;
        out += `<w15:commentEx w15:paraId="${paraIdOf(id)}"${link} w15:done="${thread.done ? 1 : 0}"/>`;
      });
    }
    return `${XML_HEAD}<w15:commentsEx ${W_NS}>${out}</w15:commentsEx>`;
  }
}

/** A w:p element. */
export function paragraphXml(pPr: string, content: string): string {
  return `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${content}</w:p>`;
}

/** A paragraph id for commentsExtended: 8 hex digits below 0x80000000, one per comment. */
function paraIdOf(commentId: number): string {
  return (0x10000000 + commentId).toString(16).toUpperCase().padStart(8, '0');
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('')
    .slice(0, 4);
}
