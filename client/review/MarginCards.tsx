import { type ReactNode, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { SectionMeta } from '../../shared/document.js';
import type { DocumentAbilities as Abilities, PublicUser } from '../../shared/roles.js';
import { commentAnchors } from '../document/commentHighlights';
import { editorRegistry } from '../document/editorRegistry';
import { useT } from '../i18n';
import { AmendmentCard } from './AmendmentCard';
import type { AmendmentRecord } from './amendmentsStore';
import { type MarginBox, marginTops } from './marginLayout';
import { NewThreadForm } from './NewThreadForm';
import { ThreadCard } from './ThreadCard';
import type { Review } from './useReview';

/** What the margin is focused on: a thread, an amendment, or a new comment on the selected words. */
export type MarginActive =
  | { kind: 'thread'; id: string }
  | { kind: 'amendment'; id: string }
  | { kind: 'new'; sectionId: string; from: number; amendmentId?: string };

export interface MarginCardsProps {
  documentId: string;
  user: PublicUser;
  abilities: Abilities;
  sections: readonly SectionMeta[];
  review: Review;
  active: MarginActive | null;
  onActive: (next: MarginActive | null) => void;
}

interface Slot {
  key: string;
  kind: MarginActive['kind'];
  id: string;
  node: ReactNode;
}

const suggestionSelector = (id: string) => `#main [data-suggestion][data-amendment="${CSS.escape(id)}"]`;

/** The element in the text a slot belongs beside; null when it is not drawn (its section not connected). */
function anchorElement(slot: Slot, threadAmendment: (id: string) => string | null): Element | null {
  if (slot.kind === 'amendment') return document.querySelector(suggestionSelector(slot.id));
  if (slot.kind === 'thread') {
    const words = document.querySelector(`#main .comment-highlight[data-thread-id="${CSS.escape(slot.id)}"]`);
    if (words) return words;
    const amendment = threadAmendment(slot.id);
    return amendment ? document.querySelector(suggestionSelector(amendment)) : null;
  }
  return null;
}

/**
 * Comments beside the words they refer to, on wide screens (the Google Docs / Word layout): each open
 * thread's card level with its words, the current amendment's card (the one clicked, reached with
 * Alt+↓/↑, or the one the caret is in) level with its suggestion, and a new comment's form level with the
 * selected words. Cards never overlap: they push down, and the active one sits at its words, pushing the
 * ones above it up. Being beside the text, no card ever covers the line being typed.
 */
export default function MarginCards({ documentId, user, abilities, sections, review, active, onActive }: MarginCardsProps) {
  const t = useT();
  const column = useRef<HTMLElement>(null);
  const [message, setMessage] = useState('');
  const caret = useSyncExternalStore(editorRegistry.subscribe, editorRegistry.getCaretSuggestion);
  const announce = useCallback((text: string) => {
    setMessage('');
    requestAnimationFrame(() => setMessage(text));
  }, []);

  const threads = useMemo(
    () => review.threads.items.filter((th) => !th.resolved && (th.anchor !== null || th.amendmentId !== null)),
    [review.threads.items],
  );
  const threadsPerAmendment = useMemo(() => {
    const counts = new Map<string, number>();
    for (const th of review.threads.items) if (th.amendmentId) counts.set(th.amendmentId, (counts.get(th.amendmentId) ?? 0) + 1);
    return counts;
  }, [review.threads.items]);

  // The caret entering a suggestion (typing one, clicking into one) makes it the current card: the
  // margin follows where the reader is working, over a card chosen earlier.
  const caretId = caret?.id ?? null;
  useEffect(() => {
    if (caretId) onActive({ kind: 'amendment', id: caretId });
  }, [caretId, onActive]);

  // The current amendment: the one brought forward, else the one the caret is in.
  const amendmentId = active?.kind === 'amendment' ? active.id : (caret?.id ?? null);
  const amendment: AmendmentRecord | undefined = amendmentId ? review.amendments.byId.get(amendmentId) : undefined;
  const newOn = active?.kind === 'new' ? active : null;
  const newSection = newOn ? sections.find((s) => s.id === newOn.sectionId) : undefined;

  const slots: Slot[] = [];
  if (newOn && newSection && abilities.comment) {
    slots.push({
      key: 'new',
      kind: 'new',
      id: 'new',
      node: (
        <NewThreadForm
          documentId={documentId}
          sectionId={newSection.id}
          paragraphs={newSection.paragraphs}
          user={user}
          store={review.threadsStore}
          amendment={newOn.amendmentId ? (review.amendments.byId.get(newOn.amendmentId) ?? null) : null}
          onClearAmendment={() => undefined}
          announce={announce}
          onPosted={() => onActive(null)}
          title={t('margin.newComment')}
        />
      ),
    });
  }
  if (amendment && amendment.status !== 'draft') {
    slots.push({
      key: `amendment:${amendment.id}`,
      kind: 'amendment',
      id: amendment.id,
      node: (
        <AmendmentCard
          amendment={amendment}
          user={user}
          abilities={abilities}
          store={review.amendmentsStore}
          threadCount={threadsPerAmendment.get(amendment.id) ?? 0}
          onComment={(a) => onActive({ kind: 'new', sectionId: a.sectionId, from: 0, amendmentId: a.id })}
          announce={announce}
        />
      ),
    });
  }
  for (const th of threads) {
    slots.push({
      key: `thread:${th.id}`,
      kind: 'thread',
      id: th.id,
      node: (
        <ThreadCard
          thread={th}
          store={review.threadsStore}
          amendment={th.amendmentId ? review.amendments.byId.get(th.amendmentId) : undefined}
          anchorState={null}
        />
      ),
    });
  }
  const activeKey = newOn ? 'new' : active?.kind === 'thread' ? `thread:${active.id}` : amendment ? `amendment:${amendment.id}` : null;
  const slotKeys = slots.map((s) => s.key).join(' ');

  // Positions are written straight to the cards (no re-render): they follow every reflow of the text.
  const place = useCallback(() => {
    const margin = column.current;
    if (!margin) return;
    const top = margin.getBoundingClientRect().top;
    const byAmendment = new Map(threads.map((th) => [th.id, th.amendmentId]));
    const placed: { el: HTMLElement; key: string; box: MarginBox }[] = [];
    for (const el of margin.querySelectorAll<HTMLElement>('[data-margin-slot]')) {
      const key = el.dataset.marginSlot ?? '';
      const kind = el.dataset.kind as Slot['kind'];
      const id = el.dataset.id ?? '';
      let anchor: number | null = null;
      if (kind === 'new' && newOn?.amendmentId) {
        // A comment on an amendment: level with its suggestion.
        const words = document.querySelector(suggestionSelector(newOn.amendmentId));
        anchor = words ? words.getBoundingClientRect().top - top : null;
      } else if (kind === 'new' && newOn) {
        const editor = editorRegistry.get(newOn.sectionId)?.editor;
        try {
          anchor = editor && !editor.isDestroyed ? editor.view.coordsAtPos(newOn.from).top - top : null;
        } catch {
          anchor = null;
        }
      } else {
        const words = anchorElement({ key, kind, id, node: null }, (threadId) => byAmendment.get(threadId) ?? null);
        anchor = words ? words.getBoundingClientRect().top - top : null;
      }
      if (anchor === null) {
        el.hidden = true;
        continue;
      }
      el.hidden = false;
      placed.push({ el, key, box: { anchor, height: el.offsetHeight } });
    }
    placed.sort((a, b) => a.box.anchor - b.box.anchor || (a.key === activeKey ? -1 : b.key === activeKey ? 1 : 0));
    const activeIndex = placed.findIndex((p) => p.key === activeKey);
    const tops = marginTops(
      placed.map((p) => p.box),
      activeIndex >= 0 ? activeIndex : null,
    );
    placed.forEach((p, i) => {
      p.el.style.top = `${Math.round(tops[i] ?? 0)}px`;
    });
    const last = placed.length > 0 ? (tops[placed.length - 1] ?? 0) + (placed.at(-1)?.box.height ?? 0) : 0;
    margin.style.minHeight = `${Math.ceil(last)}px`;
  }, [threads, newOn, activeKey]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the slots' keys say when cards came or went
  useLayoutEffect(() => {
    place();
  }, [place, slotKeys]);

  // Re-placed when the text reflows (typing, a section connecting), the cards change height, or highlights move.
  // biome-ignore lint/correctness/useExhaustiveDependencies: new cards (their keys) must be observed too
  useEffect(() => {
    let frame = 0;
    const schedule = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          place();
        });
    };
    const resize = new ResizeObserver(schedule);
    const main = document.getElementById('main');
    if (main) resize.observe(main);
    for (const el of column.current?.querySelectorAll('[data-margin-slot]') ?? []) resize.observe(el);
    const offRegistry = editorRegistry.subscribe(schedule);
    const offAnchors = commentAnchors.subscribe(schedule);
    const mutations = new MutationObserver(schedule);
    if (main) mutations.observe(main, { childList: true, subtree: true, characterData: true });
    window.addEventListener('resize', schedule);
    return () => {
      if (frame) cancelAnimationFrame(frame);
      resize.disconnect();
      mutations.disconnect();
      offRegistry();
      offAnchors();
      window.removeEventListener('resize', schedule);
    };
  }, [place, slotKeys]);

  // A new comment's form takes the focus (the reader asked for it); Escape closes it, back to the words.
  useEffect(() => {
    if (!newOn) return;
    requestAnimationFrame(() => column.current?.querySelector<HTMLTextAreaElement>('[data-margin-slot="new"] textarea')?.focus({ preventScroll: true }));
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      onActive(null);
      editorRegistry.get(newOn.sectionId)?.editor.commands.focus(undefined, { scrollIntoView: false });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [newOn, onActive]);

  return (
    <aside ref={column} id="margin" className="margin" aria-label={t('margin.label')} data-testid="margin">
      <p className="visually-hidden" role="status" aria-live="polite">
        {message}
      </p>
      {slots.map((slot) => (
        // biome-ignore lint/a11y/noStaticElementInteractions: the keyboard's way is focus (onFocusCapture); the click only mirrors it
        <div
          key={slot.key}
          className="margin__slot"
          data-margin-slot={slot.key}
          data-kind={slot.kind}
          data-id={slot.id}
          data-active={slot.key === activeKey ? 'true' : 'false'}
          hidden
          onFocusCapture={() => {
            if (slot.kind !== 'new' && slot.key !== activeKey) onActive({ kind: slot.kind, id: slot.id });
          }}
          onMouseDown={() => {
            if (slot.kind !== 'new' && slot.key !== activeKey) onActive({ kind: slot.kind, id: slot.id });
          }}
        >
          {slot.node}
        </div>
      ))}
    </aside>
  );
}
