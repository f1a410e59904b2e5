import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { strFromU8, unzipSync } from 'fflate';

/** Reading produced Word files in tests: unzip, parse the parts, and list what Word would show. */

export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export interface OpenedDocx {
  files: Record<string, Uint8Array>;
  part(name: string): XmlElement;
  text(name: string): string;
}

export function openDocx(bytes: Uint8Array): OpenedDocx {
  const files = unzipSync(bytes);
  return {
    files,
    text(name) {
      const file = files[name];
      if (!file) throw new Error(`no ${name} in the package (has ${Object.keys(files).join(', ')})`);
      return strFromU8(file);
    },
    part(name) {
      const dom = new DOMParser({
        onError: (level, message) => {
          if (level !== 'warning') throw new Error(`${name}: ${message}`);
        },
      }).parseFromString(this.text(name), 'application/xml');
      if (!dom.documentElement) throw new Error(`${name} has no root element`);
      return dom.documentElement;
    },
  };
}

export function elements(root: XmlElement, local: string): XmlElement[] {
  return Array.from(root.getElementsByTagNameNS(W, local));
}

export function wAttr(el: XmlElement, local: string): string {
  return el.getAttributeNS(W, local) ?? '';
}

/** Text of an element: w:t and w:delText, tabs as \t. */
export function textOf(el: XmlElement): string {
  let out = '';
  const walk = (node: XmlElement) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType !== 1) continue;
      const c = child as XmlElement;
      if (c.namespaceURI === W && (c.localName === 't' || c.localName === 'delText')) out += c.textContent ?? '';
      else if (c.namespaceURI === W && c.localName === 'tab') out += '\t';
      else walk(c);
    }
  };
  walk(el);
  return out;
}

export interface RevisionInfo {
  kind: 'ins' | 'del';
  author: string;
  date: string;
  text: string;
  /** The text of the paragraph it is in, with every revision shown. */
  paragraph: string;
}

/** Every w:ins and w:del with content in the document body. */
export function revisions(doc: XmlElement): RevisionInfo[] {
  const out: RevisionInfo[] = [];
  for (const p of elements(doc, 'p')) {
    const paragraph = textOf(p);
    for (const kind of ['ins', 'del'] as const) {
      for (const el of elements(p, kind)) {
        if (el.parentNode && (el.parentNode as XmlElement).localName === 'rPr') continue;
        out.push({ kind, author: wAttr(el, 'author'), date: wAttr(el, 'date'), text: textOf(el), paragraph });
      }
    }
  }
  return out;
}

/** The comments of comments.xml and the text each is anchored to in document.xml. */
export function commentsWithAnchors(
  opened: OpenedDocx,
): { id: string; author: string; text: string; anchored: string }[] {
  const comments = elements(opened.part('word/comments.xml'), 'comment');
  const xml = opened.text('word/document.xml');
  return comments.map((c) => {
    const id = wAttr(c, 'id');
    const start = xml.indexOf(`<w:commentRangeStart w:id="${id}"/>`);
    const end = xml.indexOf(`<w:commentRangeEnd w:id="${id}"/>`);
    let anchored = '';
    if (start >= 0 && end > start) {
      const slice = xml.slice(start, end);
      anchored = [...slice.matchAll(/<w:(?:t|delText)[^>]*>([^<]*)<\/w:(?:t|delText)>/g)].map((m) => m[1]).join('');
    }
    return { id, author: wAttr(c, 'author'), text: textOf(c), anchored: decode(anchored) };
  });
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Paragraph texts of the body, in order, with their style. */
export function paragraphs(doc: XmlElement): { style: string; text: string }[] {
  return elements(doc, 'p').map((p) => {
    const style = elements(p, 'pStyle')[0];
    return { style: style ? wAttr(style, 'val') : '', text: textOf(p) };
  });
}
