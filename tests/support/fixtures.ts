import { randomUUID } from 'node:crypto';
import type { ImportedDocument } from '../../shared/document.js';
import type { Group, Role } from '../../shared/roles.js';
import { hashPassword } from '../../server/auth/passwords.js';
import type { Store, UserRecord } from '../../server/storage/Store.js';

export const TEST_PASSWORD = 'correct horse battery';

let cachedHash: Promise<string> | null = null;

/** Creates a user; all test users share one password hash (scrypt is deliberately slow). */
export async function buildUser(
  store: Store,
  overrides: Partial<{
    username: string;
    name: string;
    role: Role;
    group: Group | null;
    memberState: string | null;
    demo: boolean;
  }> = {},
): Promise<UserRecord> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const role = overrides.role ?? 'delegate';
  return store.createUser({
    id: randomUUID(),
    username: overrides.username ?? `user-${randomUUID().slice(0, 8)}`,
    name: overrides.name ?? 'Test User',
    role,
    group: overrides.group !== undefined ? overrides.group : role === 'delegate' ? 'workers' : null,
    memberState: overrides.memberState ?? null,
    passwordHash: await cachedHash,
    demo: overrides.demo ?? false,
  });
}

/** A small document in the shape the importer produces: two sections, three numbered paragraphs. */
export function buildDocument(id = 'gb-999-test-1'): ImportedDocument {
  const para = (n: number, text: string) => ({
    type: 'numberedParagraph',
    attrs: { number: String(n) },
    content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
  });
  return {
    id,
    symbol: 'GB.999/TEST/1',
    title: 'Document de test',
    language: 'fr',
    sections: [
      {
        id: 'part-1',
        kind: 'part',
        label: 'I',
        title: 'Introduction',
        parentId: null,
        paragraphs: [1, 2],
        content: {
          type: 'doc',
          content: [
            { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'I. Introduction' }] },
            para(1, 'Premier paragraphe du texte.'),
            {
              type: 'numberedParagraph',
              attrs: { number: '2' },
              content: [
                {
                  type: 'paragraph',
                  content: [
                    { type: 'text', text: 'Deuxième paragraphe' },
                    { type: 'footnote', attrs: { marker: '1', text: 'Voir aussi GB.999/INS/1.' } },
                    { type: 'text', text: ' avec une note.' },
                  ],
                },
              ],
            },
          ],
        },
      },
      {
        id: 'decision',
        kind: 'decision',
        label: 'Projet de décision',
        title: 'Projet de décision',
        parentId: null,
        paragraphs: [3],
        content: {
          type: 'doc',
          content: [
            { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Projet de décision' }] },
            para(3, 'Le Conseil d’administration prie le Directeur général de prendre en compte les orientations.'),
          ],
        },
      },
    ],
  };
}
