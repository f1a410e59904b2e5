import type { RegionalGroup } from '../../shared/regions.js';

/**
 * The Governing Body's usual regional groups, as the demo ships them. DEMO DATA: plausible membership
 * for the demo's States and a few others, not the ILO's official lists — the Office keeps the real ones
 * with `npm run groups`.
 */
export const DEMO_REGIONAL_GROUPS: RegionalGroup[] = [
  {
    code: 'AFRICA',
    nameEn: 'Africa group',
    nameFr: "Groupe de l'Afrique",
    nameEs: 'Grupo de África',
    shortName: 'AFR',
    members: ['ZA', 'NG', 'KE', 'EG', 'GH', 'SN', 'MA', 'ET'],
  },
  {
    code: 'GRULAC',
    nameEn: 'Group of Latin American and Caribbean Countries',
    nameFr: "Groupe des pays d'Amérique latine et des Caraïbes",
    nameEs: 'Grupo de los Países de América Latina y el Caribe',
    shortName: 'GRULAC',
    members: ['BR', 'AR', 'MX', 'CL', 'CO', 'PA'],
  },
  {
    code: 'ASPAG',
    nameEn: 'Asia and Pacific group',
    nameFr: 'Groupe Asie-Pacifique',
    nameEs: 'Grupo de Asia y el Pacífico',
    shortName: 'ASPAG',
    members: ['CN', 'IN', 'JP', 'ID', 'PH', 'AU', 'KR', 'SA'],
  },
  {
    code: 'WEG',
    nameEn: 'Western European group',
    nameFr: "Groupe de l'Europe occidentale",
    nameEs: 'Grupo de Europa Occidental',
    shortName: 'WEG',
    members: ['FR', 'DE', 'IT', 'ES', 'GB', 'CH', 'NO', 'PT', 'NL', 'BE'],
  },
  {
    code: 'EEG',
    nameEn: 'Eastern European group',
    nameFr: "Groupe de l'Europe orientale",
    nameEs: 'Grupo de Europa Oriental',
    shortName: 'EEG',
    members: ['PL', 'RO', 'HU', 'CZ', 'BG', 'RS'],
  },
  {
    code: 'IMEC',
    nameEn: 'Industrialized market economy countries',
    nameFr: 'Pays industrialisés à économie de marché',
    nameEs: 'Países industrializados con economía de mercado',
    shortName: 'IMEC',
    members: ['FR', 'DE', 'IT', 'ES', 'GB', 'CH', 'NO', 'NL', 'BE', 'US', 'CA', 'JP', 'AU'],
  },
  {
    code: 'EU',
    nameEn: 'European Union and its Member States',
    nameFr: 'Union européenne et ses États membres',
    nameEs: 'Unión Europea y sus Estados miembros',
    shortName: 'EU',
    members: ['FR', 'DE', 'IT', 'ES', 'PT', 'NL', 'BE', 'PL', 'RO', 'HU', 'CZ', 'BG'],
  },
];
