import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Group, Role } from '../../shared/roles.js';
import { importGbDocument } from '../../seed/importer/index.js';
import { hashPassword } from '../auth/passwords.js';
import type { Store } from '../storage/Store.js';
import { DEMO_REGIONAL_GROUPS } from './demoRegions.js';
import { importDocument } from './importDocument.js';

export const DEMO_PASSWORD = 'concord-demo';

export const SEED_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../seed/GB.346-PFA-1.fr.txt');

interface DemoAccount {
  username: string;
  name: string;
  role: Role;
  group: Group | null;
  memberState: string | null;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'office', name: 'Claire Martin', role: 'secretariat', group: null, memberState: null },
  { username: 'gov-fr', name: 'Julien Moreau', role: 'delegate', group: 'government', memberState: 'FR' },
  { username: 'gov-za', name: 'Thandiwe Nkosi', role: 'delegate', group: 'government', memberState: 'ZA' },
  // Delegates of the regional groups' done-when path (issue 13): a second South African, Nigeria, Brazil.
  { username: 'gov-za-2', name: 'Sipho Dlamini', role: 'delegate', group: 'government', memberState: 'ZA' },
  { username: 'gov-ng', name: 'Chinedu Eze', role: 'delegate', group: 'government', memberState: 'NG' },
  { username: 'gov-br', name: 'Ana Lima', role: 'delegate', group: 'government', memberState: 'BR' },
  { username: 'employers', name: 'Renate Hornung', role: 'delegate', group: 'employers', memberState: null },
  { username: 'workers', name: 'Kwame Mensah', role: 'delegate', group: 'workers', memberState: null },
  { username: 'observer', name: 'Ana Sousa', role: 'observer', group: null, memberState: null },
];

/**
 * Sets up the demo on an empty store: the seed document and the demo accounts. Returns false if not
 * empty. Several processes starting at once on one PostgreSQL database set it up once: the check and
 * the set-up run under one lock, so the others find it done.
 */
export async function setUpDemoIfEmpty(store: Store): Promise<boolean> {
  const setUp = () => setUpIfEmpty(store);
  return store.exclusively ? store.exclusively('demo', setUp) : setUp();
}

async function setUpIfEmpty(store: Store): Promise<boolean> {
  const [users, documents] = await Promise.all([store.listUsers(), store.listDocuments()]);
  if (users.length > 0 || documents.length > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const account of DEMO_ACCOUNTS) {
    await store.createUser({ id: randomUUID(), ...account, passwordHash, demo: true });
  }
  for (const group of DEMO_REGIONAL_GROUPS) await store.saveRegionalGroup(group);
  const imported = importGbDocument(await readFile(SEED_FILE, 'utf8'));
  await importDocument(store, imported);
  return true;
}
