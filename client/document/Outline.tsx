import { type KeyboardEvent, memo, useEffect, useMemo, useRef, useState } from 'react';
import type { SectionMeta } from '../../shared/document.js';
import type { SectionNews } from '../../shared/whatsNew.js';
import { SectionNewsBadge } from '../whatsNew/SectionNewsBadge';
import { useT } from '../i18n';

interface OutlineNode {
  section: SectionMeta;
  children: OutlineNode[];
}

function treeOf(sections: SectionMeta[]): OutlineNode[] {
  const nodes = new Map(sections.map((s) => [s.id, { section: s, children: [] as OutlineNode[] }]));
  const roots: OutlineNode[] = [];
  for (const s of sections) {
    const node = nodes.get(s.id) as OutlineNode;
    const parent = s.parentId ? nodes.get(s.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Paragraphs of a section and everything under it: "paragraphs 27–35". */
function rangeOf(node: OutlineNode): [number, number] | null {
  const all = [...node.section.paragraphs, ...node.children.flatMap((c) => rangeOf(c) ?? [])];
  if (all.length === 0) return null;
  return [Math.min(...all), Math.max(...all)];
}

function scrollerOf(element: HTMLElement): HTMLElement | null {
  for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
    const { overflowY } = getComputedStyle(node);
    if ((overflowY === 'auto' || overflowY === 'scroll') && node.scrollHeight > node.clientHeight) return node;
  }
  return null;
}

/**
 * The document's outline: an ARIA tree of links, one Tab stop (roving tabindex: the entry last focused,
 * else "you are here"). ↓/↑ move between visible entries, → to the first child, ← to the parent,
 * Home/End to the ends; Enter follows the link; Tab leaves the outline.
 */
export const Outline = memo(function Outline(props: {
  sections: SectionMeta[];
  currentId: string | null;
  onSelect: (sectionId: string) => void;
  /** Unread comments per section. */
  unread?: Readonly<Record<string, number>>;
  /** What is new per section since the reader's last visit. */
  news?: Readonly<Record<string, SectionNews>>;
}) {
  const t = useT();
  const tree = useMemo(() => treeOf(props.sections), [props.sections]);
  const navRef = useRef<HTMLElement>(null);
  // The entry that holds the outline's Tab stop: the last one focused, else the current section's.
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const tabStopId = focusedId ?? props.currentId ?? props.sections[0]?.id ?? null;

  // Keep "you are here" in sight. Not scrollIntoView: in the narrow layout it would scroll the page.
  const { currentId } = props;
  useEffect(() => {
    if (!currentId) return;
    const link = navRef.current?.querySelector<HTMLElement>(`a[data-testid="outline-${currentId}"]`);
    const scroller = link ? scrollerOf(link) : null;
    if (!link || !scroller) return;
    const linkBox = link.getBoundingClientRect();
    const box = scroller.getBoundingClientRect();
    if (linkBox.top < box.top) scroller.scrollTop -= box.top - linkBox.top + 16;
    else if (linkBox.bottom > box.bottom) scroller.scrollTop += linkBox.bottom - box.bottom + 16;
  }, [currentId]);

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End', 'ArrowRight', 'ArrowLeft'];
    if (!keys.includes(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
    const links = [...event.currentTarget.querySelectorAll<HTMLAnchorElement>('a[data-outline-link]')];
    const active = document.activeElement as HTMLAnchorElement;
    const index = links.indexOf(active);
    let target: HTMLAnchorElement | undefined;
    if (event.key === 'Home') target = links[0];
    else if (event.key === 'End') target = links[links.length - 1];
    else if (event.key === 'ArrowRight') {
      // Always expanded: → goes to the first child, if any.
      target = active.parentElement?.querySelector<HTMLAnchorElement>(':scope > ul a[data-outline-link]') ?? undefined;
    } else if (event.key === 'ArrowLeft') {
      target = active.parentElement?.parentElement?.closest('li')?.querySelector<HTMLAnchorElement>(':scope > a[data-outline-link]') ?? undefined;
    } else target = links[Math.min(links.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (target) {
      setFocusedId(target.dataset.outlineSection ?? null);
      target.focus();
    }
    event.preventDefault();
  }

  function renderNode(node: OutlineNode, depth: number) {
    const { section } = node;
    const range = rangeOf(node);
    const rangeText = range
      ? range[0] === range[1]
        ? t('outline.paragraph', { n: range[0] })
        : t('outline.paragraphs', { from: range[0], to: range[1] })
      : '';
    const current = props.currentId === section.id;
    return (
      <li key={section.id} className={`outline__item outline__item--${section.kind}`} role="none">
        <a
          href={`#section-${section.id}`}
          role="treeitem"
          aria-level={depth + 1}
          aria-selected={current}
          aria-expanded={node.children.length > 0 ? true : undefined}
          tabIndex={tabStopId === section.id ? 0 : -1}
          data-outline-section={section.id}
          onFocus={() => setFocusedId(section.id)}
          data-outline-link
          data-testid={`outline-${section.id}`}
          aria-current={current ? 'location' : undefined}
          className="outline__link"
          style={{ paddingInlineStart: `${0.5 + depth * 0.9}rem` }}
          onClick={(e) => {
            e.preventDefault();
            props.onSelect(section.id);
          }}
        >
          <span className="outline__label">
            {section.label === section.title ? (
              section.title
            ) : section.kind === 'part' ? (
              `${section.label}. ${section.title}`
            ) : (
              <>
                <strong>{section.label}</strong> {section.title}
              </>
            )}
          </span>
          {rangeText && <span className="outline__range">{rangeText}</span>}
          {(props.unread?.[section.id] ?? 0) > 0 && (
            <span className="outline__unread" data-testid={`unread-${section.id}`}>
              <span aria-hidden="true">{props.unread?.[section.id]}</span>
              <span className="visually-hidden">{t('unread.count', { count: props.unread?.[section.id] ?? 0 })}</span>
            </span>
          )}
          <SectionNewsBadge sectionId={section.id} news={props.news?.[section.id]} />
        </a>
        {node.children.length > 0 && (
          // biome-ignore lint/a11y/useSemanticElements: the ARIA tree pattern nests its children in role="group"
          <ul role="group">{node.children.map((c) => renderNode(c, depth + 1))}</ul>
        )}
      </li>
    );
  }

  return (
    <nav ref={navRef} className="outline" aria-labelledby="outline-title" onKeyDown={onKeyDown}>
      <h2 id="outline-title" className="sidebar__title">
        {t('outline.title')}
      </h2>
      {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a list that is an ARIA tree keeps its list markup for browsers without ARIA */}
      <ul className="outline__list" role="tree" aria-labelledby="outline-title">
        {tree.map((n) => renderNode(n, 0))}
      </ul>
    </nav>
  );
});
