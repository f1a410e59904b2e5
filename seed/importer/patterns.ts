import { romanValue } from './text.js';
import type { HeadingRole } from './types.js';

/** A structural heading recognised on a line, before its title's wrapped lines are added. */
export interface HeadingMatch {
  role: HeadingRole;
  key: string;
  word: string;
  title: string;
  number: number;
}

// French first (the seed), then English and Spanish, which cost nothing to accept.
const PART = /^([IVXLC]+)\. (\S.*)$/;
const OUTCOME = /^(Résultat|Outcome|Resultado) (\d+)\.(?: (\S.*))?$/;
const ENABLER = /^(Catalyseur|Enabler|Facilitador) ([A-Z])\.(?: (\S.*))?$/;
const OUTPUT = /^(Produit|Output|Producto) (\d+|[A-Z])\.(\d+)\.?(?: (\S.*))?$/;
const STRATEGY = /^(Stratégie|Strategy|Estrategia)$/;
const DECISION = /^(Projet de décision|Draft decision|Proyecto de decisión)$/i;

/**
 * Matches a structural heading. `expectedPart` is the number the next part must carry: parts are
 * numbered I, II, III… without gaps, which keeps an enabler letter printed in a figure ("C. Une gestion…",
 * C being a Roman numeral too) from being taken for a part.
 */
export function matchHeading(line: string, expectedPart: number): HeadingMatch | null {
  const part = PART.exec(line);
  if (part?.[1] && part[2] && romanValue(part[1]) === expectedPart) {
    return { role: 'part', key: part[1], word: part[1], title: part[2], number: expectedPart };
  }
  const outcome = OUTCOME.exec(line);
  if (outcome?.[1] && outcome[2]) {
    return { role: 'outcome', key: outcome[2], word: outcome[1], title: outcome[3] ?? '', number: Number(outcome[2]) };
  }
  const enabler = ENABLER.exec(line);
  if (enabler?.[1] && enabler[2]) {
    return { role: 'enabler', key: enabler[2], word: enabler[1], title: enabler[3] ?? '', number: 0 };
  }
  const output = OUTPUT.exec(line);
  if (output?.[1] && output[2] && output[3]) {
    const key = `${output[2]}.${output[3]}`;
    return { role: 'output', key, word: output[1], title: output[4] ?? '', number: 0 };
  }
  const strategy = STRATEGY.exec(line);
  if (strategy?.[1]) return { role: 'strategy', key: '', word: strategy[1], title: strategy[1], number: 0 };
  const decision = DECISION.exec(line);
  if (decision?.[1]) return { role: 'decision', key: '', word: decision[1], title: decision[1], number: 0 };
  return null;
}

const NUMBERED = /^(\d{1,4})\. (\S.*)$/;

/** A line opening a numbered paragraph: its number and the text after it. */
export function matchNumbered(line: string): { number: number; rest: string } | null {
  const m = NUMBERED.exec(line);
  return m?.[1] && m[2] ? { number: Number(m[1]), rest: m[2] } : null;
}

const BULLET = /^[•▪●◦]\s*(\S.*)$/;

/** A line opening a bullet item: the item's text. */
export function matchBullet(line: string): string | null {
  return BULLET.exec(line)?.[1] ?? null;
}

/** A figure column title printed in capitals ("GOUVERNANCE", "COHÉRENCE"). */
export function isCapitalsLine(line: string): boolean {
  return line.length >= 4 && line.length <= 40 && /^\p{Lu}[\p{Lu}\s'’&-]+$/u.test(line);
}

/** An item of a figure: "1. Une action normative…" or "A. Davantage de connaissances…". */
export const FIGURE_ITEM = /^(\d{1,2}|[A-Z])\. (\S.*)$/;

/** A caption that says outright it introduces a figure. */
export const FIGURE_CAPTION = /^(Figure|Graphique|Gráfico|Chart|Diagram(?:me)?)\b/i;
