import { expect, request as playwrightRequest, type Locator, type Page } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { people, sessionFile, type Person } from '../sessions';

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

/**
 * The newest audit event of `person` as the audit log shows it to Carol (an admin): the text of
 * its first row ('' when none). A submitted request adds one, so an unchanged value means that
 * `person` submitted nothing meanwhile.
 */
export async function newestAuditEvent(person: Person): Promise<string> {
  const context = await playwrightRequest.newContext({ baseURL, storageState: sessionFile('Carol') });
  try {
    const response = await context.get(`/audit?actor=${encodeURIComponent(people[person].email)}`);
    expect(response.status()).toBe(200);
    const html = await response.text();
    const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
    return /<tr[^>]*>([\s\S]*?)<\/tr>/.exec(body)?.[1] ?? '';
  } finally {
    await context.dispose();
  }
}
