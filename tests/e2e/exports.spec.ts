import { unzipSync } from 'fflate';
import { expect, openAs, test } from './fixtures.js';

test('the Export menu downloads the document as Word with tracked changes, named after its symbol', async ({
  browser,
  concord,
}) => {
  const office = await openAs(browser, concord.url, 'office', '#p27');
  await office.page.getByTestId('export-menu').locator('summary').click();
  const [download] = await Promise.all([
    office.page.waitForEvent('download'),
    office.page.getByTestId('export-tracked').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^GB\.346-PFA-1_amendments_\d{4}-\d{2}-\d{2}\.docx$/);
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  const files = unzipSync(new Uint8Array(await readFile(path)));
  const documentXml = new TextDecoder().decode(files['word/document.xml']);
  // The whole document, paragraph numbers as printed.
  expect(documentXml).toContain('27.');
  expect(documentXml).toContain('Le Conseil d’administration prie le Directeur général');
  await office.context.close();
});
