import { type RefObject, useEffect, useState } from 'react';

/** Distances from the viewport: connect within NEAR, let go beyond FAR (hysteresis against flapping). */
const NEAR_MARGIN = '1500px 0px';
const FAR_MARGIN = '4000px 0px';

/**
 * True while the element is near the viewport. Two observers, one per threshold, so that a section
 * scrolled just past the connect distance does not disconnect and reconnect at every wheel turn.
 */
export function useNearViewport(ref: RefObject<HTMLElement | null>): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const enter = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setNear(true);
      },
      { rootMargin: NEAR_MARGIN },
    );
    const leave = new IntersectionObserver(
      (entries) => {
        if (entries.every((e) => !e.isIntersecting)) setNear(false);
      },
      { rootMargin: FAR_MARGIN },
    );
    enter.observe(element);
    leave.observe(element);
    return () => {
      enter.disconnect();
      leave.disconnect();
    };
  }, [ref]);
  return near;
}
