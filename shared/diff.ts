/**
 * A word-level diff (Myers' O(ND) algorithm) for comparing versions of a paragraph. Text is split into
 * words, runs of spaces and single punctuation marks, so a change shows as whole words, and the pieces
 * joined again give back the text exactly.
 */

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffPart {
  type: DiffOp;
  text: string;
}

const TOKEN = /\s+|[\p{L}\p{N}\p{M}’'_-]+|[^\s\p{L}\p{N}\p{M}’'_-]/gu;

/** Words, spaces and punctuation, in order: `tokenize(t).join('') === t`. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * The shortest edit script turning `a` into `b`, as (type, index) steps: Myers' greedy forward search
 * with one saved frontier per edit distance, then a walk back through the frontiers.
 */
function editScript<T>(a: readonly T[], b: readonly T[]): { type: DiffOp; a: number; b: number }[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Array<number>(2 * max + 3).fill(0);
  const trace: number[][] = [];
  let found = max === 0;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
      let x = down ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  trace.push(v);
  // Walk back from (n, m) through the saved frontiers.
  const steps: { type: DiffOp; a: number; b: number }[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0; d--) {
    const frontier = trace[d] as number[];
    const k = x - y;
    const down = k === -d || (k !== d && (frontier[offset + k - 1] as number) < (frontier[offset + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : (frontier[offset + prevK] as number);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      steps.push({ type: 'equal', a: x, b: y });
    }
    if (d === 0) break;
    if (down) {
      y--;
      steps.push({ type: 'insert', a: x, b: y });
    } else {
      x--;
      steps.push({ type: 'delete', a: x, b: y });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    steps.push({ type: 'equal', a: x, b: y });
  }
  return steps.reverse();
}

/** The diff of two token lists, as runs of equal, deleted and inserted tokens (a deletion before an insertion). */
export function diffTokens(a: readonly string[], b: readonly string[]): DiffPart[] {
  // Common ends first: cheap, and it keeps the search small for the usual one-change paragraph.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  const push = (type: DiffOp, text: string) => {
    if (text === '') return;
    const last = parts.at(-1);
    if (last && last.type === type) last.text += text;
    else parts.push({ type, text });
  };
  push('equal', a.slice(0, start).join(''));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  let deleted = '';
  let inserted = '';
  const flush = () => {
    push('delete', deleted);
    push('insert', inserted);
    deleted = '';
    inserted = '';
  };
  for (const step of editScript(midA, midB)) {
    if (step.type === 'equal') {
      flush();
      push('equal', midA[step.a] as string);
    } else if (step.type === 'delete') deleted += midA[step.a] as string;
    else inserted += midB[step.b] as string;
  }
  flush();
  push('equal', a.slice(endA).join(''));
  return parts;
}

/** Word-level diff of two texts. Joining the equal and deleted parts gives `a`; equal and inserted, `b`. */
export function diffWords(a: string, b: string): DiffPart[] {
  return diffTokens(tokenize(a), tokenize(b));
}
