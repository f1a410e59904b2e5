import { readFile } from 'node:fs/promises';
import { importDocument } from '../server/commands/importDocument.js';
import { loadConfig } from '../server/config.js';
import { openStore } from '../server/storage/openStore.js';
import { importGbDocument } from './importer/index.js';

/**
 * `npm run import -- <file> [--language fr]`: imports a GB document extracted from PDF into the store
 * of the deployment configured by the environment (DATA_DIR). A running server sees it at once: the
 * outline is read from the store on every request.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const langIndex = args.indexOf('--language');
  const language = langIndex >= 0 ? args[langIndex + 1] : undefined;
  if (!file) {
    console.error('Usage: npm run import -- <file.txt> [--language fr|en|es]');
    process.exitCode = 2;
    return;
  }
  const imported = importGbDocument(await readFile(file, 'utf8'), language ? { language } : {});
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
