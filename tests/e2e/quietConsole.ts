/**
 * The quiet console's former opt-in entry: every `test` of fixtures.ts now checks the console of every
 * page it opens (consoleWatch.ts), so `quietTest` is that same test, kept for the specs that import it.
 */
export { expect, test as quietTest } from './fixtures.js';
export { allowConsole, unexpectedConsole, watchConsole } from './consoleWatch.js';
