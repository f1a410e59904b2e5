import { Node, mergeAttributes } from '@tiptap/core';

/**
 * A numbered paragraph of a GB document. Its number is the Office's, cited by delegates ("paragraph 27")
 * and therefore an attribute that nothing recomputes. It holds the paragraph's text and any bulleted list
 * that belongs to it, so that "paragraph 28" means everything printed under 28.
 */
export const NumberedParagraph = Node.create({
  name: 'numberedParagraph',
  group: 'block',
  content: '(paragraph | bulletList)+',
  defining: true,
  addAttributes() {
    return {
      number: {
        default: null,
        parseHTML: (el) => el.getAttribute('data-number'),
        renderHTML: (attrs) => ({ 'data-number': attrs.number, id: attrs.number ? `p${attrs.number}` : undefined }),
      },
      /**
       * A paragraph proposed by an amendment (`27bis`): the SuggestionAttrs of that amendment, or null
       * for the Office's paragraphs. Not part of the official text until accepted.
       */
      suggestion: {
        default: null,
        parseHTML: (el) => {
          const raw = el.getAttribute('data-suggestion-attrs');
          return raw ? JSON.parse(raw) : null;
        },
        renderHTML: (attrs) =>
          attrs.suggestion
            ? { 'data-suggestion-attrs': JSON.stringify(attrs.suggestion), class: 'suggested-paragraph' }
            : {},
      },
    };
  },
  parseHTML() {
    return [{ tag: 'div[data-type="numbered-paragraph"]' }];
  },
  renderHTML({ HTMLAttributes }) {
    return [
      'div',
      mergeAttributes(HTMLAttributes, { 'data-type': 'numbered-paragraph', class: 'numbered-paragraph' }),
      0,
    ];
  },
});
