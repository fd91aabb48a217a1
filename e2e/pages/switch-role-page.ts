import type { Locator, Page } from '@playwright/test';

/** `/sandbox/switchrole`: the sandbox's stand-in for the console's Switch Role page. */
export class SwitchRolePage {
  readonly heading: Locator;
  readonly account: Locator;
  readonly role: Locator;
  readonly displayName: Locator;
  readonly mfaCode: Locator;
  readonly refusedHeading: Locator;
  readonly invalidHeading: Locator;
  readonly invalidLinkAlert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Switch Role' });
    this.account = page.getByLabel('Account');
    this.role = page.getByLabel('Role', { exact: true });
    this.displayName = page.getByLabel(/^Display name/);
    this.mfaCode = page.getByLabel(/^MFA code/);
    this.refusedHeading = page.getByRole('heading', { name: 'AWS refused the switch' });
    this.invalidHeading = page.getByRole('heading', { name: 'Could not switch role' });
    this.invalidLinkAlert = page.getByRole('alert').filter({ hasText: 'This switch-role link is not valid' });
  }

  /** Opens a switch-role link as given, e.g. `/sandbox/switchrole?account=…&roleName=…`. */
  async goto(link: string): Promise<void> {
    await this.page.goto(link);
  }

  color(name: string): Locator {
    return this.page.getByRole('radio', { name });
  }

  async switchRole(): Promise<void> {
    await this.page.getByRole('button', { name: 'Switch Role' }).click();
  }
}
