// Signing in to the aws-mode portal through the real OIDC flow (the harness's OpenID provider),
// shared by the aws-mode specs.
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { IdentityProviderPage } from '../pages/identity-provider-page';
import { SignInPage } from '../pages/sign-in-page';

/**
 * Signs `login` in at the identity provider's login and consent pages, in a new browser context
 * on `portalUrl`; returns the signed-in context and page (on /signin, showing the person's name).
 */
export async function signInWithOidc(
  browser: Browser,
  target: { portalUrl: string; issuer: string },
  person: { login: string; name: string },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: target.portalUrl });
  const page = await context.newPage();
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.identityProviderButton.click();
  await page.waitForURL((url) => url.origin === target.issuer);
  const provider = new IdentityProviderPage(page);
  await provider.signIn(person.login);
  await provider.consent();
  await page.waitForURL((url) => url.origin === target.portalUrl, { timeout: 20_000 });
  await signIn.goto();
  await expect(signIn.signedInHeading(person.name)).toBeVisible();
  return { context, page };
}
