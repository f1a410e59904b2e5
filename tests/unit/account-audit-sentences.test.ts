import { describe, expect, it } from 'vitest';
import { type Language, formatMessage, loadCatalogue, messageOf } from '../../client/i18n/messages.js';
import { auditSentence } from '../../client/whatsNew/sentences.js';
import type { Translate } from '../../client/i18n/index.js';
import type { AuditEntry } from '../../shared/audit.js';

/** The account actions server/routes/accounts.ts audits, and the sign-ins server/routes/session.ts audits. */
const ACTIONS = [
  'user.created',
  'user.edited',
  'user.deactivated',
  'user.reactivated',
  'user.password_reset',
  'user.sign_in_link_created',
  'session.sign_in_failed',
  'session.signed_in_by_link',
];

const entry = (action: string): AuditEntry => ({
  seq: 1,
  at: 0,
  userId: 'u-office',
  userName: 'Claire Martin',
  role: 'secretariat',
  action,
  documentId: '',
  targetType: 'user',
  targetId: 'u-ng',
  targetRef: 'gov-ng',
  details: {},
  via: 'http',
  ip: null,
  userAgent: null,
});

async function translator(language: Language): Promise<Translate> {
  await loadCatalogue(language);
  return (key, params) => formatMessage(language, `${language}:${key}`, messageOf(language, key), params);
}

describe('account audit lines', () => {
  it('read as sentences in English, French and Spanish, naming who and which account, never the code', async () => {
    const seen = new Map<Language, Set<string>>();
    for (const language of ['en', 'fr', 'es'] as const) {
      const t = await translator(language);
      const sentences = new Set<string>();
      for (const action of ACTIONS) {
        const sentence = auditSentence(entry(action), t);
        expect(sentence, `${language} ${action}`).toContain('gov-ng');
        expect(sentence, `${language} ${action}`).not.toContain(action);
        expect(sentence, `${language} ${action}`).not.toMatch(/\{\w+\}/);
        if (action.startsWith('user.')) expect(sentence, `${language} ${action}`).toContain('Claire Martin');
        sentences.add(sentence);
      }
      // One sentence per action: none falls back to another's words.
      expect(sentences.size, language).toBe(ACTIONS.length);
      seen.set(language, sentences);
    }
    const t = await translator('fr');
    expect(auditSentence(entry('user.deactivated'), t)).toBe('Claire Martin a désactivé le compte gov-ng');
    const es = await translator('es');
    expect(auditSentence(entry('user.created'), es)).toBe('Claire Martin creó la cuenta gov-ng');
    // French and Spanish are their own, not English.
    for (const s of seen.get('fr') ?? []) expect(seen.get('en')?.has(s)).toBe(false);
    for (const s of seen.get('es') ?? []) expect(seen.get('en')?.has(s)).toBe(false);
  });
});
