import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/auth/passwords.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-cli-'));

/** Runs one of the package's scripts as `npm run` would, against the temporary data folder. */
function script(file: string, args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ['--import', 'tsx', path.join(ROOT, file), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, ...env },
  });
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('command-line tools', () => {
  it('`npm run import` imports a GB document into the store; importing it again keeps every section’s text', async () => {
    const first = await script('seed/importCli.ts', [path.join(ROOT, 'seed/GB.346-PFA-1.fr.txt')]);
    expect(first.stdout).toMatch(/Imported GB\.346\/PFA\/1 as "gb-346-pfa-1".*60 sections, 204 numbered paragraphs/);
    const store = new SqliteStore(path.join(dataDir, 'concord.sqlite'));
    try {
      const outline = await store.getDocument('gb-346-pfa-1');
      expect(outline?.sections.flatMap((s) => s.paragraphs)).toEqual(Array.from({ length: 204 }, (_, i) => i + 1));
      expect(outline?.date).toEqual({ value: new Date().toISOString().slice(0, 10), name: 'import' });
    } finally {
      await store.close();
    }
    const again = await script('seed/importCli.ts', [
      path.join(ROOT, 'seed/GB.346-PFA-1.fr.txt'),
      '--date',
      '2023-02-10',
    ]);
    expect(again.stdout).toMatch(/0 sections created, 60 kept their existing text/);
    const reread = new SqliteStore(path.join(dataDir, 'concord.sqlite'));
    try {
      // The document's own date, given at import, replaces the day of the first import.
      expect((await reread.getDocument('gb-346-pfa-1'))?.date).toEqual({ value: '2023-02-10', name: 'document' });
    } finally {
      await reread.close();
    }
  });

  it('`npm run user -- add` creates an account that signs in, and refuses bad input', async () => {
    const added = await script('server/cli/user.ts', [
      'add',
      'gov-br',
      '--name',
      'Ana Lima',
      '--role',
      'delegate',
      '--group',
      'government',
      '--state',
      'Brazil',
      '--password',
      'a long enough password',
    ]);
    expect(added.stdout).toContain('Added gov-br (delegate, government).');
    const store = new SqliteStore(path.join(dataDir, 'concord.sqlite'));
    try {
      const user = await store.findUserByUsername('gov-br');
      expect(user).toMatchObject({
        name: 'Ana Lima',
        role: 'delegate',
        group: 'government',
        memberState: 'BR',
        demo: false,
      });
      expect(await verifyPassword('a long enough password', user?.passwordHash ?? '')).toBe(true);
    } finally {
      await store.close();
    }
    const refused = script('server/cli/user.ts', [
      'add',
      'observer-2',
      '--name',
      'X',
      '--role',
      'observer',
      '--group',
      'workers',
      '--password',
      'short',
    ]);
    await expect(refused).rejects.toMatchObject({
      stderr: expect.stringMatching(/at least 8 characters.*delegates need --group/s),
    });
    const list = await script('server/cli/user.ts', ['list']);
    expect(list.stdout).toMatch(/gov-br\tdelegate government \(BR — Brazil\)\tAna Lima/);
  });
  it('`npm run groups` adds, lists, changes the members of and removes a regional group; refuses what is not a State', async () => {
    const added = await script('server/cli/groups.ts', [
      'add',
      'SADC',
      '--name-en',
      'Southern African group',
      '--name-fr',
      "Groupe de l'Afrique australe",
      '--name-es',
      'Grupo de África Austral',
      '--short',
      'SADC',
      '--members',
      'ZA,Namibia,bw',
    ]);
    expect(added.stdout).toContain('Added SADC (3 member States).');
    expect((await script('server/cli/groups.ts', ['list'])).stdout).toMatch(
      /^SADC\tSADC\tSouthern African group\tBW,NA,ZA$/m,
    );
    await expect(script('server/cli/groups.ts', ['members', 'SADC', '--members', 'ZA,Atlantis'])).rejects.toMatchObject(
      {
        stderr: expect.stringContaining('not a State: Atlantis'),
      },
    );
    const changed = await script('server/cli/groups.ts', ['members', 'SADC', '--members', 'ZA,ZW']);
    expect(changed.stdout).toContain('SADC now has 2 member States.');
    expect((await script('server/cli/groups.ts', ['members', 'SADC'])).stdout.trim().split('\n')).toEqual(['ZA', 'ZW']);
    const store = new SqliteStore(path.join(dataDir, 'concord.sqlite'));
    try {
      expect((await store.listRegionalGroups()).find((g) => g.code === 'SADC')).toMatchObject({
        nameFr: "Groupe de l'Afrique australe",
        members: ['ZA', 'ZW'],
      });
    } finally {
      await store.close();
    }
    expect((await script('server/cli/groups.ts', ['remove', 'SADC'])).stdout).toContain('Removed SADC.');
    await expect(script('server/cli/groups.ts', ['remove', 'SADC'])).rejects.toMatchObject({
      stderr: expect.stringContaining('There is no group SADC.'),
    });
    expect((await script('server/cli/groups.ts', ['list'])).stdout).not.toContain('SADC');
  });
});
