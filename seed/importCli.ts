import { readFile } from 'node:fs/promises';
import { importDocument } from '../server/commands/importDocument.js';
import { loadConfig } from '../server/config.js';
import { openStore } from '../server/storage/openStore.js';
import { importGbDocument } from './importer/index.js';

/**
 * `npm run import -- <file> [--language fr] [--date YYYY-MM-DD]`: imports a GB document extracted from PDF into the store
 * of the deployment configured by the environment (DATA_DIR). A running server sees it at once: the
 * outline is read from the store on every request.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const langIndex = args.indexOf('--language');
  const language = langIndex >= 0 ? args[langIndex + 1] : undefined;
  const dateIndex = args.indexOf('--date');
  const date = dateIndex >= 0 ? args[dateIndex + 1] : undefined;
  const usage = 'Usage: npm run import -- <file.txt> [--language fr|en|es] [--date YYYY-MM-DD]';
  const validDate =
    date === undefined || (/^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`)));
  if (!file || file === date || file === language || !validDate) {
    console.error(validDate ? usage : `--date: give the document's date as YYYY-MM-DD.\n${usage}`);
    process.exitCode = 2;
    return;
  }
  const imported = importGbDocument(await readFile(file, 'utf8'), language ? { language } : {});
  if (date) imported.date = { value: date, name: 'document' };
  const config = loadConfig();
  const store = openStore(config);
  try {
    const { created, kept } = await importDocument(store, imported);
    const paragraphs = imported.sections.reduce((n, s) => n + s.paragraphs.length, 0);
    console.log(
      `Imported ${imported.symbol} as "${imported.id}" into ${config.dataDir}: ${imported.sections.length} sections, ` +
        `${paragraphs} numbered paragraphs (${created} sections created, ${kept} kept their existing text).`,
    );
  } finally {
    await store.close();
  }
}

void main();
