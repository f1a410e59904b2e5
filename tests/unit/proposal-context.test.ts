import { describe, expect, it } from 'vitest';
import { contextInContent, contextInText, placedWords } from '../../client/desk/proposalContext.js';
import type { PMNode } from '../../shared/schema/index.js';
import { SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';

const mark = (type: string, id: string) => ({ type, attrs: { id, by: 'workers', author: 'u1' } });
const text = (t: string, marks?: unknown[]) => ({ type: 'text', text: t, ...(marks ? { marks } : {}) }) as PMNode;
const paragraph = (number: string, ...content: PMNode[]): PMNode =>
  ({ type: 'numberedParagraph', attrs: { number }, content: [{ type: 'paragraph', content }] }) as PMNode;
const doc = (...content: PMNode[]): PMNode => ({ type: 'doc', content }) as PMNode;

describe('an amendment in its sentence (accept with modifications)', () => {
  const section = doc(
    paragraph('26', text('Autre chose.')),
    paragraph(
      '27',
      text('Première phrase. Les normes revêtent une importance fondamentale'),
      text(' et prioritaire', [mark(SUGGEST_INSERT, 'a1')]),
      text(' autre', [mark(SUGGEST_INSERT, 'a2')]),
      text(' pour l’OIT. La ratification suit.'),
    ),
  );

  it('keeps the proposal’s leading space out of the words and cuts the context at the sentence', () => {
    expect(contextInContent(section, 'a1')).toEqual({
      before: 'Les normes revêtent une importance fondamentale',
      original: '',
      proposed: ' et prioritaire',
      after: ' pour l’OIT.',
    });
  });

  it('reads a replacement: struck words and proposed words, other groups’ insertions left out', () => {
    const replaced = doc(
      paragraph(
        '27',
        text('Une importance '),
        text('fondamentale', [mark(SUGGEST_DELETE, 'a3')]),
        text('essentielle', [mark(SUGGEST_INSERT, 'a3')]),
        text(' et', [mark(SUGGEST_INSERT, 'a9')]),
        text(' pour tous.'),
      ),
    );
    expect(contextInContent(replaced, 'a3')).toEqual({
      before: 'Une importance ',
      original: 'fondamentale',
      proposed: 'essentielle',
      after: ' pour tous.',
    });
  });

  it('is null for an amendment whose marks are not in the section', () => {
    expect(contextInContent(section, 'nope')).toBeNull();
  });

  it('falls back to the official text when the original words occur exactly once', () => {
    expect(contextInText('A b c. Mot ici. Fin.', 'ici', 'là')?.before).toBe('Mot ');
    expect(contextInText('ici et ici', 'ici', 'là')).toBeNull();
    expect(contextInText('texte', '', 'insertion')).toBeNull();
  });

  it('sends the typed words with the proposal’s boundary spaces, trimmed and single-spaced', () => {
    expect(placedWords(' et prioritaire', 'et  hautement prioritaire ')).toBe(' et hautement prioritaire');
    expect(placedWords('essentielle ', 'capitale')).toBe('capitale ');
    expect(placedWords('essentielle', '  ')).toBe('');
  });
});
