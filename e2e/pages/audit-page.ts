import type { Locator, Page } from '@playwright/test';

/** `/audit` (admins only): the audit log with its URL filters. */
export class AuditPage {
  readonly heading: Locator;
  readonly filters: Locator;
  readonly requestId: Locator;
  readonly state: Locator;
  readonly actor: Locator;
  readonly table: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Audit log' });
    this.filters = page.getByRole('search', { name: 'Filter the audit log' });
    this.requestId = this.filters.getByLabel('Request id');
    this.state = this.filters.getByLabel('Moved to state');
    this.actor = this.filters.getByLabel('Actor (user id or e-mail)');
    this.table = page.getByRole('table');
  }

  async goto(): Promise<void> {
    await this.page.goto('/audit');
  }

  async filter(): Promise<void> {
    await this.filters.getByRole('button', { name: 'Filter' }).click();
  }

  async clear(): Promise<void> {
    await this.page.getByRole('link', { name: 'Clear' }).click();
  }
}
