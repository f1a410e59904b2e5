import { parseArgs } from 'node:util';
import { REGION_CODE_PATTERN } from '../../shared/ownerKey.js';
import { RegionalGroup } from '../../shared/regions.js';
import { stateCode } from '../../shared/states.js';
import { loadConfig } from '../config.js';
import { openStore } from '../storage/openStore.js';

const USAGE = `Usage:
  npm run groups -- add <CODE> --name-en "Africa group" --name-fr "Groupe de l'Afrique" --name-es "Grupo de África"
                   [--short AFR] --members ZA,NG,KE     (adds, or replaces the group of that code)
  npm run groups -- members <CODE> --members ZA,NG      (replaces its member States)
  npm run groups -- members <CODE>                      (lists them)
  npm run groups -- remove <CODE>
  npm run groups -- list
  Members are ISO 3166-1 alpha-2 codes or English names.`;

/** Member States from a comma-separated list, as codes; throws with the entries it cannot read. */
function statesOf(list: string): string[] {
  const entries = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = entries.filter((s) => stateCode(s) === null);
  if (unknown.length > 0) throw new Error(`not a State: ${unknown.join(', ')}`);
  return [...new Set(entries.map((s) => stateCode(s) as string))];
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'name-en': { type: 'string' },
      'name-fr': { type: 'string' },
      'name-es': { type: 'string' },
      short: { type: 'string' },
      members: { type: 'string' },
    },
  });
  const [command, rawCode] = positionals;
  const code = rawCode?.toUpperCase();
  if (command !== 'list' && (!code || !REGION_CODE_PATTERN.test(code))) {
    console.error(`${code ? `"${rawCode}" is not a group code (capitals, digits, - or _).\n\n` : ''}${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const store = openStore(loadConfig());
  try {
    const groups = await store.listRegionalGroups();
    const existing = groups.find((g) => g.code === code);
    if (command === 'list') {
      for (const g of groups) console.log(`${g.code}\t${g.shortName}\t${g.nameEn}\t${g.members.join(',')}`);
      return;
    }
    if (command === 'remove') {
      if (!(await store.removeRegionalGroup(code as string))) {
        console.error(`There is no group ${code}.`);
        process.exitCode = 1;
        return;
      }
      console.log(`Removed ${code}.`);
      return;
    }
    if (command === 'members') {
      if (!existing) {
        console.error(`There is no group ${code}.`);
        process.exitCode = 1;
        return;
      }
      if (values.members === undefined) {
        console.log(existing.members.join('\n'));
        return;
      }
      const members = statesOf(values.members);
      await store.saveRegionalGroup({ ...existing, members });
      console.log(`${code} now has ${members.length} member States.`);
      return;
    }
    if (command !== 'add') {
      console.error(USAGE);
      process.exitCode = 2;
      return;
    }
    const parsed = RegionalGroup.safeParse({
      code,
      nameEn: values['name-en'] ?? existing?.nameEn,
      nameFr: values['name-fr'] ?? existing?.nameFr,
      nameEs: values['name-es'] ?? existing?.nameEs,
      shortName: values.short ?? existing?.shortName ?? code,
      members: values.members !== undefined ? statesOf(values.members) : (existing?.members ?? []),
    });
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
      console.error(`Cannot add ${code}: check ${fields}.\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    await store.saveRegionalGroup(parsed.data);
    console.log(`${existing ? 'Replaced' : 'Added'} ${code} (${parsed.data.members.length} member States).`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  } finally {
    await store.close();
  }
}

void main();
