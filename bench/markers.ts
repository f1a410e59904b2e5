/** Edit markers: each edit inserts `[w<writer>#<edit>]`; receivers find them in the raw update bytes. */
export function marker(writer: number, edit: number): string {
  return `[w${writer}#${edit}]`;
}

const OPEN = 0x5b; // [
const W = 0x77; // w
const HASH = 0x23; // #
const CLOSE = 0x5d; // ]
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Calls `found(edit)` for every marker in a Yjs update. Strings are stored as UTF-8 in the update, so
 * a byte scan finds them without decoding the update (cheap enough to leave the clients' cost as is).
 */
export function scanMarkers(bytes: Uint8Array, found: (edit: number) => void): void {
  const end = bytes.length;
  for (let i = bytes.indexOf(OPEN); i !== -1 && i < end; i = bytes.indexOf(OPEN, i + 1)) {
    if (bytes[i + 1] !== W) continue;
    let j = i + 2;
    const digitsStart = j;
    while (j < end && (bytes[j] as number) >= ZERO && (bytes[j] as number) <= NINE) j++;
    if (j === digitsStart || bytes[j] !== HASH) continue;
    j++;
    let edit = 0;
    const editStart = j;
    while (j < end && (bytes[j] as number) >= ZERO && (bytes[j] as number) <= NINE) {
      edit = edit * 10 + ((bytes[j] as number) - ZERO);
      j++;
    }
    if (j === editStart || bytes[j] !== CLOSE) continue;
    found(edit);
  }
}

/** Every marker in a text, for the end-of-run check. */
export function countMarkers(text: string): number {
  return text.match(/\[w\d+#\d+\]/g)?.length ?? 0;
}
