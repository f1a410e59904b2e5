import type { AmendmentStatus, AmendmentType } from '../../shared/amendments.js';
import { stateName } from '../../shared/states.js';
import { parseOwnerKey } from '../../shared/ownerKey.js';
import { type RegionalGroup, regionName } from '../../shared/regions.js';

/** Words the exports print, in the document's language (the ILO's three; any other gets English). */
export type ExportLanguage = 'fr' | 'en' | 'es';

export function exportLanguage(language: string): ExportLanguage {
  return language === 'fr' || language === 'es' ? language : 'en';
}

const OWNERS: Record<ExportLanguage, Record<string, string>> = {
  fr: { secretariat: 'le Bureau', employers: 'Groupe des employeurs', workers: 'Groupe des travailleurs' },
  en: { secretariat: 'the Office', employers: "Employers' group", workers: "Workers' group" },
  es: { secretariat: 'la Oficina', employers: 'Grupo de los Empleadores', workers: 'Grupo de los Trabajadores' },
};

/**
 * The regional groups as last read for an export (gather.ts reads them before every render). They are
 * the Office's one list, the same for every reader, so a process-wide copy names them correctly.
 */
let knownRegions: readonly RegionalGroup[] = [];

export function rememberRegionalGroups(groups: readonly RegionalGroup[]): void {
  knownRegions = groups;
}

/**
 * Who an owner key names, as printed and as Word shows a revision's author, in the document's
 * language: the State for a government (`government:South Africa` → Afrique du Sud), the group, or
 * the Office.
 */
export function ownerName(
  ownerKey: string,
  language: ExportLanguage,
  regions: readonly RegionalGroup[] = knownRegions,
): string {
  const owner = parseOwnerKey(ownerKey);
  if (owner.kind === 'government') return stateName(owner.memberState, language);
  if (owner.kind === 'region') {
    const group = regions.find((g) => g.code === owner.region);
    return group ? regionName(group, language) : owner.region;
  }
  return OWNERS[language][ownerKey] ?? ownerKey;
}

const WORDS = {
  fr: {
    tracked: 'Amendements en suspens en mode révision',
    clean: 'Texte révisé (modifications acceptées uniquement)',
    exportedOn: 'Exporté de Concord le',
    compilation: 'Compilation des amendements',
    paragraph: 'Paragraphe',
    text: 'Texte',
    outside: 'Hors des paragraphes numérotés',
    proposedBy: 'Présenté par',
    typedBy: 'saisi par',
    proposal: 'Proposition',
    rationale: 'Justification',
    colon: ' : ',
    office: 'Bureau',
    subAmendment: 'Sous-amendement',
    to: 'à',
    after: 'après le',
    originalText: 'Texte original',
    amendment: 'Amendement',
    alternatives: 'Amendements concurrents sur les mêmes mots (à examiner ensemble)',
    index: 'Index par auteur',
    date: 'Date du document',
    originalLanguage: 'Langue originale',
    byGroup: 'Amendements présentés, par groupe',
    total: 'Total',
    sponsor: 'Auteur',
    subAmendmentOf: 'Sous-amendement à',
    proposes: 'Propose',
    cosponsors: 'Coauteurs',
    support: 'Appui',
    opposition: 'Opposition',
    status: 'Statut',
    decision: 'Décision',
    none: '—',
    noAmendments: 'Aucun amendement n’a été présenté.',
    amendments: 'amendements',
    print: 'Imprimer',
    newParagraph: 'Nouveau paragraphe',
    page: 'Page',
  },
  en: {
    tracked: 'Pending amendments as tracked changes',
    clean: 'Revised text (accepted changes only)',
    exportedOn: 'Exported from Concord on',
    compilation: 'Compilation of amendments',
    paragraph: 'Paragraph',
    text: 'Text',
    outside: 'Outside numbered paragraphs',
    proposedBy: 'Tabled by',
    typedBy: 'typed by',
    proposal: 'Proposal',
    rationale: 'Rationale',
    colon: ': ',
    office: 'Office',
    subAmendment: 'Sub-amendment',
    to: 'to',
    after: 'after',
    originalText: 'Original text',
    amendment: 'Amendment',
    alternatives: 'Rival amendments on the same words (to be taken together)',
    index: 'Index by sponsor',
    date: 'Date of the document',
    originalLanguage: 'Original language',
    byGroup: 'Amendments tabled, by group',
    total: 'Total',
    sponsor: 'Sponsor',
    subAmendmentOf: 'Sub-amendment to',
    proposes: 'Proposes',
    cosponsors: 'Co-sponsors',
    support: 'Support',
    opposition: 'Opposition',
    status: 'Status',
    decision: 'Decision',
    none: '—',
    noAmendments: 'No amendment has been tabled.',
    amendments: 'amendments',
    print: 'Print',
    newParagraph: 'New paragraph',
    page: 'Page',
  },
  es: {
    tracked: 'Enmiendas pendientes con control de cambios',
    clean: 'Texto revisado (solo cambios aceptados)',
    exportedOn: 'Exportado de Concord el',
    compilation: 'Compilación de enmiendas',
    paragraph: 'Párrafo',
    text: 'Texto',
    outside: 'Fuera de los párrafos numerados',
    proposedBy: 'Presentada por',
    typedBy: 'escrita por',
    proposal: 'Propuesta',
    rationale: 'Justificación',
    colon: ': ',
    office: 'Oficina',
    subAmendment: 'Subenmienda',
    to: 'a',
    after: 'después del',
    originalText: 'Texto original',
    amendment: 'Enmienda',
    alternatives: 'Enmiendas concurrentes sobre las mismas palabras (que se examinarán conjuntamente)',
    index: 'Índice por autor',
    date: 'Fecha del documento',
    originalLanguage: 'Idioma original',
    byGroup: 'Enmiendas presentadas, por grupo',
    total: 'Total',
    sponsor: 'Autor',
    subAmendmentOf: 'Subenmienda a',
    proposes: 'Propone',
    cosponsors: 'Copatrocinadores',
    support: 'Apoyo',
    opposition: 'Oposición',
    status: 'Estado',
    decision: 'Decisión',
    none: '—',
    noAmendments: 'No se ha presentado ninguna enmienda.',
    amendments: 'enmiendas',
    print: 'Imprimir',
    newParagraph: 'Nuevo párrafo',
    page: 'Página',
  },
} as const;

export type Words = { readonly [K in keyof (typeof WORDS)['en']]: string };

export function words(language: ExportLanguage): Words {
  return WORDS[language];
}

const STATUSES: Record<ExportLanguage, Record<string, string>> = {
  fr: { draft: 'Projet', proposed: 'En suspens', withdrawn: 'Retiré', accepted: 'Accepté', rejected: 'Rejeté' },
  en: { draft: 'Draft', proposed: 'Pending', withdrawn: 'Withdrawn', accepted: 'Accepted', rejected: 'Rejected' },
  es: { draft: 'Borrador', proposed: 'Pendiente', withdrawn: 'Retirada', accepted: 'Aceptada', rejected: 'Rechazada' },
};

export function statusName(status: AmendmentStatus, language: ExportLanguage): string {
  return STATUSES[language][status] ?? status;
}

const TYPES: Record<ExportLanguage, Record<AmendmentType, string>> = {
  fr: { insert: 'Insertion', delete: 'Suppression', replace: 'Remplacement', paragraph: 'Nouveau paragraphe' },
  en: { insert: 'Insertion', delete: 'Deletion', replace: 'Replacement', paragraph: 'New paragraph' },
  es: { insert: 'Inserción', delete: 'Supresión', replace: 'Sustitución', paragraph: 'Nuevo párrafo' },
};

export function typeName(type: AmendmentType, language: ExportLanguage): string {
  return TYPES[language][type];
}

const GROUP_NAMES: Record<ExportLanguage, Record<string, string>> = {
  fr: { government: 'Groupe gouvernemental', employers: 'Groupe des employeurs', workers: 'Groupe des travailleurs' },
  en: { government: 'Government group', employers: "Employers' group", workers: "Workers' group" },
  es: {
    government: 'Grupo Gubernamental',
    employers: 'Grupo de los Empleadores',
    workers: 'Grupo de los Trabajadores',
  },
};

export function groupName(group: string, language: ExportLanguage): string {
  return GROUP_NAMES[language][group] ?? group;
}

const LOCALES: Record<ExportLanguage, string> = { fr: 'fr-FR', en: 'en-GB', es: 'es-ES' };

/** A date as printed: `26 novembre 2026` / `26 November 2026` / `26 de noviembre de 2026` (UTC). */
export function longDate(ms: number, language: ExportLanguage): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(ms));
}

/** The few phrases exports build around quoted words, in the document's language. */
const PHRASES = {
  fr: {
    inAmendment: 'À l’amendement',
    inParagraph: 'Au paragraphe',
    inSection: 'À la section',
    insert: 'insérer',
    atStartInsert: 'au début, insérer',
    afterWords: 'après les mots',
    delete: 'supprimer',
    replace: 'remplacer',
    with: 'par',
    afterParagraph: 'Après le paragraphe',
    add: 'ajouter',
    only: 'uniquement',
    sentence: (n: number, ordinal: string | undefined) => `${ordinal ?? `${n}e`} phrase`,
    quoted: (text: string) => ` : « ${text} »`,
    session: (n: string) => `Conseil d’administration, ${n}e session`,
  },
  en: {
    inAmendment: 'In amendment',
    inParagraph: 'In paragraph',
    inSection: 'In section',
    insert: 'insert',
    atStartInsert: 'at the beginning, insert',
    afterWords: 'after the words',
    delete: 'delete',
    replace: 'replace',
    with: 'with',
    afterParagraph: 'After paragraph',
    add: 'add',
    only: 'only',
    sentence: (n: number, ordinal: string | undefined) => (ordinal ? `${ordinal} sentence` : `sentence ${n}`),
    quoted: (text: string) => `: “${text}”`,
    session: (n: string) => `Governing Body, ${n}th Session`,
  },
  es: {
    inAmendment: 'En la enmienda',
    inParagraph: 'En el párrafo',
    inSection: 'En la sección',
    insert: 'insértese',
    atStartInsert: 'al principio, insértese',
    afterWords: 'después de las palabras',
    delete: 'suprímase',
    replace: 'sustitúyase',
    with: 'por',
    afterParagraph: 'Después del párrafo',
    add: 'añádase',
    only: 'solamente',
    sentence: (n: number, ordinal: string | undefined) => `${ordinal ?? `${n}.ª`} oración`,
    quoted: (text: string) => `: «${text}»`,
    session: (n: string) => `Consejo de Administración, ${n}.ª reunión`,
  },
} satisfies Record<ExportLanguage, Record<string, unknown>>;

export function phrases(language: ExportLanguage) {
  return PHRASES[language];
}
