import type { ImportedDocument } from '../shared/document.js';

export const BENCH_DOCUMENT_ID = 'gb-999-bench-1';
export const BENCH_SECTION_ID = 'outcome-1';

const PARAGRAPHS = [
  'Le Bureau a poursuivi la mise en œuvre de la stratégie relative au travail décent dans les chaînes d’approvisionnement, en étroite consultation avec les mandants tripartites et les organisations régionales concernées.',
  'Au cours de la période considérée, 42 États Membres ont bénéficié d’un appui technique pour renforcer leurs systèmes d’inspection du travail, notamment par la formation de plus de 1 800 inspecteurs et l’élaboration de lignes directrices nationales.',
  'Des progrès ont été enregistrés en matière de ratification : la convention (no 190) sur la violence et le harcèlement, 2019, a été ratifiée par onze nouveaux pays, ce qui porte à 47 le nombre total de ratifications.',
  'Le Bureau a également appuyé le dialogue social au niveau sectoriel, en facilitant l’adoption de conventions collectives dans les secteurs de la santé, des transports et de l’économie des soins dans quinze pays.',
  'Les ressources extrabudgétaires mobilisées se sont élevées à 312 millions de dollars des États-Unis, dont 38 pour cent au titre de partenariats de coopération pour le développement nouvellement conclus.',
  'L’évaluation indépendante de haut niveau a recommandé de renforcer la cohérence entre les programmes par pays de promotion du travail décent et les cadres de coopération des Nations Unies pour le développement durable.',
  'Les mandants ont souligné la nécessité de disposer de données ventilées par sexe, âge et handicap, afin de mieux mesurer les effets des interventions sur les travailleurs de l’économie informelle.',
  'Le Bureau propose de rendre compte des résultats obtenus au titre du présent produit dans le rapport sur l’exécution du programme, selon le calendrier arrêté par le Conseil d’administration.',
];

/** One document with one realistic section: a heading and eight numbered paragraphs (≈ 2 KB of text). */
export function benchDocument(): ImportedDocument {
  return {
    id: BENCH_DOCUMENT_ID,
    symbol: 'GB.999/BENCH/1',
    title: 'Document de mesure',
    language: 'fr',
    sections: [
      {
        id: BENCH_SECTION_ID,
        kind: 'outcome',
        label: 'Résultat 1',
        title: 'Des normes internationales du travail appliquées',
        parentId: null,
        paragraphs: PARAGRAPHS.map((_, i) => i + 1),
        content: {
          type: 'doc',
          content: [
            {
              type: 'heading',
              attrs: { level: 2 },
              content: [{ type: 'text', text: 'Résultat 1 : Des normes internationales du travail appliquées' }],
            },
            ...PARAGRAPHS.map((text, i) => ({
              type: 'numberedParagraph',
              attrs: { number: String(i + 1) },
              content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
            })),
          ],
        },
      },
    ],
  };
}
