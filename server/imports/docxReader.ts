import { DOMParser, type Element as XmlElement, type Node as XmlNode } from '@xmldom/xmldom';
import { ImportReadError } from './readErrors.js';
import { IMPORT_LIMITS } from './importLimits.js';
import { readDocxParts } from './unzipDocx.js';

export { ImportReadError };

/**
 * Reads the tracked changes of a Word file: every paragraph of the body (tables and content controls
 * included) as segments of unchanged, inserted and deleted text, each change with its author and date.
 * Footnote and comment references are not text; field codes are skipped (their shown result is kept);
 * text inserted and then deleted again (w:del inside w:ins) is neither original nor proposed.
 */

export type SegmentKind = 'same' | 'ins' | 'del';

export interface Segment {
  kind: SegmentKind;
  text: string;
  author: string;
  /** As Word wrote it (ISO 8601), or '' when absent. */
  date: string;
  /** Ids of the Word comments whose range holds these words (absent: none). */
  comments?: string[];
}

export interface WordParagraph {
  /** Position in the body, from 0. */
  index: number;
  style: string;
  /** A Heading style or an outline level: a title, never a numbered paragraph. */
  heading: boolean;
  /** Has list numbering (a bullet of the paragraph above). */
  listItem: boolean;
  /** The paragraph mark itself was inserted (a new paragraph) or deleted (two paragraphs merged). */
  markChange: { kind: 'ins' | 'del'; author: string; date: string } | null;
  segments: Segment[];
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/**
 * Reads a .docx. Runs in a worker thread (see `readInWorker.ts`): unpacking and parsing a hostile file
 * must not stall the event loop that serves everyone else.
 */
export async function readDocxParagraphs(bytes: Uint8Array): Promise<WordParagraph[]> {
  return (await readDocx(bytes)).paragraphs;
}

/** The paragraphs and the comments of a Word file (comment id → its text, paragraphs joined by a line break). */
export interface DocxContent {
  paragraphs: WordParagraph[];
  comments: Map<string, string>;
}

export async function readDocx(bytes: Uint8Array): Promise<DocxContent> {
  const { documentXml, commentsXml } = await readDocxParts(bytes);
  return { paragraphs: paragraphsOfDocumentXml(documentXml), comments: readComments(commentsXml) };
}

export function paragraphsOfDocumentXml(xml: string): WordParagraph[] {
  let root: XmlElement | null;
  try {
    const dom = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'application/xml');
    root = dom.documentElement;
  } catch {
    throw new ImportReadError(400, 'The Word document body is not well-formed XML.');
  }
  const body = root ? firstChild(root, 'body') : null;
  if (!body) throw new ImportReadError(400, 'The Word document has no body.');
  const out: WordParagraph[] = [];
  collectParagraphs(body, out, new Set());
  return out;
}

/** Comments of word/comments.xml by id; a part that cannot be read gives none (comments are optional). */
function readComments(part: string | null): Map<string, string> {
  const comments = new Map<string, string>();
  if (!part) return comments;
  let root: XmlElement | null = null;
  try {
    root = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(part, 'application/xml').documentElement;
  } catch {
    return comments;
  }
  for (const comment of root ? children(root).filter((c) => isW(c, 'comment')) : []) {
    const lines = Array.from(comment.getElementsByTagNameNS(W, 'p')).map((p) =>
      Array.from(p.getElementsByTagNameNS(W, 't'))
        .map((t) => t.textContent ?? '')
        .join(''),
    );
    comments.set(wAttr(comment, 'id'), lines.join('\n').trim());
  }
  return comments;
}

function isW(node: XmlNode, local: string): node is XmlElement {
  return node.nodeType === 1 && (node as XmlElement).namespaceURI === W && (node as XmlElement).localName === local;
}

function children(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let child = el.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 1) out.push(child as XmlElement);
  }
  return out;
}

function firstChild(el: XmlElement, local: string): XmlElement | null {
  return children(el).find((c) => isW(c, local)) ?? null;
}

function wAttr(el: XmlElement, local: string): string {
  return el.getAttributeNS(W, local) ?? el.getAttribute(`w:${local}`) ?? '';
}

/** Paragraphs in body order, descending into tables, content controls and other containers. */
function collectParagraphs(container: XmlElement, out: WordParagraph[], open: Set<string>): void {
  for (const child of children(container)) {
    if (child.namespaceURI !== W) continue;
    if (child.localName === 'p') {
      if (out.length >= IMPORT_LIMITS.paragraphs) {
        throw new ImportReadError(
          413,
          `The Word document has more than ${IMPORT_LIMITS.paragraphs.toLocaleString('en')} paragraphs; it cannot be imported.`,
        );
      }
      out.push(readParagraph(child, out.length, open));
    } else if (child.localName === 'commentRangeStart') open.add(wAttr(child, 'id'));
    else if (child.localName === 'commentRangeEnd') open.delete(wAttr(child, 'id'));
    else if (['tbl', 'tr', 'tc', 'sdt', 'sdtContent', 'customXml', 'txbxContent'].includes(child.localName ?? '')) {
      collectParagraphs(child, out, open);
    }
  }
}

/** `open`: the comment ranges open where the paragraph starts (a range may span paragraphs). */
function readParagraph(p: XmlElement, index: number, open: Set<string>): WordParagraph {
  const pPr = firstChild(p, 'pPr');
  const style = pPr ? wAttr(firstChild(pPr, 'pStyle') ?? p, 'val') : '';
  const outline = pPr ? firstChild(pPr, 'outlineLvl') : null;
  const heading = /^(heading|titre|title)/i.test(style) || outline !== null;
  const listItem = pPr ? firstChild(pPr, 'numPr') !== null : false;
  let markChange: WordParagraph['markChange'] = null;
  const markPr = pPr ? firstChild(pPr, 'rPr') : null;
  if (markPr) {
    const ins = firstChild(markPr, 'ins');
    const del = firstChild(markPr, 'del');
    const change = ins ?? del;
    if (change) {
      markChange = { kind: ins ? 'ins' : 'del', author: wAttr(change, 'author'), date: wAttr(change, 'date') };
    }
  }
  const segments: Segment[] = [];
  const state = { inField: false, open };
  walkContent(p, { ins: null, del: null }, segments, state);
  return { index, style, heading, listItem, markChange, segments };
}

interface Revision {
  author: string;
  date: string;
}

interface Context {
  ins: Revision | null;
  del: Revision | null;
}

const CONTAINERS = new Set(['hyperlink', 'smartTag', 'customXml', 'sdt', 'sdtContent', 'fldSimple', 'dir', 'bdo']);

interface WalkState {
  inField: boolean;
  open: Set<string>;
}

function walkContent(el: XmlElement, ctx: Context, out: Segment[], state: WalkState): void {
  for (const child of children(el)) {
    if (child.namespaceURI !== W) continue;
    const name = child.localName ?? '';
    if (name === 'r') readRun(child, ctx, out, state);
    else if (name === 'commentRangeStart') state.open.add(wAttr(child, 'id'));
    else if (name === 'commentRangeEnd') state.open.delete(wAttr(child, 'id'));
    else if (name === 'ins' || name === 'moveTo') {
      walkContent(child, { ...ctx, ins: revisionOf(child) }, out, state);
    } else if (name === 'del' || name === 'moveFrom') {
      walkContent(child, { ...ctx, del: revisionOf(child) }, out, state);
    } else if (CONTAINERS.has(name)) walkContent(child, ctx, out, state);
  }
}

function revisionOf(el: XmlElement): Revision {
  return { author: wAttr(el, 'author'), date: wAttr(el, 'date') };
}

function readRun(run: XmlElement, ctx: Context, out: Segment[], state: WalkState): void {
  // A note reference with its own printed mark (w:customMarkFollows): the mark is not text either.
  if (children(run).some((c) => isW(c, 'footnoteReference') || isW(c, 'endnoteReference'))) return;
  let text = '';
  for (const child of children(run)) {
    if (child.namespaceURI !== W) continue;
    switch (child.localName) {
      case 'fldChar': {
        const type = wAttr(child, 'fldCharType');
        if (type === 'begin') state.inField = true;
        else if (type === 'separate' || type === 'end') state.inField = false;
        break;
      }
      case 't':
      case 'delText':
        if (!state.inField) text += child.textContent ?? '';
        break;
      case 'tab':
      case 'ptab':
        text += '\t';
        break;
      case 'br':
      case 'cr':
        text += ' ';
        break;
      case 'noBreakHyphen':
        text += '-';
        break;
      default:
        // rPr, footnote and comment references, drawings, symbols: not words of the text.
        break;
    }
  }
  if (!text) return;
  if (ctx.ins && ctx.del) return;
  const revision = ctx.del ?? ctx.ins;
  const kind: SegmentKind = ctx.del ? 'del' : ctx.ins ? 'ins' : 'same';
  const last = out.at(-1);
  const author = revision?.author ?? '';
  const date = revision?.date ?? '';
  const comments = [...state.open];
  const same = last && last.kind === kind && last.author === author && last.date === date;
  if (last && same && (last.comments ?? []).join() === comments.join()) last.text += text;
  else out.push({ kind, text, author, date, ...(comments.length > 0 ? { comments } : {}) });
}
