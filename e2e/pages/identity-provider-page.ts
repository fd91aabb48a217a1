import type { Locator, Page } from '@playwright/test';

/**
 * The test OpenID provider's login and consent pages (oidc-provider's development interactions,
 * e2e/harness/aws-oidc.ts): any password is accepted for a login of the harness's people.
 */
export class IdentityProviderPage {
  readonly login: Locator;
  readonly password: Locator;

  constructor(readonly page: Page) {
    this.login = page.getByPlaceholder('Enter any login');
    this.password = page.getByPlaceholder('and password');
  }

  /** Fills and submits the login form. */
  async signIn(login: string): Promise<void> {
    await this.login.fill(login);
    await this.password.fill('any password');
    await this.page.getByRole('button', { name: 'Sign-in' }).click();
  }

  async consent(): Promise<void> {
    await this.page.getByRole('button', { name: 'Continue' }).click();
  }
}
