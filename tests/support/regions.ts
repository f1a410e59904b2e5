import type { RegionalGroup } from '../../shared/regions.js';

/** The Africa group as the tests know it: South Africa and Nigeria (spread it to change the members). */
export const AFRICA: RegionalGroup = {
  code: 'AFRICA',
  nameEn: 'Africa group',
  nameFr: "Groupe de l'Afrique",
  nameEs: 'Grupo de África',
  shortName: 'AFR',
  members: ['ZA', 'NG'],
};
