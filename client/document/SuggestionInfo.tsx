import { type ReactElement, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { parseOwnerKey } from '../../shared/ownerKey.js';
import { headerBottom } from './useCurrentSection';
import { colourOfOwner, formatTime, ownerLabelOf } from '../components/identity';
import { useI18n } from '../i18n';
import type { RecordSnapshot } from '../review/recordStore';
import type { AmendmentRecord } from '../review/amendmentsStore';
import { editorRegistry } from './editorRegistry';

const GROUP_OWNERS = ['workers', 'employers', 'secretariat', 'government'] as const;

function cssString(text: string): string {
  return JSON.stringify(text);
}

/**
 * Words for assistive technology, not colour alone: each suggestion is introduced by a visually hidden
 * "inserted by Workers:" / "deleted by France:" and closed by "end of suggestion". Drawn by CSS
 * pseudo-elements, so ProseMirror's DOM (and the shared text) are untouched; the words follow the
 * interface language, and States get their own name.
 */
export function SuggestionHints({ amendments }: { amendments: RecordSnapshot<AmendmentRecord> }) {
  const { t } = useI18n();
  const states = useMemo(
    () => [...new Set(amendments.items.map((a) => a.ownerKey).filter((k) => parseOwnerKey(k).kind === 'government'))],
    [amendments.items],
  );
  const css = useMemo(() => {
    const rules: string[] = [];
    // `attr`: what the proposed paragraph's JSON attrs contain for this owner ("by":"workers…).
    const add = (selector: string, attr: string, owner: string) => {
      rules.push(`.doc-text ins.suggestion${selector}::before{content:${cssString(t('suggestion.insertedBy', { owner }))}}`);
      rules.push(`.doc-text del.suggestion${selector}::before{content:${cssString(t('suggestion.deletedBy', { owner }))}}`);
      rules.push(
        `.doc-text .suggested-paragraph[data-suggestion-attrs*=${cssString(attr)}]>p:first-child::before{content:${cssString(t('suggestion.paragraphBy', { owner }))}}`,
      );
    };
    for (const group of GROUP_OWNERS) add(`.group-${group}`, `"by":"${group}`, ownerLabelOf(group, t));
    for (const key of states) add(`[data-by=${cssString(key)}]`, `"by":${JSON.stringify(key)}`, ownerLabelOf(key, t));
    rules.push(`.doc-text .suggestion::after{content:${cssString(t('suggestion.end'))}}`);
    return rules.join('\n');
  }, [t, states]);
  return <style data-testid="suggestion-hints">{css}</style>;
}

interface Target {
  id: string;
  by: string;
  rect: DOMRect;
  source: 'hover' | 'caret';
}

function suggestionElement(node: EventTarget | null): HTMLElement | null {
  if (!(node instanceof Element)) return null;
  const el = node.closest<HTMLElement>('.ProseMirror [data-amendment], .ProseMirror .suggested-paragraph');
  return el;
}

function idAndOwner(el: HTMLElement): { id: string; by: string } | null {
  if (el.dataset.amendment) return { id: el.dataset.amendment, by: el.dataset.by ?? '' };
  try {
    const attrs = JSON.parse(el.dataset.suggestionAttrs ?? 'null') as { id?: string; by?: string } | null;
    if (attrs?.id) return { id: attrs.id, by: attrs.by ?? '' };
  } catch {
    // Not ours.
  }
  return null;
}

/**
 * On hover over a suggestion, or when the caret enters one, a card says whose it is, who typed it, when,
 * and where it stands (from the amendment record). The caret case is also said politely to screen readers.
 */
export function SuggestionTooltip({
  amendments,
  caretCard = true,
}: {
  amendments: RecordSnapshot<AmendmentRecord>;
  /** False where the margin already shows the caret's amendment beside its line (wide screens). */
  caretCard?: boolean;
}) {
  const { t, language } = useI18n();
  const [hover, setHover] = useState<Target | null>(null);
  const caretAt = useSyncExternalStore(editorRegistry.subscribe, editorRegistry.getCaretSuggestion);
  // Where a refusal is being explained at the caret, that explanation comes first.
  const hidden = useSyncExternalStore(editorRegistry.subscribe, () =>
    caretAt ? editorRegistry.isRefusalShown(caretAt.sectionId) : false,
  );
  const caret = hidden || !caretCard ? null : caretAt;

  useEffect(() => {
    const over = (event: MouseEvent) => {
      const el = suggestionElement(event.target);
      const which = el ? idAndOwner(el) : null;
      setHover((prev) => {
        if (!el || !which) return prev === null ? prev : null;
        if (prev?.id === which.id) return prev;
        return { ...which, rect: el.getBoundingClientRect(), source: 'hover' };
      });
    };
    const away = () => setHover(null);
    document.addEventListener('mouseover', over);
    window.addEventListener('scroll', away, { passive: true, capture: true });
    return () => {
      document.removeEventListener('mouseover', over);
      window.removeEventListener('scroll', away, { capture: true });
    };
  }, []);

  const caretTarget = useMemo<Target | null>(() => {
    if (!caret) return null;
    const entry = editorRegistry.get(caret.sectionId);
    const el = entry?.editor.view.dom.querySelector<HTMLElement>(
      `[data-amendment="${CSS.escape(caret.id)}"], [data-suggestion-attrs*='"id":"${CSS.escape(caret.id)}"']`,
    );
    if (!el) return null;
    const which = idAndOwner(el);
    return which ? { ...which, rect: el.getBoundingClientRect(), source: 'caret' } : null;
  }, [caret]);

  const target = hover ?? caretTarget;
  const record = target ? amendments.byId.get(target.id) : undefined;
  const owner = record?.ownerKey ?? target?.by ?? '';

  let card: ReactElement | null = null;
  if (target) {
    // At the caret the card goes above the line being typed (never over the next lines), unless the
    // header leaves no room there; on hover it goes below the pointer's words.
    const roomAbove = target.rect.top - headerBottom() > 110;
    const above = target.source === 'caret' && roomAbove;
    const top = above ? target.rect.top - 6 : Math.min(window.innerHeight - 140, target.rect.bottom + 6);
    const left = Math.max(8, Math.min(window.innerWidth - 300, target.rect.left));
    card = (
      <div
        className="suggestion-card"
        style={{ top, left, borderTopColor: colourOfOwner(owner), ...(above ? { transform: 'translateY(-100%)' } : {}) }}
        data-testid="suggestion-card"
        data-placement={above ? 'above' : 'below'}
      >
        <strong>{record ? t('suggestion.details', { ref: record.ref }) : t('suggestion.pending')}</strong>
        {record && <span> · {t(`amendment.type.${record.type}`)}</span>}
        <br />
        <span>
          {record
            ? t('suggestion.by', { author: record.authorName, owner: ownerLabelOf(owner, t) })
            : ownerLabelOf(owner, t)}
        </span>
        {record && (
          <>
            <br />
            <span className="muted">{formatTime(record.createdAt, language)}</span> ·{' '}
            <span className={`status status--${record.status}`}>{t(`amendment.status.${record.status}`)}</span>
          </>
        )}
      </div>
    );
  }

  return (
    <>
      {target?.source === 'hover' && card}
      <div role="status" aria-live="polite" className="suggestion-card-live">
        {target?.source === 'caret' && card}
      </div>
    </>
  );
}
