import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures.js';

/**
 * axe over the screen as it stands; serious and critical violations fail the test (issue 12, item 7).
 * On the document, colour contrast (by far the slowest rule over 60 sections of text) is checked on the
 * chrome and on the section in view (`inView`): the other sections share its styles.
 */
export async function expectNoSeriousViolations(page: Page, screen: string, inView?: string): Promise<void> {
  const passes = inView
    ? [
        new AxeBuilder({ page }).disableRules(['color-contrast']),
        new AxeBuilder({ page })
          .withRules(['color-contrast'])
          .include('header')
          .include('#doc-sidebar')
          .include(inView),
      ]
    : [new AxeBuilder({ page })];
  const violations = [];
  for (const pass of passes) violations.push(...(await pass.analyze()).violations);
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) — ${v.nodes
          .map(
            (n) =>
              `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}]` : ''}`,
          )
          .slice(0, 4)
          .join(', ')}`,
    );
  expect(serious).toEqual([]);
}
