import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { placeByForm } from '../../server/amendments/textEdits.js';
import { buildCompilation } from '../../server/exports/compilation/model.js';
import { exportDocument } from '../support/exportFixtures.js';
import { amendmentRecord, exportSource, sectionDocs } from '../support/exportSource.js';

const doc = exportDocument();

function compilation() {
  const docs = sectionDocs(doc);
  const part = docs.get('part-1') as Y.Doc;
  const place = (id: string, by: string, form: { op: 'insert' | 'delete' | 'replace'; find: string; text: string }) =>
    placeByForm(part, { paragraph: 2, ...form, attrs: { id, by, author: 'u1' } });
  place('aaaaaaaaaaaa', 'workers', { op: 'replace', find: 'au cœur du mandat', text: 'au centre du mandat' });
  place('bbbbbbbbbbbb', 'employers', { op: 'delete', find: ' et de ses « partenaires »', text: '' });
  place('cccccccccccc', 'government:South Africa', { op: 'insert', find: 'de l’Organisation', text: ' tout entière' });
  const record = (
    id: string,
    ref: string,
    over: Parameters<typeof amendmentRecord>[0] extends infer T ? Partial<T> : never,
  ) => amendmentRecord({ id, ref, sectionId: 'part-1', paragraphs: [2], status: 'proposed', ...over });
  const amendments = [
    record('aaaaaaaaaaaa', 'A-1', { type: 'replace', originalText: 'cœur', proposedText: 'au centre du mandat' }),
    record('bbbbbbbbbbbb', 'A-2', { type: 'delete', ownerKey: 'employers', group: 'employers' }),
    record('cccccccccccc', 'A-3', {
      ownerKey: 'government:South Africa',
      group: 'government',
      memberState: 'South Africa',
    }),
    record('dddddddddddd', 'A-4', {
      type: 'replace',
      parentId: 'aaaaaaaaaaaa',
      ownerKey: 'employers',
      group: 'employers',
      form: { paragraph: 2, op: 'replace', find: 'centre', text: 'cœur même', anchor: null },
    }),
  ];
  return buildCompilation(exportSource(doc, docs, { amendments }));
}

describe('the compilation model', () => {
  it('groups rivals on the same words, nests sub-amendments and keeps footnote markers', () => {
    const c = compilation();
    expect(c.paragraphs.map((p) => p.number)).toEqual(['2']);
    const groups = c.paragraphs[0]?.groups ?? [];
    // A-3 inserts where A-2's deletion starts: alternatives. A-1 acts on other words.
    expect(groups.map((g) => g.map((e) => e.amendment.ref))).toEqual([['A-1'], ['A-2', 'A-3']]);
    const a1 = groups[0]?.[0];
    expect(a1?.location).toBe('Paragraphe 2');
    expect(a1?.pieces).toContainEqual({ kind: 'note', text: '1' });
    expect(a1?.pieces.filter((p) => p.kind !== 'same')).toEqual([
      { kind: 'del', text: 'au cœur du mandat' },
      { kind: 'ins', text: 'au centre du mandat' },
      { kind: 'note', text: '1' },
    ]);
    // A sub-amendment has its own reference under its parent's, and keeps its record's.
    expect(a1?.subAmendments.map((s) => [s.label, s.location])).toEqual([['A-1/1 (A-4)', 'Sous-amendement 1 à A-1']]);
    expect(a1?.subAmendments[0]?.pieces).toEqual([
      { kind: 'same', text: 'au ' },
      { kind: 'del', text: 'centre' },
      { kind: 'ins', text: 'cœur même' },
      { kind: 'same', text: ' du mandat' },
    ]);
    expect(groups[1]?.[1]?.sponsor).toBe('Afrique du Sud');
    expect(c.index.map((i) => i.sponsor)).toEqual([
      'Afrique du Sud',
      'Groupe des employeurs',
      'Groupe des travailleurs',
    ]);
    expect(c.cover.counts.find((g) => g.group === 'Groupe des employeurs')?.count).toBe(2);
    expect(c.cover.originalLanguage).toBe('Français');
  });
});
