import type { PublicUser } from '../../shared/roles.js';
import { colourOf } from '../../shared/roles.js';
import { affiliationOf, initialsOf } from '../components/identity';
import { useT } from '../i18n';

/** Overlapping avatars with full names for assistive technology and on hover. */
export function PeopleStack({ people, max, selfId, label }: { people: PublicUser[]; max: number; selfId?: string; label: string }) {
  const t = useT();
  const shown = people.slice(0, max);
  const hidden = people.length - shown.length;
  return (
    <ul className="people-stack" aria-label={label}>
      {shown.map((p) => {
        const who = `${p.name}${p.id === selfId ? ` ${t('presence.you')}` : ''} — ${affiliationOf(p, t)}`;
        return (
          <li key={p.id} className="people-stack__item" title={who} data-testid="presence-person" data-name={p.name}>
            <span className="avatar" style={{ backgroundColor: colourOf(p) }} aria-hidden="true">
              {initialsOf(p.name)}
            </span>
            <span className="visually-hidden">{who}</span>
          </li>
        );
      })}
      {hidden > 0 && (
        <li className="people-stack__more" title={people.slice(max).map((p) => p.name).join(', ')}>
          {t('presence.more', { count: hidden })}
        </li>
      )}
    </ul>
  );
}
