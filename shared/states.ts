/**
 * Member States as the exports print them. A State is meant to be stored as its ISO 3166-1 alpha-2
 * code and named through CLDR (`Intl.DisplayNames`) in the reader's language. Records written before
 * States had codes (migrated by 0004) and some tests' fixtures hold English names ("South Africa"),
 * which are mapped back to their code here: every English name CLDR knows, plus the UN names that differ from CLDR's.
 */

const UN_NAMES: Record<string, string> = {
  'Russian Federation': 'RU',
  'Republic of Korea': 'KR',
  'United States of America': 'US',
  'United Kingdom of Great Britain and Northern Ireland': 'GB',
  'Iran (Islamic Republic of)': 'IR',
  'Bolivia (Plurinational State of)': 'BO',
  'Venezuela (Bolivarian Republic of)': 'VE',
  'United Republic of Tanzania': 'TZ',
  'Viet Nam': 'VN',
  "Côte d'Ivoire": 'CI',
  Türkiye: 'TR',
  'Czech Republic': 'CZ',
};

/** Withdrawn codes CLDR still names ("FX", Metropolitan France, is named "France"): never the answer. */
const WITHDRAWN = new Set([
  'AN',
  'BU',
  'CS',
  'DD',
  'DY',
  'FX',
  'HV',
  'NH',
  'RH',
  'SU',
  'TP',
  'UK',
  'VD',
  'YD',
  'YU',
  'ZR',
]);

let englishNames: Map<string, string> | null = null;

/** One region-name formatter per language: making one costs more than the lookups it serves. */
const regionNamers = new Map<string, Intl.DisplayNames>();
function regionNames(language: string): Intl.DisplayNames {
  let namer = regionNamers.get(language);
  if (!namer) {
    namer = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    // A handful of interface languages; never a cache a caller's strings could grow.
    if (regionNamers.size < 16) regionNamers.set(language, namer);
  }
  return namer;
}

/** English CLDR names of every region code, lowercased, to their code (built once). */
function byEnglishName(): Map<string, string> {
  if (englishNames) return englishNames;
  const names = regionNames('en');
  const map = new Map<string, string>();
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = WITHDRAWN.has(code) ? undefined : names.of(code);
      if (name) map.set(name.toLowerCase(), code);
    }
  }
  for (const [name, code] of Object.entries(UN_NAMES)) map.set(name.toLowerCase(), code);
  englishNames = map;
  return map;
}

/** The ISO 3166-1 alpha-2 code of a stored State (a code already, or an English name), or null. */
export function stateCode(stored: string): string | null {
  const value = stored.trim();
  if (/^[A-Za-z]{2}$/.test(value)) {
    const code = value.toUpperCase();
    return regionNames('en').of(code) ? code : null;
  }
  return byEnglishName().get(value.replace(/[’‘]/g, "'").toLowerCase()) ?? null;
}

/** A State's name in `language` ("Afrique du Sud" for `ZA` or "South Africa" in French); as stored when unknown. */
export function stateName(stored: string, language: string): string {
  const code = stateCode(stored);
  if (!code) return stored;
  return regionNames(language).of(code) ?? stored;
}
