import { useLayoutEffect } from 'react';

/** Fired by a jump (outline, link, search): the section the reader asked for is current, whatever fits below it. */
export const JUMPED_EVENT = 'concord:jumped';

/**
 * How far below the sticky header the reading line sits: a quarter of the text's height, at least 40 px
 * (a jump lands its target 1.5rem below the header, and sections above connecting may nudge it lower).
 */
function readingLineBelowHeader(header: number): number {
  return Math.max(40, Math.min(160, (window.innerHeight - header) / 4));
}

/** The sticky header's bottom edge, in viewport px. */
export function headerBottom(): number {
  const header = document.querySelector<HTMLElement>('.app-header');
  return header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
}

/**
 * The current section: of all sections, the last one (in reading order) whose top is at or above the
 * reading line — so the topmost section whose heading is in or above that line. All sections are looked
 * at every time, not only those an observer reported as changed (which named the section above after a jump).
 */
export function sectionAtReadingLine(): string | null {
  const sections = [...document.querySelectorAll<HTMLElement>('main [data-section-id]')];
  if (sections.length === 0) return null;
  const header = headerBottom();
  const line = header + readingLineBelowHeader(header);
  // Sections are in document order and do not overlap: a binary search keeps a scroll frame cheap.
  let lo = 0;
  let hi = sections.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((sections[mid] as HTMLElement).getBoundingClientRect().top <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return (sections[found] as HTMLElement).dataset.sectionId ?? null;
}

/** Keys that scroll the page when pressed outside a text field. */
const SCROLL_KEYS = new Set(['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End', ' ']);

/**
 * Keeps `setCurrentId` on the section at the reading line. After a jump, the target's section stays
 * current until the reader scrolls (wheel, touch, scrolling keys, or a scrollbar drag moving it by a third
 * of the window): near the end of the document the target cannot reach the top, and sections above connecting
 * their editors may nudge it a few pixels below the reading line — the reader still asked for it.
 */
export function useCurrentSection(ready: boolean, setCurrentId: (id: string) => void): void {
  // A layout effect, declared before the deep-link one: it hears the first jump.
  useLayoutEffect(() => {
    if (!ready) return;
    let frame = 0;
    // The pinned section and its top on screen when pinned: how far it moved tells whether the reader
    // scrolled, which `scrollY` does not (scroll anchoring shifts it when the header collapses).
    let pinned: { id: string; top: number } | null = null;
    const topOf = (id: string) =>
      document.querySelector<HTMLElement>(`main [data-section-id="${CSS.escape(id)}"]`)?.getBoundingClientRect().top ?? Number.NaN;
    const update = () => {
      frame = 0;
      if (pinned && Math.abs(topOf(pinned.id) - pinned.top) < window.innerHeight / 3) return setCurrentId(pinned.id);
      pinned = null;
      const id = sectionAtReadingLine();
      if (id) setCurrentId(id);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    const onJump = (event: Event) => {
      const id = (event as CustomEvent<string>).detail;
      pinned = { id, top: topOf(id) };
      setCurrentId(id);
    };
    const release = () => {
      if (!pinned) return;
      pinned = null;
      schedule();
    };
    const onKey = (event: KeyboardEvent) => {
      // Only keys that scroll the page itself: not arrows in the outline's tree, a field or the text.
      const target = event.target as HTMLElement | null;
      const page = !target || target === document.body || target === document.documentElement || target.matches('[data-section-id]');
      // With a modifier it is a command (Ctrl+Alt+↓ moves by section and pins its target), not a scroll.
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      if (page && SCROLL_KEYS.has(event.key)) release();
    };
    update();
    window.addEventListener('wheel', release, { passive: true });
    window.addEventListener('touchmove', release, { passive: true });
    window.addEventListener('keydown', onKey);
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    window.addEventListener(JUMPED_EVENT, onJump);
    return () => {
      if (frame) cancelAnimationFrame(frame);
      window.removeEventListener('wheel', release);
      window.removeEventListener('touchmove', release);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      window.removeEventListener(JUMPED_EVENT, onJump);
    };
  }, [ready, setCurrentId]);
}
