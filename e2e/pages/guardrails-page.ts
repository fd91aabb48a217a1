import type { Locator, Page } from '@playwright/test';

/** `/guardrails` (admins only): the guardrails form, saved with compare-and-set on its version. */
export class GuardrailsPage {
  readonly heading: Locator;
  readonly forbiddenActions: Locator;
  readonly allowListedAccounts: Locator;
  readonly pathPrefix: Locator;
  readonly saved: Locator;
  readonly staleRefusal: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Guardrails' });
    this.forbiddenActions = page.getByLabel('Forbidden actions, one per line');
    this.allowListedAccounts = page.getByLabel('Allow-listed account ids');
    this.pathPrefix = page.getByLabel('Path prefix');
    this.saved = page.getByText(/^Guardrails saved \(version \d+\)/);
    this.staleRefusal = page.getByText(/Someone else changed the guardrails since you loaded them/);
  }

  async goto(): Promise<void> {
    await this.page.goto('/guardrails');
  }

  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save guardrails' }).click();
  }

  async loadLatest(): Promise<void> {
    await this.page.getByRole('link', { name: 'Load the latest guardrails' }).click();
  }
}
