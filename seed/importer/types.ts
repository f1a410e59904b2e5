import type { FigureGroup } from '../../shared/schema/index.js';

/** One line of the extracted text after noise removal. */
export type SourceLine =
  | { kind: 'blank' }
  /** Where the PDF turned a page: a removed page header, stray URL or a whitespace-only separator line. */
  | { kind: 'pageBreak' }
  | {
      kind: 'text';
      text: string;
      /** The raw line began with whitespace, which is how this extraction starts a new page. */
      indented: boolean;
    }
  | { kind: 'footnote'; marker: string; text: string };

/** The structural headings the importer recognises by pattern. */
export type HeadingRole = 'part' | 'outcome' | 'enabler' | 'output' | 'strategy' | 'decision';

/** A footnote placed in the text of a unit: `offset` is where its marker stood. */
export interface PlacedNote {
  offset: number;
  marker: string;
  text: string;
}

interface TextBearing {
  text: string;
  notes: PlacedNote[];
}

/** A structural heading: part, outcome, enabler, output, strategy or draft decision. */
export interface HeadingUnit {
  type: 'heading';
  role: HeadingRole;
  /** `1`, `A`, `1.1`, `II`: what identifies the heading among its kind. */
  key: string;
  /** The printed word: `Résultat`, `Outcome`, `Projet de décision`, … */
  word: string;
  title: string;
  /** For parts: the value of the Roman numeral. */
  number: number;
}

/** A numbered paragraph's own text, without the bullets that follow it. */
export interface ParaUnit extends TextBearing {
  type: 'para';
  number: number;
}

/** One bullet item. */
export interface BulletUnit extends TextBearing {
  type: 'bullet';
}

/** Unnumbered text: a subheading, a box title, box prose or a stray paragraph; the structure pass decides. */
export interface TextUnit extends TextBearing {
  type: 'text';
  indented: boolean;
  /** The page ended right after this text, i.e. it stood alone at the bottom (or on its own page). */
  endsPage: boolean;
}

/** A diagram rebuilt from its scattered words, or a placeholder for one. */
export interface FigureUnit {
  type: 'figure';
  title: string;
  groups: FigureGroup[];
  /** Caption-like lines printed above the diagram ("Catalyseurs proposés"). */
  labels: string[];
  note: string | null;
}

/** The reading-order units of a document, between the line pass and the section pass. */
export type Unit = HeadingUnit | ParaUnit | BulletUnit | TextUnit | FigureUnit;

/** A footnote as found at a page bottom, before its marker is located. */
export interface PendingNote {
  marker: string;
  text: string;
  /** Index of the last text-bearing unit when the note was met, or -1. */
  unitIndex: number;
  /** Length of that unit's text when the note was met: the marker stands before it. */
  offset: number;
}
