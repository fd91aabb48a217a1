import { expect, type Locator, type Page } from '@playwright/test';

/** What every page has: the header with the main navigation and user menu, the sandbox banner. */
export class Shell {
  readonly nav: Locator;
  readonly header: Locator;
  readonly sandboxBanner: Locator;
  readonly notFoundHeading: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.header = page.getByRole('banner');
    this.sandboxBanner = page.getByRole('region', { name: 'Sandbox mode' });
    this.notFoundHeading = page.getByRole('heading', { level: 1, name: 'Page not found' });
  }

  /** The page's title (its one `h1`). */
  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name });
  }

  /** A navigation link by its label; its name may go on with a count ("Approvals, 3 waiting"). */
  navLink(label: string): Locator {
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.nav.getByRole('link', { name: new RegExp(`^${escaped}(, .+)?$`) });
  }

  async navigateTo(label: string): Promise<void> {
    await this.navLink(label).click();
  }

  async expectCurrent(label: string, isCurrent = true): Promise<void> {
    if (isCurrent) await expect(this.navLink(label)).toHaveAttribute('aria-current', 'page');
    else await expect(this.navLink(label)).not.toHaveAttribute('aria-current', 'page');
  }

  /** The not-found page: its heading, and a way back to the overview. */
  async expectNotFound(where?: string): Promise<void> {
    await expect(this.notFoundHeading, where).toBeVisible();
  }

  async goBackToOverview(): Promise<void> {
    await this.page.getByRole('link', { name: 'Go to the overview' }).click();
  }
}
