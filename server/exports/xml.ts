/** XML text helpers shared by the DOCX, HTML and Akoma Ntoso writers. */

// Characters XML 1.0 forbids: C0 controls but tab, line feed and carriage return; lone surrogates; U+FFFE/F.
// biome-ignore lint/complexity/useRegexLiterals: a literal would hold the control characters themselves
const INVALID = new RegExp(
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  'g',
);

/** Escapes text for element content and attribute values, dropping characters XML cannot hold. */
export function esc(text: string): string {
  return text
    .replace(INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** `name="value"` pairs, skipping undefined values. */
export function attrs(values: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out += ` ${name}="${esc(String(value))}"`;
  }
  return out;
}

/** An ISO 8601 date-time without milliseconds, as Word writes w:date: `2026-11-26T09:30:00Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2026-11-26` (UTC). */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
