import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTextAnchor, plainTextOf } from '../../shared/anchors.js';
import type { ThreadAnchor } from '../../shared/threads.js';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import { commentsWithAnchors, elements, openDocx, paragraphs, revisions, textOf, wAttr } from '../support/docx.js';
import { type People, buildPeople, client, exportDocument } from '../support/exportFixtures.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-export-1';
const today = () => new Date().toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

let server: TestServer;
let people: People;
let http: ReturnType<typeof client>;
const tabled: Record<string, AmendmentView> = {};

/** A text anchor on `words` of numbered paragraph `number` of a section, made on the live document. */
async function anchorOn(sectionId: string, number: string, words: string): Promise<ThreadAnchor> {
  return server.services.collab.withSectionDoc(DOC, sectionId, (room) => {
    const find = (node: Y.XmlFragment | Y.XmlElement): Y.XmlText | null => {
      for (const child of node.toArray()) {
        if (child instanceof Y.XmlText && plainTextOf(child).includes(words)) return child;
        if (child instanceof Y.XmlElement) {
          if (child.nodeName === 'numberedParagraph' && child.getAttribute('number') !== number) continue;
          const inside = find(child);
          if (inside) return inside;
        }
      }
      return null;
    };
    const text = find(room.doc.getXmlFragment('default'));
    if (!text) throw new Error(`no text with “${words}”`);
    const at = plainTextOf(text).indexOf(words);
    return createTextAnchor(text, at, at + words.length);
  });
}

beforeAll(async () => {
  server = await startTestServer({ document: exportDocument(DOC) });
  people = await buildPeople(server);
  http = client(server, people);
  tabled.workers = await http.table(DOC, 'workers', {
    sectionId: 'part-1',
    paragraph: 1,
    op: 'replace',
    find: 'soutient',
    text: 'appuie résolument',
    rationale: 'Plus fort.',
  });
  tabled.france = await http.table(DOC, 'france', {
    sectionId: 'part-1',
    paragraph: 3,
    op: 'insert',
    find: 'le dialogue social',
    text: ' effectif',
  });
  tabled.employers = await http.table(DOC, 'employers', {
    sectionId: 'outcome-1',
    paragraph: 5,
    op: 'delete',
    find: ' en termes réels',
  });
  // Decided ones appear in the compilation, not as revisions.
  const accepted = await http.table(DOC, 'southAfrica', {
    sectionId: 'decision',
    paragraph: 6,
    op: 'insert',
    find: 'les orientations',
    text: ' formulées',
  });
  expect((await http.json('POST', `/api/amendments/${accepted.id}/accept`, 'office', { secondedInRoom: true })).status).toBe(200);
  tabled.accepted = accepted;
  await http.json('POST', `/api/amendments/${tabled.workers.id}/support`, 'france');
  await http.json('POST', `/api/amendments/${tabled.workers.id}/oppose`, 'employers');

  const thread = (as: string, body: Record<string, unknown>) =>
    http.json('POST', `/api/documents/${DOC}/threads`, as, body).then((r) => {
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { id: string };
    });
  await thread('employers', {
    sectionId: 'outcome-1',
    anchor: await anchorOn('outcome-1', '4', 'dialogue social'),
    body: 'Quel dialogue ?',
  });
  const pub = await thread('office', { sectionId: 'part-1', paragraph: 2, body: 'Note du Bureau.' });
  await http.json('POST', `/api/threads/${pub.id}/replies`, 'france', { body: 'Merci.' });
  await thread('workers', { sectionId: 'part-1', paragraph: 1, visibility: 'group', body: 'Entre nous : à négocier.' });
  await thread('france', { sectionId: 'part-1', amendmentId: tabled.workers.id, body: 'Nous appuyons.' });
});

afterAll(async () => {
  await server.stop();
});

describe('GET /api/documents/:documentId/export.docx (tracked changes)', () => {
  it('is a Word file named after the symbol, with the pending amendments as revisions by group or State', async () => {
    const res = await http.bytes(`/api/documents/${DOC}/export.docx?changes=tracked`, 'workers');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(res.headers.get('content-disposition')).toContain(`filename="GB.999-EXPORT-1_amendments_${today()}.docx"`);
    const docx = openDocx(res.bytes);
    const body = docx.part('word/document.xml');
    const found = revisions(body);
    expect(found).toContainEqual(
      expect.objectContaining({
        kind: 'del',
        text: 'soutient',
        author: 'Groupe des travailleurs',
        date: iso(tabled.workers?.createdAt ?? 0),
      }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ kind: 'ins', text: 'appuie résolument', author: 'Groupe des travailleurs' }),
    );
    expect(found).toContainEqual(expect.objectContaining({ kind: 'ins', text: ' effectif', author: 'France' }));
    expect(found).toContainEqual(
      expect.objectContaining({
        kind: 'del',
        text: ' en termes réels',
        author: 'Groupe des employeurs',
        date: iso(tabled.employers?.createdAt ?? 0),
      }),
    );
    // The accepted amendment is official text now, not a revision.
    expect(found.some((r) => r.text.includes('formulées'))).toBe(false);
    expect(textOf(body)).toContain('les orientations formulées');
    // Tracking stays on for whoever edits the file next.
    expect(docx.text('word/settings.xml')).toContain('<w:trackRevisions/>');
  });

  it('keeps paragraph numbers, headings, bullets, the box and the footnotes', async () => {
    const docx = openDocx((await http.bytes(`/api/documents/${DOC}/export.docx`, 'observer')).bytes);
    const list = paragraphs(docx.part('word/document.xml'));
    const numbered = list.filter((p) => p.style === 'NumberedPara').map((p) => p.text.split('\t')[0]);
    expect(numbered).toEqual(['1.', '2.', '3.', '4.', '5.', '6.']);
    expect(list).toContainEqual({ style: 'Heading1', text: 'I. Introduction' });
    expect(list).toContainEqual({ style: 'Heading3', text: 'Stratégie' });
    expect(list.filter((p) => p.style === 'ListBullet').map((p) => p.text)).toEqual([
      'les normes internationales du travail;',
      'le dialogue social effectif et le tripartisme;',
    ]);
    expect(list).toContainEqual({ style: 'BoxTitle', text: 'Un programme spécial' });
    expect(list).toContainEqual({ style: 'BoxText', text: 'Ce programme vise les organisations de travailleurs.' });
    const notes = elements(docx.part('word/footnotes.xml'), 'footnote').filter((f) => Number(wAttr(f, 'id')) > 0);
    expect(notes.map(textOf)).toEqual(['1 Voir aussi GB.999/INS/1.']);
    const refs = elements(docx.part('word/document.xml'), 'footnoteReference');
    expect(refs.map((r) => wAttr(r, 'id'))).toEqual(['1']);
    expect(docx.text('word/styles.xml')).toContain('w:styleId="Heading1"');
  });

  it('carries the comment threads the reader may see, anchored to the same words, replies included', async () => {
    const docx = openDocx((await http.bytes(`/api/documents/${DOC}/export.docx`, 'workers')).bytes);
    const comments = commentsWithAnchors(docx);
    expect(comments).toContainEqual(
      expect.objectContaining({
        author: 'Renate Hornung (Groupe des employeurs)',
        text: 'Quel dialogue ?',
        anchored: 'dialogue social',
      }),
    );
    expect(comments).toContainEqual(
      expect.objectContaining({
        author: 'Claire Martin (Bureau)',
        text: 'Note du Bureau.',
        anchored: expect.stringContaining('La justice sociale est au cœur du mandat'),
      }),
    );
    expect(comments).toContainEqual(expect.objectContaining({ author: 'Julien Moreau (France)', text: 'Merci.' }));
    expect(comments).toContainEqual(
      expect.objectContaining({ text: 'Nous appuyons.', anchored: 'soutientappuie résolument' }),
    );
    const mine = comments.find((c) => c.text.includes('Entre nous'));
    expect(mine?.text).toBe('[Groupe des travailleurs uniquement] Entre nous : à négocier.');
    expect(mine?.anchored).toContain('Le Bureau');
    // The reply is a reply in Word: commentsExtended links it to its parent.
    expect(docx.text('word/commentsExtended.xml')).toMatch(/w15:paraIdParent="[0-9A-F]{8}"/);
  });

  it('leaves group-only threads out of other groups’ and observers’ exports; the Office sees them', async () => {
    for (const as of ['employers', 'observer', 'france']) {
      const comments = commentsWithAnchors(openDocx((await http.bytes(`/api/documents/${DOC}/export.docx`, as)).bytes));
      expect(
        comments.some((c) => c.text.includes('Entre nous')),
        as,
      ).toBe(false);
      expect(comments.some((c) => c.text.includes('Note du Bureau'))).toBe(true);
    }
    const office = commentsWithAnchors(
      openDocx((await http.bytes(`/api/documents/${DOC}/export.docx`, 'office')).bytes),
    );
    expect(office.some((c) => c.text.includes('Entre nous'))).toBe(true);
  });

  it('carries public threads only with &comments=public, even in the Office’s copy', async () => {
    const res = await http.bytes(`/api/documents/${DOC}/export.docx?changes=tracked&comments=public`, 'office');
    expect(res.status).toBe(200);
    const comments = commentsWithAnchors(openDocx(res.bytes));
    expect(comments.some((c) => c.text.includes('Entre nous'))).toBe(false);
    expect(comments.some((c) => c.text.includes('Note du Bureau'))).toBe(true);
    expect(revisions(openDocx(res.bytes).part('word/document.xml')).length).toBeGreaterThan(0);
  });

  it('exports one section with &section=', async () => {
    const res = await http.bytes(`/api/documents/${DOC}/export.docx?changes=tracked&section=outcome-1`, 'employers');
    expect(res.headers.get('content-disposition')).toContain(`GB.999-EXPORT-1_outcome-1_amendments_${today()}.docx`);
    const list = paragraphs(openDocx(res.bytes).part('word/document.xml'));
    expect(list.filter((p) => p.style === 'NumberedPara').map((p) => p.text.split('\t')[0])).toEqual(['4.', '5.']);
  });
});

describe('GET /api/documents/:documentId/export.docx?changes=clean', () => {
  it('is the official text: no revisions, deletions not yet decided still there, insertions not', async () => {
    const res = await http.bytes(`/api/documents/${DOC}/export.docx?changes=clean`, 'france');
    expect(res.headers.get('content-disposition')).toContain(`GB.999-EXPORT-1_clean_${today()}.docx`);
    const body = openDocx(res.bytes).part('word/document.xml');
    expect(revisions(body)).toEqual([]);
    const text = textOf(body);
    expect(text).toContain('Le Bureau soutient les mandants');
    expect(text).not.toContain('appuie résolument');
    expect(text).toContain('Le budget reste stable en termes réels.');
    expect(text).toContain('les orientations formulées');
    // Not a single comment, whoever exports it.
    const office = openDocx((await http.bytes(`/api/documents/${DOC}/export.docx?changes=clean`, 'office')).bytes);
    expect(commentsWithAnchors(office)).toEqual([]);
    expect(office.part('word/document.xml').toString()).not.toContain('commentRangeStart');
  });

  it('answers 400 for an unknown mode or section, 404 for an unknown document, 401 without a session', async () => {
    expect((await http.json('GET', `/api/documents/${DOC}/export.docx?changes=all`, 'france')).status).toBe(400);
    expect((await http.json('GET', `/api/documents/${DOC}/export.docx?comments=none`, 'france')).status).toBe(400);
    expect((await http.json('GET', `/api/documents/${DOC}/export.docx?section=nope`, 'france')).status).toBe(404);
    expect((await http.json('GET', '/api/documents/gb-0-none/export.docx', 'france')).status).toBe(404);
    expect((await http.json('GET', `/api/documents/${DOC}/export.docx`, null)).status).toBe(401);
  });
});

describe('the compilation', () => {
  it('as HTML: a cover, then per paragraph each amendment with its location, two columns, who, rationale, votes and decision', async () => {
    const res = await http.raw('GET', `/api/documents/${DOC}/compilation.html`, 'observer');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(`GB.999-EXPORT-1_compilation_${today()}.html`);
    const html = await res.text();
    const order = ['Paragraphe 1', 'Paragraphe 3', 'Paragraphe 5', 'Paragraphe 6'].map((h) => html.indexOf(h));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] ?? 0)))).toBe(true);
    // The cover: session (none for this symbol), original language, counts by group.
    expect(html).toContain('Langue originale</strong>\u00a0: Français');
    expect(html).toMatch(/Groupe des travailleurs<\/th><td>1<\/td>/);
    expect(html).toMatch(/Total<\/th><td>4<\/td>/);
    expect(html).toContain(`${tabled.workers?.ref}</span> <span class="location">Paragraphe 1</span>`);
    expect(html).toContain('Texte original</th><th scope="col">Amendement');
    // Original column: the words concerned in bold italic; amendment column: struck, then bold italic.
    expect(html).toContain('Le Bureau <b><i>soutient</i></b> les mandants');
    expect(html).toContain('<del>soutient</del><ins><b><i>appuie résolument</i></b></ins>');
    expect(html).toContain('Groupe des travailleurs (saisi par Kwame Mensah)');
    // An accepted amendment in its paragraph's words, not as a bare fragment.
    expect(html).toContain('prendre en compte les orientations<ins><b><i> formulées</i></b></ins>');
    // The index by sponsor.
    expect(html).toMatch(/Index par auteur.*Afrique du Sud/s);
    expect(html).toContain('Plus fort.');
    expect(html).toMatch(/Groupe gouvernemental<\/th><td>France<\/td><td>—<\/td>/);
    expect(html).toMatch(/Groupe des employeurs<\/th><td>—<\/td><td>Groupe des employeurs<\/td>/);
    expect(html).toContain('Accepté — Claire Martin');
    expect(html).toContain('@page');
  });

  it('as DOCX: the same content in a Word file', async () => {
    const res = await http.bytes(`/api/documents/${DOC}/compilation.docx`, 'employers');
    expect(res.headers.get('content-disposition')).toContain(`GB.999-EXPORT-1_compilation_${today()}.docx`);
    const body = openDocx(res.bytes).part('word/document.xml');
    const text = textOf(body);
    expect(text).toContain('Compilation des amendements');
    for (const a of Object.values(tabled)) expect(text).toContain(a.ref);
    expect(text).toContain('Plus fort.');
    expect(revisions(body)).toEqual([]);
    expect(elements(body, 'strike').length).toBeGreaterThan(0);
  });
});

describe('GET /api/documents/:documentId/akn.xml', () => {
  it('is well-formed Akoma Ntoso: a doc with numbered paragraphs and an amendmentList that references them', async () => {
    const res = await http.raw('GET', `/api/documents/${DOC}/akn.xml`, 'observer');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`GB.999-EXPORT-1_akn_${today()}.xml`);
    const xml = await res.text();
    const root = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'application/xml').documentElement as XmlElement;
    const AKN = 'http://docs.oasis-open.org/legaldocml/ns/akn/3.0';
    expect(root.localName).toBe('akomaNtoso');
    expect(root.namespaceURI).toBe(AKN);
    const all = (name: string) => Array.from(root.getElementsByTagNameNS(AKN, name));
    const paragraphEids = all('paragraph').map((p) => p.getAttribute('eId'));
    expect(paragraphEids).toEqual(['para_1', 'para_2', 'para_3', 'para_4', 'para_5', 'para_6']);
    const eids = Array.from(root.getElementsByTagName('*'))
      .map((e) => e.getAttribute('eId'))
      .filter((e): e is string => !!e);
    expect(new Set(eids).size).toBe(eids.length);
    const amendments = all('amendment');
    expect(amendments.length).toBe(Object.keys(tabled).length);
    for (const mod of all('textualMod')) {
      const href = mod.getElementsByTagNameNS(AKN, 'destination')[0]?.getAttribute('href') ?? '';
      expect(eids).toContain(href.replace(/^#/, ''));
      const source = mod.getElementsByTagNameNS(AKN, 'source')[0]?.getAttribute('href') ?? '';
      expect(eids).toContain(source.replace(/^#/, ''));
    }
    expect(xml).toContain('<amendmentJustification><p>Plus fort.</p></amendmentJustification>');
    expect(all('authorialNote').map((n) => n.getAttribute('marker'))).toEqual(['1']);
    // The official text: proposals are not in the document's paragraphs.
    expect(textOfAkn(all('paragraph')[0])).toContain('Le Bureau soutient les mandants');
    expect(textOfAkn(all('paragraph')[0])).not.toContain('appuie');
  });
});

function textOfAkn(el: XmlElement | undefined): string {
  return el?.textContent ?? '';
}
