import { useT } from '../i18n';
import { onLinkClick } from '../router';
import { useAbilities } from '../session/SessionProvider';

export type DocNavView = 'text' | 'since' | 'versions' | 'desk' | 'audit';

/** The views of a document: its text, versions and comparison, and for the Office the desk and the audit log. */
export function DocNav({ documentId, current }: { documentId: string; current: DocNavView }) {
  const t = useT();
  const abilities = useAbilities();
  const base = `/d/${documentId}`;
  const links: { view: DocNavView; href: string; label: string }[] = [
    { view: 'text', href: base, label: t('nav.text') },
    { view: 'since', href: `${base}/since`, label: t('nav.since') },
    { view: 'versions', href: `${base}/versions`, label: t('nav.versions') },
    ...(abilities.consolidate
      ? [
          { view: 'desk' as const, href: `${base}/desk`, label: t('nav.desk') },
          { view: 'audit' as const, href: `${base}/audit`, label: t('nav.audit') },
        ]
      : []),
  ];
  return (
    <nav className="doc-nav" aria-label={t('nav.label')}>
      <ul>
        {links.map((l) => (
          <li key={l.view}>
            <a
              href={l.href}
              aria-current={l.view === current ? 'page' : undefined}
              onClick={onLinkClick(l.href)}
              data-testid={`nav-${l.view}`}
            >
              {l.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
