import { beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../client/api/client';
import { errorText } from '../../client/components/errorText';
import { type Language, type MessageKey, catalogue, formatMessage, loadCatalogue } from '../../client/i18n/messages';
import { whyCannotVote } from '../../server/policies/amendments.js';
import { refusalError } from '../../server/policies/refusal.js';
import { whyPastDeadline } from '../../server/policies/rounds.js';

const t = (language: Language) => (key: MessageKey, params?: Record<string, string | number>) =>
  formatMessage(language, `test:${language}:${key}`, catalogue(language)[key], params);

/** What the client gets from the HTTP answer of a policy refusal, as `answer()` builds it. */
function asReceived(refusal: Parameters<typeof refusalError>[0]): ApiRequestError {
  const error = refusalError(refusal);
  return new ApiRequestError(error.status, error.error, error.message, error.reason);
}

const delegate = { id: 'u1', role: 'delegate' as const, group: 'workers' as const, memberState: null };

describe('a server refusal, read in the UI language', () => {
  beforeAll(async () => {
    await loadCatalogue('fr');
    await loadCatalogue('es');
  });

  it('is worded from its code and parameters, owners and times named for the reader', () => {
    const own = asReceived(
      whyCannotVote(delegate, { ref: 'A-7', ownerKey: 'workers', status: 'proposed' }) ?? expect.unreachable(),
    );
    expect(errorText(own, t('es'), 'es')).toBe(
      'La enmienda A-7 es de Trabajadores; el apoyo y la oposición vienen de los demás.',
    );
    expect(errorText(own, t('fr'), 'fr')).toBe(
      'L’amendement A-7 est celui de Travailleurs ; l’appui et l’opposition viennent des autres.',
    );
    const round = {
      number: 1,
      closedAt: null,
      amendmentDeadline: Date.UTC(2026, 11, 7, 9, 0),
      subAmendmentDeadline: 0,
    };
    const late = asReceived(
      whyPastDeadline(delegate, round as never, 'amendment', Date.UTC(2026, 11, 8)) ?? expect.unreachable(),
    );
    const spanish = errorText(late, t('es'), 'es');
    expect(spanish).toMatch(/^El plazo para las enmiendas de la ronda 1 venció el 7 dic 2026/);
    expect(spanish).not.toContain('deadline');
  });

  it('falls back to the server’s English sentence for a code this client does not know', () => {
    const newer = new ApiRequestError(409, 'conflict', 'Something new was refused.', { code: 'brand_new', params: {} });
    expect(errorText(newer, t('es'), 'es')).toBe('Something new was refused.');
    expect(errorText(new ApiRequestError(0, 'network', 'fetch failed'), t('es'), 'es')).toBe(
      'No se puede contactar con el servidor. Compruebe su conexión.',
    );
  });
});
