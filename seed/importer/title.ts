import { joinWrapped } from './text.js';
import type { SourceLine, Unit } from './types.js';

const AGENDA_LINE = /(?:point|question) .*à l[’']ordre du jour|item on the agenda|punto del orden del día/i;
const PURPOSE_LINE = /^(?:Objet du document|Purpose of the document|Finalidad del documento)/i;

/**
 * The title as printed on the cover page: GB cover pages give the agenda item ("Premier point à l'ordre du
 * jour") and the title on the following lines, down to a blank line or "Objet du document".
 */
function coverTitle(lines: SourceLine[]): string | null {
  const agenda = lines.findIndex((l) => l.kind === 'text' && AGENDA_LINE.test(l.text));
  if (agenda < 0) return null;
  let title = '';
  let i = agenda + 1;
  while (lines[i]?.kind === 'blank') i++;
  for (let line = lines[i]; line?.kind === 'text' && !PURPOSE_LINE.test(line.text); line = lines[++i]) {
    title = joinWrapped(title, line.text);
  }
  return title === '' ? null : title;
}

/** Titles that a document of the programme-and-budget family gives itself in its own text. */
const SELF_DESCRIPTIONS: { describes: RegExp; period: RegExp; title: (period: string) => string }[] = [
  {
    describes: /présent aperçu préliminaire/i,
    period: /Propositions de programme et de budget pour (\d{4}-\d{2,4})/,
    title: (p) => `Aperçu préliminaire des Propositions de programme et de budget pour ${p}`,
  },
  {
    describes: /this (?:preliminary )?(?:preview|overview)/i,
    period: /Programme and Budget [Pp]roposals for (\d{4}[–-]\d{2,4})/,
    title: (p) => `Preview of the Programme and Budget Proposals for ${p}`,
  },
];

function selfDescribedTitle(units: Unit[]): string | null {
  const text = units.map((u) => ('text' in u ? u.text : u.title)).join('\n');
  for (const d of SELF_DESCRIPTIONS) {
    const period = d.period.exec(text)?.[1];
    if (d.describes.test(text) && period) return d.title(period);
  }
  return null;
}

/**
 * The document's title: from the cover page when the extraction kept it; otherwise from the way the
 * document names itself (a preview of the programme and budget proposals says "le présent aperçu
 * préliminaire" and names the biennium), which covers extractions that start at the first page of text.
 * Null when neither is found; the caller then falls back on an explicit option or the symbol.
 */
export function detectTitle(lines: SourceLine[], units: Unit[]): string | null {
  return coverTitle(lines) ?? selfDescribedTitle(units);
}
