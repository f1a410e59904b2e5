import type { Tally } from '../../shared/amendments.js';
import { GROUPS } from '../../shared/roles.js';
import { colourOfOwner } from '../components/identity';
import { useT } from '../i18n';

/**
 * Support and opposition by group as three narrow columns, one per group (name, then its two counts):
 * it fits the desk's narrowest card, where a table with a column of row labels was cut off.
 */
export function DeskTally({ tally }: { tally: Tally | undefined }) {
  const t = useT();
  return (
    <div className="desk-tally" data-testid="desk-tally">
      <span className="visually-hidden">{t('amendment.tally')}</span>
      {GROUPS.map((g) => (
        <dl key={g} className="desk-tally__group" data-testid={`desk-tally-${g}`}>
          <dt className="desk-tally__name">
            <span className="dot" style={{ backgroundColor: colourOfOwner(g) }} aria-hidden="true" />
            {t(`owner.${g}`)}
          </dt>
          {(['support', 'oppose'] as const).map((stance) => (
            <dd key={stance} className={`desk-tally__count desk-tally__count--${stance}`}>
              <span className="desk-tally__stance">{t(`amendment.tally.${stance}`)}</span>{' '}
              <span className="desk-tally__n">{tally?.[g][stance] ?? 0}</span>
            </dd>
          ))}
        </dl>
      ))}
    </div>
  );
}
