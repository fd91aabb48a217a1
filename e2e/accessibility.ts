import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Runs axe on the page as it is now and expects no serious or critical violation; each one found
 * is listed as `rule: help (nodes)`, under `where` when given.
 */
export async function expectNoSeriousViolations(page: Page, where?: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`),
    where,
  ).toEqual([]);
}
