/**
 * The States an account may speak for, as ISO 3166-1 alpha-2 codes named in the reader's language by
 * CLDR (`Intl.DisplayNames`), sorted by that name. Codes CLDR names that are no State (the EU, the
 * UN, the "unknown region", withdrawn and reserved codes) are left out.
 */
const NOT_STATES = new Set([
  'AC',
  'AN',
  'BU',
  'CP',
  'CQ',
  'CS',
  'DD',
  'DG',
  'DY',
  'EA',
  'EU',
  'EZ',
  'FX',
  'HV',
  'IC',
  'NH',
  'QO',
  'RH',
  'SU',
  'TA',
  'TP',
  'UK',
  'UN',
  'VD',
  'XA',
  'XB',
  'XK',
  'YD',
  'YU',
  'ZR',
  'ZZ',
]);

const cache = new Map<string, { code: string; name: string }[]>();

export function stateOptions(language: string): { code: string; name: string }[] {
  const cached = cache.get(language);
  if (cached) return cached;
  const names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
  const options: { code: string; name: string }[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = NOT_STATES.has(code) ? undefined : names.of(code);
      if (name) options.push({ code, name });
    }
  }
  options.sort((x, y) => x.name.localeCompare(y.name, language));
  cache.set(language, options);
  return options;
}

/** A State's name in the reader's language; the stored value itself when it is no code (older records). */
export function stateLabel(stored: string, language: string): string {
  if (!/^[A-Z]{2}$/.test(stored)) return stored;
  return new Intl.DisplayNames([language], { type: 'region', fallback: 'none' }).of(stored) ?? stored;
}
