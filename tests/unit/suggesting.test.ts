import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { nextParagraphNumber, suggestTransaction } from '../../client/suggesting/suggestTransaction.js';
import { documentSchema } from '../../shared/schema/index.js';
import { SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';

const schema = documentSchema();
const workers = { by: 'workers', author: 'u-workers' };
const employers = { by: 'employers', author: 'u-employers' };

function stateOf(text = 'Le Conseil prie le Directeur général.'): EditorState {
  const doc = schema.nodeFromJSON({
    type: 'doc',
    content: [
      {
        type: 'numberedParagraph',
        attrs: { number: '27' },
        content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
      },
      {
        type: 'numberedParagraph',
        attrs: { number: '28' },
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Suite.' }] }],
      },
    ],
  });
  return EditorState.create({ schema, doc });
}

/** Position of the first occurrence of `words` in the document. */
function at(state: EditorState, words: string): number {
  let found = -1;
  state.doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text?.includes(words)) found = pos + (node.text?.indexOf(words) ?? 0);
    return found < 0;
  });
  if (found < 0) throw new Error(`"${words}" not found`);
  return found;
}

function apply(state: EditorState, build: (tr: Transaction) => Transaction, who = workers): EditorState {
  const tr = build(state.tr);
  const suggested = suggestTransaction(tr, state, who);
  return suggested ? state.apply(suggested) : state;
}

/** The paragraph's text with suggestions spelled out: [+inserted+] and [-deleted-]. */
function spelled(state: EditorState): string {
  let out = '';
  state.doc.descendants((node) => {
    if (node.type.name === 'numberedParagraph')
      out += `${out ? '\n' : ''}${node.attrs.number}${node.attrs.suggestion ? '*' : ''}: `;
    if (!node.isText) return true;
    const ins = node.marks.find((m) => m.type.name === SUGGEST_INSERT);
    const del = node.marks.find((m) => m.type.name === SUGGEST_DELETE);
    if (ins) out += `[+${node.text}+]`;
    else if (del) out += `[-${node.text}-]`;
    else out += node.text;
    return false;
  });
  return out;
}

function idsOf(state: EditorState): string[] {
  const ids = new Set<string>();
  state.doc.descendants((node) => {
    for (const m of node.marks) if (m.attrs.id) ids.add(String(m.attrs.id));
    return true;
  });
  return [...ids];
}

describe('suggesting mode', () => {
  it('grows one amendment while typing consecutively, and the cursor follows', () => {
    let s = stateOf();
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, at(s, ' le Directeur'))));
    for (const ch of ' vivement') s = apply(s, (tr) => tr.insertText(ch));
    expect(spelled(s).split('\n')[0]).toBe('27: Le Conseil prie[+ vivement+] le Directeur général.');
    expect(idsOf(s)).toHaveLength(1);
  });

  it('strikes official words instead of deleting them, and backspace walks left', () => {
    let s = stateOf();
    const end = at(s, ' général') + ' général'.length;
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, end)));
    for (let i = 0; i < 8; i++) s = apply(s, (tr) => tr.delete(s.selection.from - 1, s.selection.from));
    expect(spelled(s).split('\n')[0]).toBe('27: Le Conseil prie le Directeur[- général-].');
    expect(idsOf(s)).toHaveLength(1);
  });

  it('makes a replacement one amendment with a deletion and an insertion', () => {
    let s = stateOf();
    const from = at(s, 'prie');
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, from, from + 4)));
    s = apply(s, (tr) => tr.insertText('invite'));
    expect(spelled(s).split('\n')[0]).toBe('27: Le Conseil [-prie-][+invite+] le Directeur général.');
    expect(idsOf(s)).toHaveLength(1);
  });

  it('really deletes the user’s own inserted words', () => {
    let s = stateOf();
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, at(s, ' le Directeur'))));
    for (const ch of ' fermement') s = apply(s, (tr) => tr.insertText(ch));
    for (let i = 0; i < 10; i++) s = apply(s, (tr) => tr.delete(s.selection.from - 1, s.selection.from));
    expect(spelled(s).split('\n')[0]).toBe('27: Le Conseil prie le Directeur général.');
  });

  it('leaves another group’s amendment alone and types after it, as a new amendment', () => {
    let s = stateOf();
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, at(s, ' le Directeur'))));
    for (const ch of ' vivement') s = apply(s, (tr) => tr.insertText(ch), employers);
    const inside = at(s, 'vivement') + 3;
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, inside)));
    s = apply(s, (tr) => tr.insertText('X'));
    // Typed inside the employers' words: moved to the end of their amendment, a new one of the workers.
    expect(spelled(s).split('\n')[0]).toBe('27: Le Conseil prie[+ vivement+][+X+] le Directeur général.');
    expect(idsOf(s)).toHaveLength(2);
    // Deleting across the employers' words strikes only official text.
    const from = at(s, 'prie');
    s = apply(s, (tr) => tr.delete(from, at(s, ' le Directeur')));
    expect(spelled(s).split('\n')[0]).toContain('[-prie-][+ vivement+]');
  });

  it('proposes a new paragraph 27bis on Enter', () => {
    let s = stateOf();
    const end = at(s, 'général.') + 'général.'.length;
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, end)));
    s = apply(s, (tr) => tr.split(s.selection.from));
    for (const ch of 'Nouveau.') s = apply(s, (tr) => tr.insertText(ch));
    expect(spelled(s)).toBe('27: Le Conseil prie le Directeur général.\n27bis*: Nouveau.\n28: Suite.');
  });

  it('changes nothing on Backspace at the start of an official paragraph', () => {
    const s = stateOf();
    const start = at(s, 'Suite.');
    const tr = s.tr.delete(start - 4, start);
    expect(suggestTransaction(tr, s, workers)).toBeNull();
  });

  it('pastes several paragraphs as one inserted run of words', () => {
    let s = stateOf();
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, at(s, ' le Directeur'))));
    const para = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
    const pasted = schema.nodeFromJSON({ type: 'doc', content: [para(' un'), para('deux')] }).slice(1, 10);
    s = apply(s, (tr) => tr.replaceSelection(pasted));
    expect(spelled(s).split('\n')[0]).toBe('27: Le Conseil prie[+ un deux+] le Directeur général.');
  });

  it('ignores formatting changes', () => {
    const s = stateOf();
    const bold = schema.marks.bold;
    if (!bold) throw new Error('no bold');
    const tr = s.tr.addMark(1, 10, bold.create());
    expect(suggestTransaction(tr, s, workers)).toBeNull();
  });

  it('numbers added paragraphs as the Office does', () => {
    expect(nextParagraphNumber('27')).toBe('27bis');
    expect(nextParagraphNumber('27bis')).toBe('27ter');
  });
});
