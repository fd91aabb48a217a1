import { test, type Page } from '@playwright/test';

/**
 * Signs in as a sandbox demo person from the sign-in page (`page` is on `/signin`) and waits for
 * the portal's home page. Every spec that signs in as the same person shares the per-person
 * sign-in limit (10 a minute): past it, the form says when to try again, and this waits that long
 * (extending the test's timeout by as much) and clicks again, twice at most.
 */
export async function signInAsDemoPerson(page: Page, name: string): Promise<void> {
  const limited = page.getByText(/Too many attempts, try again in \d+ s\./);
  for (let attempt = 0; ; attempt += 1) {
    await page.getByRole('button', { name: new RegExp(`^Sign in as ${name}`) }).click();
    const outcome = await Promise.race([
      page
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
    await page.waitForTimeout((seconds + 1) * 1000);
  }
}
