import type { SectionMeta } from '../../shared/document.js';
import type { PresenceEntry } from '../../shared/events.js';
import { colourOf } from '../../shared/roles.js';
import { affiliationOf, initialsOf } from '../components/identity';
import { useT } from '../i18n';
import { PeopleStack } from './PeopleStack';

/** The document's presence: avatars in the header, opening to who is here, for whom, and where. */
export function PresenceMenu({ people, selfId, sections }: { people: PresenceEntry[]; selfId: string; sections: SectionMeta[] }) {
  const t = useT();
  const labelOf = (id: string | null) => sections.find((s) => s.id === id)?.label ?? '';
  return (
    <details className="presence-menu" data-testid="document-presence">
      {/* Named by its contents (the list's label), not an aria-label that would hide the visible initials. */}
      <summary>
        <PeopleStack people={people} max={5} selfId={selfId} label={t('presence.document')} />
      </summary>
      <div className="presence-menu__panel">
        <h2 className="sidebar__title">{t('presence.document')}</h2>
        <ul className="presence-menu__list">
          {people.map((p) => (
            <li key={p.id}>
              <span className="avatar" style={{ backgroundColor: colourOf(p) }} aria-hidden="true">
                {initialsOf(p.name)}
              </span>
              <span>
                <strong>{p.name}</strong> {p.id === selfId ? t('presence.you') : ''}
                <br />
                <span className="muted">
                  {affiliationOf(p, t)}
                  {p.sectionId ? ` · ${labelOf(p.sectionId)}` : ''}
                </span>
              </span>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}
