import { Node, mergeAttributes } from '@tiptap/core';

/** A boxed text (encadré): set apart from the running text, with an optional title. */
export const Box = Node.create({
  name: 'box',
  group: 'block',
  content: 'block+',
  defining: true,
  addAttributes() {
    return {
      title: {
        default: null,
        parseHTML: (el) => el.getAttribute('data-title'),
        renderHTML: (a) => ({ 'data-title': a.title }),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'aside[data-type="box"]' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['aside', mergeAttributes(HTMLAttributes, { 'data-type': 'box', class: 'box' }), 0];
  },
});
