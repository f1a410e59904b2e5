import path from 'node:path';
import type { Page } from '@playwright/test';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { DOCUMENT_ID, SCREENSHOTS, editorParagraph, expect, liveSection, openAs, settle, test } from './fixtures.js';

const PARAGRAPH = 27;
const SECTION = 'output-1-1';

/** Puts the caret at the very start of paragraph `n`'s text and types. */
async function typeAtStart(page: Page, n: number, text: string): Promise<void> {
  await editorParagraph(page, n)
    .locator('p')
    .first()
    .click({ position: { x: 1, y: 4 } });
  await page.keyboard.type(text, { delay: 15 });
}

async function sectionText(page: Page, sectionId: string): Promise<string> {
  const res = await page.request.get(`/api/documents/${DOCUMENT_ID}/sections/${sectionId}`);
  return ((await res.json()) as { text: string }).text;
}

/** A y-websocket "sync update" message inserting a paragraph at the start of a section, built by hand. */
function forgedUpdateMessage(words: string): number[] {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(words)]);
  doc.getXmlFragment('default').insert(0, [paragraph]);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // messageSync
  encoding.writeVarUint(encoder, 2); // messageYjsUpdate
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc));
  return [...encoding.toUint8Array(encoder)];
}

/**
 * Opens a raw websocket from the page (its cookie authenticates), sends the bytes, reports what
 * happened: `closed <code>`, or `sent` once the server has handled them — a sync step 1 sent right
 * after is answered (step 2) only after the section's queue has judged, stored and relayed the bytes.
 */
function forceWrite(page: Page, sectionId: string, bytes: number[]): Promise<string> {
  return page.evaluate(
    ({ room, bytes }) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/collab/${room}`);
        ws.binaryType = 'arraybuffer';
        ws.onopen = () => {
          // As a stock client does, answer first with a sync step 2 (empty here): until a connection's first
          // step 2 the server holds its updates (up to a second), and the barrier would come back first.
          ws.send(new Uint8Array([0, 1, 2, 0, 0]));
          ws.send(new Uint8Array(bytes));
          // messageSync, syncStep1, an empty state vector: the barrier.
          ws.send(new Uint8Array([0, 0, 1, 0]));
        };
        ws.onmessage = (e) => {
          const answer = new Uint8Array(e.data as ArrayBuffer);
          if (answer[0] !== 0 || answer[1] !== 1) return;
          resolve('sent');
          ws.close();
        };
        ws.onclose = (e) => resolve(`closed ${e.code}`);
      }),
    { room: `${DOCUMENT_ID}/${sectionId}`, bytes },
  );
}

test.describe('live co-editing', () => {
  test('two delegates co-edit a paragraph and see each other’s text and named caret; an observer follows read-only', async ({
    browser,
    concord,
  }) => {
    // Three browsers on one text: about 36 s on a quiet machine, past the default 45 s under load.
    test.setTimeout(90_000);
    const fr = await openAs(browser, concord.url, 'gov-fr', `#p${PARAGRAPH}`);
    const emp = await openAs(browser, concord.url, 'employers', `#p${PARAGRAPH}`);
    const obs = await openAs(browser, concord.url, 'observer', `#p${PARAGRAPH}`);
    for (const { page } of [fr, emp])
      await expect(page.locator(`[data-section-id="${SECTION}"] [data-editable="true"]`)).toBeVisible();
    await expect(liveSection(obs.page, SECTION)).toBeVisible();

    await typeAtStart(fr.page, PARAGRAPH, 'France propose: ');
    await expect(editorParagraph(emp.page, PARAGRAPH)).toContainText('France propose: ');
    await expect(emp.page.locator('.collaboration-carets__label', { hasText: 'Julien Moreau' })).toBeVisible();

    await typeAtStart(emp.page, PARAGRAPH + 1, 'Les employeurs ajoutent: ');
    await expect(editorParagraph(fr.page, PARAGRAPH + 1)).toContainText('Les employeurs ajoutent: ');
    const label = fr.page.locator('.collaboration-carets__label', { hasText: 'Renate Hornung' });
    await expect(label).toBeVisible();
    // The Employers' colour, as the server assigned it (shared/roles.ts).
    await expect(label).toHaveCSS('background-color', 'rgb(138, 75, 0)');

    // Presence: each sees the other in the document and in the section.
    await expect(fr.page.getByTestId('document-presence').locator('[data-name="Renate Hornung"]')).toHaveCount(1);
    await expect(
      fr.page.locator(`[data-section-id="${SECTION}"] .doc-section__people [data-name="Renate Hornung"]`),
    ).toHaveCount(1);
    await fr.page.getByTestId('document-presence').locator('summary').click();
    await expect(fr.page.getByTestId('document-presence')).toContainText('Renate Hornung');
    await expect(fr.page.getByTestId('document-presence')).toContainText('Employers');
    await fr.page.getByTestId('document-presence').locator('summary').click();
    await settle(fr.page);
    await fr.page.screenshot({ path: path.join(SCREENSHOTS, 'two-carets.png') });

    // The observer sees both edits live, has no caret, and no one sees an observer's caret.
    await expect(editorParagraph(obs.page, PARAGRAPH)).toContainText('France propose: ');
    await expect(editorParagraph(obs.page, PARAGRAPH + 1)).toContainText('Les employeurs ajoutent: ');
    await expect(obs.page.getByTestId('read-only-badge')).toHaveText('Read only');
    await expect(obs.page.locator(`[data-section-id="${SECTION}"] .ProseMirror`)).toHaveAttribute(
      'contenteditable',
      'false',
    );
    await expect(obs.page.locator('[data-editable="true"]')).toHaveCount(0);
    await settle(obs.page);
    await obs.page.screenshot({ path: path.join(SCREENSHOTS, 'observer.png') });

    const before = await sectionText(fr.page, SECTION);
    await editorParagraph(obs.page, PARAGRAPH)
      .locator('p')
      .first()
      .click({ position: { x: 1, y: 4 } });
    await obs.page.keyboard.type('OBSERVATEUR');
    await obs.page.keyboard.press('Backspace');
    await expect(editorParagraph(obs.page, PARAGRAPH)).not.toContainText('OBSERVATEU');
    await expect(fr.page.locator('.collaboration-carets__label', { hasText: 'Ana Sousa' })).toHaveCount(0);

    // A write forced from the observer's page, past the UI, is refused by the server.
    const outcome = await forceWrite(obs.page, SECTION, forgedUpdateMessage('ÉCRIT PAR UN OBSERVATEUR'));
    expect(outcome === 'sent' || outcome.startsWith('closed')).toBe(true);
    await expect(fr.page.locator(`[data-section-id="${SECTION}"] .ProseMirror`)).not.toContainText('OBSERVATEUR');
    expect(await sectionText(fr.page, SECTION)).toBe(before);
    expect(await sectionText(obs.page, SECTION)).not.toContain('OBSERVATEUR');

    // From a delegate's page the same raw write is refused too: delegates may only suggest.
    const refused = await forceWrite(emp.page, SECTION, forgedUpdateMessage('Écrit par un délégué'));
    expect(refused).toMatch(/^closed 4409/);
    expect(await sectionText(fr.page, SECTION)).not.toContain('Écrit par un délégué');

    // From the Office's page it is accepted: the forged write is a real one.
    const office = await openAs(browser, concord.url, 'office', `#p${PARAGRAPH}`);
    await forceWrite(office.page, SECTION, forgedUpdateMessage('Écrit par le Bureau'));
    await expect(fr.page.locator(`[data-section-id="${SECTION}"] .ProseMirror`)).toContainText('Écrit par le Bureau');
    expect(await sectionText(fr.page, SECTION)).toContain('Écrit par le Bureau');

    for (const s of [fr, emp, obs, office]) await s.context.close();
  });
});
