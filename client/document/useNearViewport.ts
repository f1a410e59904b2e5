import { type RefObject, useEffect, useState } from 'react';

/** Distances from the viewport: connect within NEAR, let go beyond FAR (hysteresis against flapping). */
const NEAR_MARGIN = '1500px 0px';
const FAR_MARGIN = '4000px 0px';
/** Near for this long before connecting: scrolling fast past a section (or following the Office) opens nothing. */
export const CONNECT_AFTER_MS = 200;

/**
 * True while the element is near the viewport, once it has stayed near for CONNECT_AFTER_MS. Two observers, one per threshold, so that a section
 * scrolled just past the connect distance does not disconnect and reconnect at every wheel turn.
 */
export function useNearViewport(ref: RefObject<HTMLElement | null>): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let dwell: ReturnType<typeof setTimeout> | null = null;
    const cancel = () => {
      if (dwell) clearTimeout(dwell);
      dwell = null;
    };
    // The first report is where the page opened (deep links jump before this runs): connect at once, the
    // first section's editor is awaited. Later ones are scrolling, and wait for the section to stay.
    let first = true;
    const enter = new IntersectionObserver(
      (entries) => {
        const last = entries[entries.length - 1];
        const opening = first;
        first = false;
        if (last?.isIntersecting && opening) setNear(true);
        else if (last?.isIntersecting) {
          dwell ??= setTimeout(() => {
            dwell = null;
            setNear(true);
          }, CONNECT_AFTER_MS);
        } else cancel();
      },
      { rootMargin: NEAR_MARGIN },
    );
    const leave = new IntersectionObserver(
      (entries) => {
        if (entries.every((e) => !e.isIntersecting)) {
          cancel();
          setNear(false);
        }
      },
      { rootMargin: FAR_MARGIN },
    );
    enter.observe(element);
    leave.observe(element);
    return () => {
      cancel();
      enter.disconnect();
      leave.disconnect();
    };
  }, [ref]);
  return near;
}
