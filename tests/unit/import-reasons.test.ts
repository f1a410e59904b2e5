import { describe, expect, it } from 'vitest';
import { importReasonText } from '../../client/exports/importReasons.js';
import type { ImportReasonCode } from '../../shared/imports.js';
import { englishReason, reason } from '../../server/imports/reasons.js';

/** Every reason the server can give, with parameters as it sends them. */
const SAMPLES: [ImportReasonCode, Record<string, string | number>][] = [
  ['heading', {}],
  ['newParagraph', { after: 27 }],
  ['proposedParagraph', { paragraph: '27bis' }],
  ['paragraphNumber', {}],
  ['startOfParagraph', { paragraph: 6 }],
  ['startOfBullet', {}],
  ['spacesOnly', {}],
  ['noWords', {}],
  ['repeatedInParagraph', { count: 2, paragraph: 14 }],
  ['inSeveralParagraphs', { count: 3, paragraphs: '4, 9, 12' }],
  ['notInParagraph', { paragraph: 4 }],
  ['notFound', {}],
  ['alreadyTabled', { ref: 'A-3', owner: "the Employers' group", ownerKey: 'employers' }],
  ['underAmendment', { ref: 'A-2', detail: 'The words “x” are already proposed for deletion by another amendment.' }],
  ['notPlaceable', { detail: '“x” occurs 0 times in paragraph 4.' }],
  ['notInImport', { id: 'r9' }],
  ['tabledHere', { id: 'r1', ref: 'A-5' }],
  ['refused', { detail: 'The round is closed.' }],
];

describe('Word import reasons', () => {
  it('are worded in French for every code the server sends, with their parameters and no placeholder left', () => {
    for (const [code, params] of SAMPLES) {
      // A refusal of the amendment command itself is quoted as the server worded it.
      if (code === 'refused') continue;
      const why = reason(code, params);
      const fr = importReasonText(why, englishReason(why), 'fr');
      expect(fr, code).not.toMatch(/\{\w+\}/);
      expect(fr, code).not.toBe(englishReason(why));
      for (const value of Object.values(params)) {
        if (typeof value === 'number') expect(fr, code).toContain(String(value));
      }
    }
  });

  it('name States and groups in the reader’s language', () => {
    const why = reason('alreadyTabled', { ref: 'A-3', owner: 'South Africa', ownerKey: 'government:South Africa' });
    expect(importReasonText(why, '', 'fr')).toBe('Déjà présenté sous A-3 par Afrique du Sud.');
    expect(importReasonText(why, '', 'en')).toBe('Already tabled as A-3 by South Africa.');
    const group = reason('alreadyTabled', { ref: 'A-4', owner: "the Employers' group", ownerKey: 'employers' });
    expect(importReasonText(group, '', 'fr')).toBe('Déjà présenté sous A-4 par le Groupe des employeurs.');
  });

  it('read in English as the server writes them, and older previews without a code keep their sentence', () => {
    for (const [code, params] of SAMPLES) {
      // These three are shorter in the dialog, under the item they concern.
      if (code === 'underAmendment' || code === 'notPlaceable' || code === 'tabledHere') continue;
      const why = reason(code, params);
      expect(importReasonText(why, '', 'en'), code).toBe(englishReason(why));
    }
    expect(importReasonText(undefined, 'An old sentence.', 'fr')).toBe('An old sentence.');
  });
});
