import { expect, test, type Locator, type Page } from '@playwright/test';

/** `/signin`: the sandbox's demo-person chooser, and the signed-in state with its sign-out buttons. */
export class SignInPage {
  readonly heading: Locator;
  readonly chooserHeading: Locator;
  /** "You are signed in as …", for whoever is signed in. */
  readonly anySignedInHeading: Locator;
  readonly rateLimitMessage: Locator;
  /** aws mode's one button: sign in through the OpenID provider. */
  readonly identityProviderButton: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Sign in to Rolesmith' });
    this.chooserHeading = page.getByRole('heading', { name: 'Sandbox: choose a demo person' });
    this.anySignedInHeading = page.getByRole('heading', { name: /You are signed in/ });
    this.rateLimitMessage = page.getByText(/^Too many attempts, try again in \d+ s\.$/);
    this.identityProviderButton = page.getByRole('button', { name: 'Sign in with your identity provider' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/signin');
  }

  /** The chooser's button for a demo person (`Sign in as Alice Adams`). */
  demoPersonButton(name: string): Locator {
    return this.page.getByRole('button', { name: new RegExp(`^Sign in as ${name}`) });
  }

  signedInHeading(name: string): Locator {
    return this.page.getByRole('heading', { name: `You are signed in as ${name}` });
  }

  /** Clicks a demo person's button, and nothing more (for tests of what the click leads to). */
  async chooseDemoPerson(name: string): Promise<void> {
    await this.demoPersonButton(name).click();
  }

  /**
   * Signs in as a demo person from this page and waits for the portal's home page. Sign-ins of one
   * person share the per-person limit (10 a minute): past it, the form says when to try again, and
   * this waits that long (extending the test's timeout by as much) and clicks again, twice at most.
   */
  async signInAs(name: string): Promise<void> {
    const limited = this.page.getByText(/Too many attempts, try again in \d+ s\./);
    for (let attempt = 0; ; attempt += 1) {
      await this.chooseDemoPerson(name);
      const outcome = await Promise.race([
        this.page
          .waitForURL((url) => url.pathname === '/')
          .then(
            () => 'signed-in' as const,
            () => 'gone' as const,
          ),
        limited.waitFor().then(
          () => 'limited' as const,
          () => 'gone' as const,
        ),
      ]);
      if (outcome !== 'limited') return;
      if (attempt === 2) throw new Error(`The sign-in limit for ${name} did not reset`);
      const seconds = Number(/in (\d+) s/.exec((await limited.textContent()) ?? '')?.[1] ?? 60);
      test.info().setTimeout(test.info().timeout + (seconds + 5) * 1000);
      await this.page.waitForTimeout((seconds + 1) * 1000);
    }
  }

  /** The page's own Sign out button (the header's user menu has one too). */
  async signOut(): Promise<void> {
    await this.page.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
    // The chooser shows in both states: wait for the signed-in heading to go.
    await expect(this.anySignedInHeading).toHaveCount(0);
  }

  async signOutEverywhere(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(this.anySignedInHeading).toHaveCount(0);
  }

  /** The page shows nobody signed in: the chooser, and no "You are signed in". */
  async expectSignedOut(): Promise<void> {
    await expect(this.chooserHeading).toBeVisible();
    await expect(this.anySignedInHeading).toHaveCount(0);
  }
}
