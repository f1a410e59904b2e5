/** One card in the margin: where its words are (relative to the margin's top) and how tall it is. */
export interface MarginBox {
  anchor: number;
  height: number;
}

/** Space between two cards of the margin, in pixels. */
export const MARGIN_GAP = 8;

/**
 * Where each card of the margin goes (boxes sorted by anchor): beside its words unless that would overlap
 * the card above, then pushed down. The active card sits exactly at its words, the cards above it pushed
 * up to make room (never above the margin's top, where they push down again) — the Google Docs / Word
 * layout, so the card a reader opened is always level with the words they clicked.
 */
export function marginTops(boxes: readonly MarginBox[], active: number | null, gap = MARGIN_GAP): number[] {
  const tops = boxes.map((b) => b.anchor);
  const from = active !== null && active >= 0 && active < boxes.length ? active : null;
  const start = from ?? 0;
  if (from === null && boxes.length > 0) tops[0] = Math.max(0, boxes[0]?.anchor ?? 0);
  for (let i = start + 1; i < boxes.length; i++) {
    const above = (tops[i - 1] ?? 0) + (boxes[i - 1]?.height ?? 0) + gap;
    tops[i] = Math.max(boxes[i]?.anchor ?? 0, above);
  }
  if (from === null) return tops;
  for (let i = from - 1; i >= 0; i--) {
    const below = (tops[i + 1] ?? 0) - (boxes[i]?.height ?? 0) - gap;
    tops[i] = Math.min(boxes[i]?.anchor ?? 0, below);
  }
  // Not enough room above the active card: the stack starts at the margin's top and pushes down.
  if ((tops[0] ?? 0) < 0) {
    tops[0] = 0;
    for (let i = 1; i < boxes.length; i++) {
      const above = (tops[i - 1] ?? 0) + (boxes[i - 1]?.height ?? 0) + gap;
      tops[i] = Math.max(tops[i] ?? 0, above);
    }
  }
  return tops;
}
