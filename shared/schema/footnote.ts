import { Node, mergeAttributes } from '@tiptap/core';

/**
 * A footnote, placed where its marker stood in the printed text. The note's text travels with the node,
 * so it follows its paragraph through every edit; the marker is shown, never typed.
 */
export const Footnote = Node.create({
  name: 'footnote',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      marker: { default: '', parseHTML: (el) => el.getAttribute('data-marker') ?? '' },
      text: { default: '', parseHTML: (el) => el.getAttribute('data-text') ?? '' },
    };
  },
  parseHTML() {
    return [{ tag: 'sup[data-type="footnote"]' }];
  },
  renderHTML({ node, HTMLAttributes }) {
    const marker = String(node.attrs.marker);
    const text = String(node.attrs.text);
    return [
      'sup',
      mergeAttributes(HTMLAttributes, {
        'data-type': 'footnote',
        'data-marker': marker,
        'data-text': text,
        class: 'footnote-ref',
        title: text,
        'aria-label': `Note ${marker}: ${text}`,
      }),
      marker,
    ];
  },
  // The marker is not part of the text: plain text, search and `find` see the words only.
  renderText() {
    return '';
  },
});
