import type { Locator, Page } from '@playwright/test';

/** `/admin`: the admin landing page, linking every admin page. */
export class AdminPage {
  static readonly sections = [
    'Target accounts',
    'Guardrails',
    'Notifications',
    'Audit log',
    'Access',
  ] as const;

  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/admin');
  }

  link(section: (typeof AdminPage.sections)[number]): Locator {
    return this.page.getByRole('link', { name: section, exact: true });
  }
}
