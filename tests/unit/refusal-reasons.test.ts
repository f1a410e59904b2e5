import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, catalogue, loadCatalogue } from '../../client/i18n/messages';
import { whyCannotDecide, whyCannotVote } from '../../server/policies/amendments.js';
import { refusalError } from '../../server/policies/refusal.js';
import { whyPastDeadline } from '../../server/policies/rounds.js';
import { REFUSAL_REASONS } from '../../shared/refusals.js';

const SERVER = path.resolve(__dirname, '../../server');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourcesUnder(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

const delegate = { id: 'u1', role: 'delegate' as const, group: 'workers' as const, memberState: null };

describe('refusal reasons: every refusal the server can give, in every UI language', () => {
  beforeAll(async () => {
    // The UI fetches French and Spanish when chosen; here every catalogue is wanted at once.
    await Promise.all(LANGUAGES.map((language) => loadCatalogue(language)));
  });

  for (const language of LANGUAGES) {
    it(`the ${language} catalogue words every reason code`, () => {
      const messages = catalogue(language) as Record<string, string>;
      const missing = REFUSAL_REASONS.filter((code) => typeof messages[`refusal.reason.${code}`] !== 'string');
      expect(missing).toEqual([]);
    });
  }

  it('every policy refusal names its reason (no bare forbid()/conflict() left in the server)', () => {
    const bare = sourcesUnder(SERVER)
      .filter((file) => !file.endsWith(path.join('policies', 'refusal.ts')))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, where: `${path.relative(SERVER, file)}:${i + 1}` }))
          .filter(({ line }) => /(^|[^\w.])(forbid|conflict)\(/.test(line))
          .map(({ where }) => where),
      );
    expect(bare).toEqual([]);
  });

  it('every 409 the server answers carries a reason code (no bare HttpError(409, …) left)', () => {
    const bare = sourcesUnder(SERVER).flatMap((file) => {
      const lines = readFileSync(file, 'utf8').split('\n');
      return lines.flatMap((line, i) =>
        /new HttpError\(\s*(409\b|$)/.test(line) &&
        (/409\b/.test(line) || /^\s*409\b/.test(lines[i + 1] ?? '')) &&
        !lines.slice(i, i + 6).some((l) => l.includes('.reason ='))
          ? [`${path.relative(SERVER, file)}:${i + 1}`]
          : [],
      );
    });
    expect(bare).toEqual([]);
  });

  it('every reason code is one the server gives', () => {
    const source = sourcesUnder(SERVER)
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const unused = REFUSAL_REASONS.filter((code) => !source.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('travels in the HTTP error body with its parameters', () => {
    const amendment = { ref: 'A-7', ownerKey: 'workers', status: 'proposed' as const };
    const error = refusalError(whyCannotVote(delegate, amendment) ?? expect.unreachable());
    expect(error.reason).toEqual({ code: 'vote_own', params: { ref: 'A-7', ownerKey: 'workers' } });
    expect(refusalError(whyCannotDecide(delegate, amendment) ?? expect.unreachable()).reason).toEqual({
      code: 'decide_office_only',
      params: {},
    });
    const round = {
      number: 2,
      closedAt: null,
      amendmentDeadline: 10,
      subAmendmentDeadline: 20,
    } as unknown as Parameters<typeof whyPastDeadline>[1];
    const late = whyPastDeadline(delegate, round, 'amendment', 15);
    expect(late).toMatchObject({
      code: 'deadline_passed',
      why: 'deadline_passed',
      params: { n: 2, kind: 'amendment', deadline: 10 },
    });
  });
});
