import { JUMPED_EVENT } from './useCurrentSection';

/** Where the last jump left the page: the target's id and the scroll position it landed at. */
let landed: { id: string; y: number } | null = null;

/**
 * The sticky header changed height (it collapses on a phone once scrolling): the last jump's target,
 * if the reader has not scrolled away since, goes back just below it instead of drifting under or away.
 */
export function realignJumpTarget(): void {
  if (!landed) return;
  if (Math.abs(window.scrollY - landed.y) > window.innerHeight / 3) {
    landed = null;
    return;
  }
  const element = document.getElementById(landed.id);
  if (!element) return;
  element.scrollIntoView({ block: 'start' });
  announceJump(element);
}

/** Tells the current-section hook which section the reader jumped to. */
function announceJump(element: HTMLElement): void {
  landed = { id: element.id, y: window.scrollY };
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
