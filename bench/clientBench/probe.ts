/**
 * In-page probe, installed with `context.addInitScript` before navigation: records, in `performance.now()`
 * (milliseconds since the navigation started), when the page first reaches each milestone. Checked on
 * every DOM mutation batch and on every animation frame, whichever comes first.
 */

export interface ProbeMarks {
  /** First `[data-live="true"]`: a section's editor synced and drawn. */
  firstLive: number | null;
  /** First `[data-editable="true"]`: … and editable. */
  firstEditable: number | null;
  /** The outline nav visible with all its links, the first one on screen and not covered. */
  outlineUsable: number | null;
  /** Every section id seen live at least once. */
  everLive: string[];
  /** Most sections live at the same time. */
  maxLive: number;
}

declare global {
  interface Window {
    __clientBench?: ProbeMarks;
  }
}

/** Runs in the page: must be self-contained (serialized by Playwright). */
export function installProbe(expectedOutlineLinks: number): void {
  const marks: ProbeMarks = { firstLive: null, firstEditable: null, outlineUsable: null, everLive: [], maxLive: 0 };
  window.__clientBench = marks;
  const everLive = new Set<string>();

  function outlineUsable(): boolean {
    const links = document.querySelectorAll<HTMLElement>('nav a[data-testid^="outline-"]');
    if (links.length < expectedOutlineLinks) return false;
    const first = links[0];
    const nav = first?.closest('nav');
    if (!first || !nav) return false;
    const navBox = nav.getBoundingClientRect();
    const box = first.getBoundingClientRect();
    if (navBox.width === 0 || navBox.height === 0 || box.width === 0 || box.height === 0) return false;
    if (getComputedStyle(nav).visibility === 'hidden' || getComputedStyle(first).visibility === 'hidden') return false;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && (hit === first || first.contains(hit));
  }

  function check(): void {
    const now = performance.now();
    const live = document.querySelectorAll('[data-live="true"]');
    if (live.length > 0 && marks.firstLive === null) marks.firstLive = now;
    if (marks.firstEditable === null && document.querySelector('[data-editable="true"]')) marks.firstEditable = now;
    if (marks.outlineUsable === null && outlineUsable()) marks.outlineUsable = now;
    marks.maxLive = Math.max(marks.maxLive, live.length);
    for (const body of live) {
      const id = body.closest('[data-section-id]')?.getAttribute('data-section-id');
      if (id && !everLive.has(id)) {
        everLive.add(id);
        marks.everLive.push(id);
      }
    }
  }

  const observer = new MutationObserver(check);
  const start = () => {
    observer.observe(document.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-live', 'data-editable', 'class', 'style', 'hidden'],
    });
    const frame = () => {
      check();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, { once: true });
}
