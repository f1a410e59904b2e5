import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  HeadingLevel,
  InsertedTextRun,
  Packer,
  Paragraph,
  TextRun,
} from 'docx';
import { DOCUMENT_ID, expect, signIn, test } from './fixtures.js';

/**
 * A delegate's Word file, as their own tools write it: a revision of paragraph 27 with a Word comment
 * saying why, and a revision in a heading (which cannot be tabled).
 */
async function delegateFile(): Promise<Buffer> {
  const revision = { author: 'Thandi Nkosi', date: '2026-11-20T09:30:00Z' };
  const doc = new Document({
    comments: {
      children: [
        {
          id: 0,
          author: 'Thandi Nkosi',
          date: new Date('2026-11-20T09:30:00Z'),
          children: [new Paragraph({ children: [new TextRun('Le mot « capitale » dit mieux la priorité.')] })],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({
            heading: HeadingLevel.HEADING_2,
            children: [new TextRun('Normes '), new InsertedTextRun({ text: 'fondamentales', id: 1, ...revision })],
          }),
          new Paragraph({
            children: [
              new TextRun(
                '27.\tL’élaboration, la promotion, la ratification des normes internationales du travail et le contrôle de leur application revêtent une importance ',
              ),
              new CommentRangeStart(0),
              new DeletedTextRun({ text: 'fondamentale', id: 2, ...revision }),
              new InsertedTextRun({ text: 'capitale', id: 3, ...revision }),
              new CommentRangeEnd(0),
              new TextRun({ children: [new CommentReference(0)] }),
              new TextRun(' pour l’OIT.'),
            ],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

test('Word in, in French: the Word comment is the editable rationale, reasons are in French, the edited rationale is tabled', async ({
  browser,
  concord,
}) => {
  const context = await browser.newContext({
    baseURL: concord.url,
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
  });
  const page = await context.newPage();
  await signIn(page, 'gov-za');
  await page.goto(`/d/${DOCUMENT_ID}#p27`);
  await expect(page.getByTestId('document-symbol')).toHaveText('GB.346/PFA/1');

  await page.getByTestId('export-menu').locator('summary').click();
  await page.getByTestId('import-open').click();
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog.getByRole('heading', { name: 'Importer des amendements depuis Word' })).toBeVisible();
  await dialog.getByTestId('import-file').setInputFiles({
    name: 'amendements.docx',
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    buffer: await delegateFile(),
  });
  await dialog.getByRole('button', { name: 'Lire le fichier' }).click();
  await expect(dialog.getByText('1 amendement trouvé')).toBeVisible();

  // The heading's revision is not placed, and says why in the reader's language.
  await expect(dialog.getByText('1 modification non placée')).toBeVisible();
  await expect(dialog.locator('.import-dialog__why')).toHaveText(
    'La modification porte sur un titre ; les amendements ne modifient que les paragraphes numérotés.',
  );

  // The Word comment anchored on the revision is its rationale, editable before tabling.
  const rationale = dialog.locator('[data-testid^="import-rationale-"]');
  await expect(rationale).toHaveValue('Le mot « capitale » dit mieux la priorité.');
  await rationale.fill('« Capitale » : la priorité de la période.');
  await dialog.getByTestId('import-table').click();
  const tabled = dialog.getByText(/^Présenté sous A-\d+$/);
  await expect(tabled).toBeVisible();
  await expect(rationale).toHaveJSProperty('readOnly', true);

  const ref = (await tabled.textContent())?.replace('Présenté sous ', '') ?? '';
  const list = (await (await page.request.get(`/api/documents/${DOCUMENT_ID}/amendments`)).json()) as {
    amendments?: { ref: string; rationale: string; proposedText: string }[];
  };
  const amendments = Array.isArray(list) ? (list as NonNullable<typeof list.amendments>) : (list.amendments ?? []);
  const record = amendments.find((a) => a.ref === ref);
  expect(record?.proposedText).toBe('capitale');
  expect(record?.rationale).toBe('« Capitale » : la priorité de la période.');
  await context.close();
});
