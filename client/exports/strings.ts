import type { Language } from '../i18n';

/** Words of the export menu and the import dialog (their own, so that client/i18n stays untouched). */
const STRINGS = {
  en: {
    menu: 'Export',
    menuLabel: 'Export or import the document',
    tracked: 'Word — pending amendments as tracked changes',
    circulation: 'Word — for circulation (public comments only)',
    clean: 'Word — revised text (accepted changes only)',
    sectionTracked: 'Word — this section, tracked changes',
    compilationDocx: 'Compilation of amendments (Word)',
    compilationHtml: 'Compilation of amendments (print / PDF)',
    akn: 'Akoma Ntoso XML',
    import: 'Import Word amendments…',
    importTitle: 'Import amendments from Word',
    importIntro:
      'Upload a Word file of the document or an extract, edited with track changes on. Concord finds each change in its paragraph and shows it here before anything is tabled.',
    file: 'Word file (.docx)',
    onBehalfOf: 'On behalf of',
    onBehalfOfHint: 'employers, workers or government:<State>',
    read: 'Read the file',
    reading: 'Reading…',
    found: '{count} amendment(s) found',
    unplaced: '{count} change(s) could not be placed',
    paragraph: 'Paragraph {number}',
    op_insert: 'Insert',
    op_delete: 'Delete',
    op_replace: 'Replace',
    op_paragraph: 'New paragraph',
    by: 'by {author}',
    table: 'Table selected ({count})',
    tabling: 'Tabling…',
    tabled: 'Tabled as {ref}',
    failed: 'Not tabled: {message}',
    rationale: 'Rationale',
    rationaleHint: 'Why this amendment (from the Word comments on it; edit before tabling)',
    close: 'Close',
    selectAll: 'Select all',
    none: 'No change found in this file.',
  },
  fr: {
    menu: 'Exporter',
    menuLabel: 'Exporter ou importer le document',
    tracked: 'Word — amendements en suspens en mode révision',
    circulation: 'Word — pour diffusion (commentaires publics seulement)',
    clean: 'Word — texte révisé (modifications acceptées uniquement)',
    sectionTracked: 'Word — cette section, en mode révision',
    compilationDocx: 'Compilation des amendements (Word)',
    compilationHtml: 'Compilation des amendements (impression / PDF)',
    akn: 'Akoma Ntoso XML',
    import: 'Importer des amendements Word…',
    importTitle: 'Importer des amendements depuis Word',
    importIntro:
      'Déposez un fichier Word du document ou d’un extrait, modifié en mode révision. Concord retrouve chaque modification dans son paragraphe et l’affiche ici avant toute présentation.',
    file: 'Fichier Word (.docx)',
    onBehalfOf: 'Au nom de',
    onBehalfOfHint: 'employers, workers ou government:<État>',
    read: 'Lire le fichier',
    reading: 'Lecture…',
    found: '{count} amendement(s) trouvé(s)',
    unplaced: '{count} modification(s) non placée(s)',
    paragraph: 'Paragraphe {number}',
    op_insert: 'Insérer',
    op_delete: 'Supprimer',
    op_replace: 'Remplacer',
    op_paragraph: 'Nouveau paragraphe',
    by: 'par {author}',
    table: 'Présenter la sélection ({count})',
    tabling: 'Présentation…',
    tabled: 'Présenté sous {ref}',
    failed: 'Non présenté : {message}',
    rationale: 'Justification',
    rationaleHint: 'Pourquoi cet amendement (d’après les commentaires Word ; modifiable avant présentation)',
    close: 'Fermer',
    selectAll: 'Tout sélectionner',
    none: 'Aucune modification trouvée dans ce fichier.',
  },
} as const;

export type ExportKey = keyof (typeof STRINGS)['en'];

export function exportStrings(language: Language) {
  const dictionary: Record<ExportKey, string> = STRINGS[language];
  return (key: ExportKey, params: Record<string, string | number> = {}) =>
    dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
