import type { ImportReason, ImportReasonCode } from '../../shared/imports.js';
import { stateName } from '../../shared/states.js';
import { format } from '../i18n';
import type { Language } from '../i18n';

/**
 * Why a Word revision could not be placed or tabled, in the reader's language. The server sends a code
 * and its parameters (server/imports/reasons.ts holds the English sentences for API readers); a
 * server's own refusal (`detail`) is quoted as it came.
 */
const REASONS: Record<Language, Record<ImportReasonCode, string>> = {
  en: {
    heading: 'It is in a heading; amendments change numbered paragraphs only.',
    newParagraph:
      'A new paragraph cannot be tabled from a Word file: propose it in Concord (a new paragraph after paragraph {after}), or insert its words into an existing paragraph.',
    proposedParagraph: 'It is in paragraph {paragraph}, which is not in the official text (a proposed paragraph).',
    paragraphNumber: 'It changes the paragraph number, which is the Office’s.',
    startOfParagraph:
      'It inserts words at the very start of paragraph {paragraph}; propose it in Concord as a replacement of the first words.',
    startOfBullet:
      'It inserts words at the very start of a bullet; propose it in Concord as a replacement of the first words.',
    spacesOnly: 'It deletes only spaces or punctuation that could not be located exactly.',
    noWords: 'The paragraph has no words of the official text to place it by.',
    repeatedInParagraph:
      'Its text occurs {count} times in paragraph {paragraph}; number the paragraph (“{paragraph}.”) or give more words.',
    inSeveralParagraphs:
      'Its text occurs in {count} paragraphs ({paragraphs}); keep the paragraph number (“27.”) at the start of the paragraph.',
    notInParagraph:
      'Its text is not in paragraph {paragraph} nor anywhere else in the document (the text may have changed since the file was made).',
    notFound: 'Its text was not found in the document (the text may have changed since the file was made).',
    alreadyTabled: 'Already tabled as {ref} by {owner}.',
    underAmendment: 'Its words are under amendment {ref}: amend that one or choose other words.',
    notPlaceable: 'It cannot be placed in the text: {detail}',
    notInImport: 'There is no {id} in this import.',
    tabledHere: 'Already tabled as {ref}.',
    refused: '{detail}',
  },
  fr: {
    heading: 'La modification porte sur un titre ; les amendements ne modifient que les paragraphes numérotés.',
    newParagraph:
      'Un nouveau paragraphe ne peut pas être présenté depuis un fichier Word : proposez-le dans Concord (nouveau paragraphe après le paragraphe {after}) ou insérez ses mots dans un paragraphe existant.',
    proposedParagraph:
      'La modification porte sur le paragraphe {paragraph}, qui ne figure pas dans le texte officiel (paragraphe proposé).',
    paragraphNumber: 'La modification change le numéro du paragraphe, qui relève du Bureau.',
    startOfParagraph:
      'Des mots sont insérés au tout début du paragraphe {paragraph} ; proposez-les dans Concord en remplaçant les premiers mots.',
    startOfBullet:
      'Des mots sont insérés au tout début d’un alinéa ; proposez-les dans Concord en remplaçant les premiers mots.',
    spacesOnly:
      'Seuls des espaces ou des signes de ponctuation sont supprimés, et ils n’ont pas pu être situés exactement.',
    noWords: 'Le paragraphe ne contient aucun mot du texte officiel permettant de le situer.',
    repeatedInParagraph:
      'Son texte figure {count} fois dans le paragraphe {paragraph} ; numérotez le paragraphe (« {paragraph}. ») ou donnez plus de mots.',
    inSeveralParagraphs:
      'Son texte figure dans {count} paragraphes ({paragraphs}) ; gardez le numéro du paragraphe (« 27. ») en début de paragraphe.',
    notInParagraph:
      'Son texte ne figure ni dans le paragraphe {paragraph} ni ailleurs dans le document (le texte a pu changer depuis la création du fichier).',
    notFound: 'Son texte est introuvable dans le document (le texte a pu changer depuis la création du fichier).',
    alreadyTabled: 'Déjà présenté sous {ref} par {owner}.',
    underAmendment: 'Ses mots font l’objet de l’amendement {ref} : amendez celui-ci ou choisissez d’autres mots.',
    notPlaceable: 'Impossible de la placer dans le texte : {detail}',
    notInImport: 'Cet import ne contient pas {id}.',
    tabledHere: 'Déjà présenté sous {ref}.',
    refused: '{detail}',
  },
  es: {
    heading: 'Está en un título; las enmiendas solo modifican párrafos numerados.',
    newParagraph:
      'Un nuevo párrafo no puede presentarse desde un archivo Word: propóngalo en Concord (un nuevo párrafo después del párrafo {after}) o inserte sus palabras en un párrafo existente.',
    proposedParagraph: 'Está en el párrafo {paragraph}, que no figura en el texto oficial (un párrafo propuesto).',
    paragraphNumber: 'Modifica el número del párrafo, que corresponde a la Oficina.',
    startOfParagraph:
      'Inserta palabras al principio del párrafo {paragraph}; propóngalo en Concord como sustitución de las primeras palabras.',
    startOfBullet:
      'Inserta palabras al principio de un apartado; propóngalo en Concord como sustitución de las primeras palabras.',
    spacesOnly: 'Solo suprime espacios o signos de puntuación que no pudieron situarse con exactitud.',
    noWords: 'El párrafo no contiene ninguna palabra del texto oficial que permita situarlo.',
    repeatedInParagraph:
      'Su texto aparece {count} veces en el párrafo {paragraph}; numere el párrafo («{paragraph}.») o dé más palabras.',
    inSeveralParagraphs:
      'Su texto aparece en {count} párrafos ({paragraphs}); conserve el número del párrafo («27.») al principio del párrafo.',
    notInParagraph:
      'Su texto no figura en el párrafo {paragraph} ni en ninguna otra parte del documento (el texto puede haber cambiado desde que se creó el archivo).',
    notFound: 'Su texto no se encontró en el documento (el texto puede haber cambiado desde que se creó el archivo).',
    alreadyTabled: 'Ya presentada como {ref} por {owner}.',
    underAmendment: 'Sus palabras son objeto de la enmienda {ref}: enmiende esa o elija otras palabras.',
    notPlaceable: 'No puede situarse en el texto: {detail}',
    notInImport: 'Esta importación no contiene {id}.',
    tabledHere: 'Ya presentada como {ref}.',
    refused: '{detail}',
  },
};

const OWNERS: Record<Language, Record<string, string>> = {
  en: { secretariat: 'the Office', employers: "the Employers' group", workers: "the Workers' group" },
  fr: { secretariat: 'le Bureau', employers: 'le Groupe des employeurs', workers: 'le Groupe des travailleurs' },
  es: { secretariat: 'la Oficina', employers: 'el Grupo de los Empleadores', workers: 'el Grupo de los Trabajadores' },
};

/** An owner key as a sentence names it: "Afrique du Sud", "le Groupe des employeurs". */
function ownerInSentence(ownerKey: string, language: Language): string {
  if (ownerKey.startsWith('government:')) return stateName(ownerKey.slice('government:'.length), language);
  return OWNERS[language][ownerKey] ?? ownerKey;
}

/** The reason in `language`; `fallback` (the server's English sentence) for previews made before codes. */
export function importReasonText(why: ImportReason | undefined, fallback: string, language: Language): string {
  if (!why || !(why.code in REASONS[language])) return fallback;
  const params = { ...why.params };
  if (why.code === 'newParagraph' && params.after === undefined) params.after = '…';
  if (why.code === 'alreadyTabled' && typeof params.ownerKey === 'string') {
    params.owner = ownerInSentence(params.ownerKey, language);
  }
  return format(REASONS[language][why.code], params, language);
}
