import { Node, mergeAttributes } from '@tiptap/core';
import type { DOMOutputSpec } from '@tiptap/pm/model';

/** One column of a figure's structured rendering: a heading and the items under it. */
export interface FigureGroup {
  heading: string;
  items: string[];
}

/**
 * A figure of the printed document. PDF extraction scatters a diagram's words, so the importer keeps a
 * structured rendering (groups of items) when it recognises one, and otherwise a labelled placeholder.
 * It is an atom: delegates amend the text, not the Office's diagrams.
 */
export const Figure = Node.create({
  name: 'figure',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: false,
  addAttributes() {
    return {
      title: { default: '' },
      groups: { default: [] as FigureGroup[] },
      note: { default: null as string | null },
    };
  },
  parseHTML() {
    return [
      {
        tag: 'figure[data-type="figure"]',
        getAttrs: (el) => {
          const raw = (el as HTMLElement).getAttribute('data-groups');
          return {
            title: (el as HTMLElement).getAttribute('data-title') ?? '',
            groups: raw ? (JSON.parse(raw) as FigureGroup[]) : [],
          };
        },
      },
    ];
  },
  renderHTML({ node, HTMLAttributes }) {
    const title = String(node.attrs.title ?? '');
    const groups = (node.attrs.groups ?? []) as FigureGroup[];
    const note = node.attrs.note as string | null;
    // A column without a printed heading (the founding texts under the diagram) gets none.
    const columns: DOMOutputSpec[] = groups.map((g) => [
      'section',
      { class: 'figure-group' },
      ...(g.heading ? [['h4', {}, g.heading] as DOMOutputSpec] : []),
      ['ul', {}, ...g.items.map((item): DOMOutputSpec => ['li', {}, item])],
    ]);
    const children: DOMOutputSpec[] = [
      ['figcaption', {}, title],
      ['div', { class: 'figure-groups' }, ...columns],
    ];
    if (note) children.push(['p', { class: 'figure-note' }, note]);
    return [
      'figure',
      mergeAttributes(HTMLAttributes, {
        'data-type': 'figure',
        'data-title': title,
        'data-groups': JSON.stringify(groups),
        class: 'figure',
        contenteditable: 'false',
      }),
      ...children,
    ];
  },
});
