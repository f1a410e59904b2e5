import type { Amendment } from '../../shared/amendments.js';
import { publishedAmendments } from '../policies/exports.js';

/**
 * How the exports name an amendment. Concord numbers every tabled amendment from one counter (`A-7`),
 * which is what delegates see on screen; the Office numbers a sub-amendment under its parent, in the
 * order they were tabled (`A-2/1`, `A-2/2`, a sub-amendment of that `A-2/1/1`). The exports print both
 * for a sub-amendment — "A-2/1 (A-7)" — so that either can be looked up.
 */

function refNumber(a: Pick<Amendment, 'ref'>): number {
  return Number(a.ref.replace(/\D+/g, '')) || 0;
}

export interface References {
  /** The Office's reference: `A-2/1` for a sub-amendment, the record's own (`A-2`) otherwise. */
  number(a: Amendment): string;
  /** As printed: `A-2/1 (A-7)` for a sub-amendment, `A-2` otherwise. */
  label(a: Amendment): string;
}

const cache = new WeakMap<object, References>();

/** The references of an export's amendments, computed once per export (keyed on its amendment map). */
export function referencesFor(amendments: Map<string, Amendment>): References {
  let refs = cache.get(amendments);
  if (!refs) {
    refs = referencesOf(amendments.values());
    cache.set(amendments, refs);
  }
  return refs;
}

/** References of the amendments that are tabled (drafts have none and never count in a rank). */
export function referencesOf(amendments: Iterable<Amendment>): References {
  const tabled = publishedAmendments([...amendments]).sort((x, y) => refNumber(x) - refNumber(y));
  const byId = new Map(tabled.map((a) => [a.id, a]));
  const rank = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const a of tabled) {
    if (a.parentId === null || !byId.has(a.parentId)) continue;
    const next = (seen.get(a.parentId) ?? 0) + 1;
    seen.set(a.parentId, next);
    rank.set(a.id, next);
  }
  const numbers = new Map<string, string>();
  const number = (a: Amendment, depth = 0): string => {
    const known = numbers.get(a.id);
    if (known) return known;
    const parent = a.parentId ? byId.get(a.parentId) : undefined;
    const place = rank.get(a.id);
    // Depth bound: parent links come from records, and a cycle must not hang an export.
    const value = parent && place !== undefined && depth < 16 ? `${number(parent, depth + 1)}/${place}` : a.ref;
    numbers.set(a.id, value);
    return value;
  };
  return {
    number: (a) => number(a),
    label: (a) => {
      const n = number(a);
      return n === a.ref ? n : `${n} (${a.ref})`;
    },
  };
}
