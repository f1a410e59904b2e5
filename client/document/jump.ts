import { JUMPED_EVENT } from './useCurrentSection';

/**
 * Where the last jump left the page: the target's id, how far below the viewport's top it landed, and
 * when. Neither `scrollY` nor the target's place says whether the reader scrolled away — both move by
 * hundreds of px when the header collapses as the sections far above unload — so the reader's own input
 * lets the target go (watchSettling), and `movedAway` catches scripts.
 */
let landed: { id: string; top: number; at: number } | null = null;

/**
 * How long after a jump the text above the target may still change height by itself: sections in view
 * connect ~200 ms after they stop moving, then swap their static text for the live editor.
 */
const SETTLING_MS = 5_000;

/** The target's distance from the viewport's top now. */
function topOf(element: HTMLElement): number {
  return element.getBoundingClientRect().top;
}

/**
 * The sticky header changed height (it collapses on a phone once scrolling): the last jump's target,
 * unless the reader has scrolled since, goes back just below it instead of drifting under or away.
 */
export function realignJumpTarget(): void {
  if (!landed) return;
  const element = document.getElementById(landed.id);
  if (!element) return;
  if (movedAway(element)) return;
  element.scrollIntoView({ block: 'start' });
  announceJump(element, landed.at);
}

/**
 * Whether something other than the layout moved the target: farther than a screen means a script or a
 * scrollbar drag scrolled the page elsewhere (the reader's wheel, touch, click and keys let go already).
 * Layout alone moves it by hundreds of px — the header collapsing and the sections far above unloading in
 * one frame, with or without the browser's scroll anchoring making up for it.
 */
function movedAway(element: HTMLElement): boolean {
  if (!landed || Math.abs(topOf(element) - landed.top) <= window.innerHeight) return false;
  landed = null;
  return true;
}

/**
 * The text changed height while the page settles after a jump (a section above went live and its editor
 * is not exactly as tall as the static copy it replaced): the target goes back below the header. Chromium's
 * scroll anchoring does not do it — its anchor is the swapped text itself. Only while settling, so that
 * later scrolls by other parts of the page (following the Office, revealing a card) are left alone.
 */
function holdJumpTarget(): void {
  if (!landed || performance.now() - landed.at > SETTLING_MS) return;
  const element = document.getElementById(landed.id);
  if (!element) return;
  if (movedAway(element)) return;
  const wanted = Number.parseFloat(getComputedStyle(element).scrollMarginTop) || 0;
  if (Math.abs(topOf(element) - wanted) < 2) return;
  element.scrollIntoView({ block: 'start' });
  announceJump(element, landed.at);
}

let watching: ResizeObserver | null = null;

/**
 * Watches the text's height (a ResizeObserver on `main`), once per page; the reader's own wheel, touch,
 * click or key lets the target go — from then on where the text is is theirs.
 */
function watchSettling(element: HTMLElement): void {
  const main = element.closest('main');
  if (!main) return;
  if (!watching) {
    const release = () => {
      landed = null;
    };
    for (const type of ['wheel', 'touchmove', 'pointerdown', 'keydown'] as const) {
      window.addEventListener(type, release, { passive: true, capture: true });
    }
    watching = new ResizeObserver(holdJumpTarget);
  }
  watching.disconnect();
  watching.observe(main);
}

/** Remembers where the target landed and tells the current-section hook which section the reader jumped to. */
function announceJump(element: HTMLElement, at = performance.now()): void {
  landed = { id: element.id, top: topOf(element), at };
  watchSettling(element);
  const sectionId = element.closest<HTMLElement>('[data-section-id]')?.dataset.sectionId;
  if (sectionId) window.dispatchEvent(new CustomEvent(JUMPED_EVENT, { detail: sectionId }));
}

/**
 * Scrolling to a paragraph or section. The highlight is a style rule keyed on the id rather than a
 * class on the element: the element may belong to ProseMirror, which owns its DOM and would undo it.
 */
let highlightStyle: HTMLStyleElement | null = null;
let clearTimer: ReturnType<typeof setTimeout> | null = null;

/** Highlights what `selector` matches for a moment (the target of a jump). */
export function highlight(selector: string): void {
  highlightStyle ??= document.head.appendChild(document.createElement('style'));
  highlightStyle.textContent = [
    `@media (prefers-reduced-motion: no-preference) { ${selector} { animation: concord-target 2.4s ease-out 1; } }`,
    `@media (prefers-reduced-motion: reduce) { ${selector} { outline: 3px solid #e0b400; outline-offset: 4px; } }`,
  ].join('\n');
  if (clearTimer) clearTimeout(clearTimer);
  clearTimer = setTimeout(() => {
    if (highlightStyle) highlightStyle.textContent = '';
  }, 2600);
}

/** Scrolls paragraph `n` to the top of the text; false when the document has no such paragraph. */
export function scrollToParagraph(n: number, behavior: ScrollBehavior = 'auto'): boolean {
  const element = document.getElementById(`p${n}`);
  if (!element) return false;
  element.scrollIntoView({ block: 'start', behavior });
  announceJump(element);
  highlight(`[id="p${n}"]`);
  return true;
}

export function scrollToSection(sectionId: string, behavior: ScrollBehavior = 'auto'): boolean {
  const element = document.getElementById(`section-${sectionId}`);
  if (!element) return false;
  element.scrollIntoView({ block: 'start', behavior });
  announceJump(element);
  // Keyboard and screen-reader users continue from the section they chose.
  element.setAttribute('tabindex', '-1');
  element.focus({ preventScroll: true });
  return true;
}

/** `#p27` → 27. */
export function paragraphFromHash(hash: string): number | null {
  const match = /^#p(\d+)$/.exec(hash);
  return match ? Number(match[1]) : null;
}
