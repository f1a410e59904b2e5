import type { FigureGroup } from '../../shared/schema/index.js';
import { FIGURE_CAPTION, FIGURE_ITEM, isCapitalsLine } from './patterns.js';
import { joinWrapped, looksLikeHeading, startsLower } from './text.js';
import type { TextUnit, Unit } from './types.js';

/** What the importer itself writes about a figure: only where a printed figure could not be read. */
interface Words {
  placeholderNote: string;
  untitled: string;
}

const WORDS: Record<string, Words> = {
  fr: {
    placeholderNote: 'Figure non reproduite : voir le document original.',
    untitled: 'Figure',
  },
  en: {
    placeholderNote: 'Figure not reproduced: see the original document.',
    untitled: 'Figure',
  },
  es: {
    placeholderNote: 'Figura no reproducida: véase el documento original.',
    untitled: 'Figura',
  },
};

/** The figure vocabulary of a language, French when the language is not known. */
export function figureWords(language: string): Words {
  return WORDS[language.slice(0, 2)] ?? (WORDS.fr as Words);
}

type ItemKind = 'numbered' | 'lettered' | 'plain';

interface Builder {
  /** `itemKind` is null for a column opened by a capitals title and still empty: it takes any item. */
  groups: (FigureGroup & { itemKind: ItemKind | null })[];
  item: number;
}

/**
 * Rebuilds the columns of a results-framework diagram from its scattered words, keeping every word as
 * printed and adding none. Capitals open a column ("GOUVERNANCE"); "N. text" and "A. text" open items;
 * a line starting in lowercase continues the current item, since the diagram wraps its boxes; any other
 * line opens an unlabelled item, which after labelled items means the row of founding texts under the
 * diagram. A change of item kind without a capitals title opens a column without a heading.
 * `labels` are the captions printed above the diagram: one naming the enablers ("Catalyseurs proposés")
 * heads their column; the others ("Résultats stratégiques proposés") come first, as headings alone.
 */
export function parseFigure(lines: string[], labels: string[], _language: string): FigureGroup[] {
  const enablerLabel = labels.find((l) => /^(catalyseur|enabler|facilitador)/i.test(l));
  const defaults: Record<ItemKind, string> = { numbered: '', lettered: enablerLabel ?? '', plain: '' };
  const b: Builder = { groups: [], item: -1 };
  const captions = labels.filter((l) => l !== enablerLabel).map((heading) => ({ heading, items: [] as string[] }));
  for (const line of lines) {
    const item = FIGURE_ITEM.exec(line);
    if (isCapitalsLine(line)) {
      b.groups.push({ heading: line.trim(), items: [], itemKind: null });
      b.item = -1;
    } else if (item?.[1]) {
      const kind: ItemKind = /\d/.test(item[1]) ? 'numbered' : 'lettered';
      addItem(b, line, kind, defaults[kind]);
    } else if (b.item >= 0 && (startsLower(line) || /^[\d«(]/.test(line))) {
      continueItem(b, line);
    } else {
      addItem(b, line, 'plain', defaults.plain);
    }
  }
  const columns = b.groups.filter((g) => g.items.length > 0).map(({ heading, items }) => ({ heading, items }));
  return [...captions, ...columns];
}

function addItem(b: Builder, text: string, kind: ItemKind, defaultHeading: string): void {
  let group = b.groups[b.groups.length - 1];
  if (group === undefined || (group.itemKind !== null && group.itemKind !== kind)) {
    group = { heading: defaultHeading, items: [], itemKind: kind };
    b.groups.push(group);
  }
  group.itemKind = kind;
  group.items.push(text);
  b.item = group.items.length - 1;
}

function continueItem(b: Builder, text: string): void {
  const group = b.groups[b.groups.length - 1];
  const before = group?.items[b.item];
  if (group === undefined || before === undefined) return;
  group.items[b.item] = joinWrapped(before, text);
}

/** Units that end a search for a figure's caption: the caption is printed in the same section. */
function isSectionHeading(unit: Unit): boolean {
  return unit.type === 'heading' && unit.role !== 'strategy';
}

/** A caption: a heading-like text alone on its page (the diagram filling the rest) or saying "Figure". */
function isCaption(unit: Unit): unit is TextUnit {
  return (
    unit.type === 'text' &&
    looksLikeHeading(unit.text) &&
    ((unit.indented && unit.endsPage) || FIGURE_CAPTION.test(unit.text))
  );
}

/**
 * Puts each figure where its caption is printed: the extraction emits a diagram's words after the text
 * that flows around it, while its caption stays in place. A caption saying "Figure" with no words found
 * becomes a labelled placeholder, so that a diagram is never silently lost.
 */
export function settleFigures(units: Unit[], language: string): void {
  const words = figureWords(language);
  for (let f = 0; f < units.length; f++) {
    const figure = units[f];
    if (figure?.type !== 'figure' || figure.title !== '') continue;
    let k = f - 1;
    while (k >= 0 && !isSectionHeading(units[k] as Unit) && !isCaption(units[k] as Unit)) k--;
    const caption = units[k];
    if (k >= 0 && caption?.type === 'text' && isCaption(caption)) {
      figure.title = caption.text;
      units.splice(f, 1);
      units[k] = figure;
    } else {
      figure.title = words.untitled;
    }
  }
  for (let k = 0; k < units.length; k++) {
    const unit = units[k];
    if (unit?.type === 'text' && looksLikeHeading(unit.text) && FIGURE_CAPTION.test(unit.text)) {
      units[k] = { type: 'figure', title: unit.text, groups: [], labels: [], note: words.placeholderNote };
    }
  }
}
