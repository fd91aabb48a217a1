// Fixtures for the sandbox specs: pages signed in as each demo person from the sessions the setup
// project saved (no sign-in per test), and fresh sign-ins for tests of signing in and out.
import { existsSync } from 'node:fs';
import {
  test as base,
  expect,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';
import { SignInPage } from './pages/sign-in-page';
import { people, sessionFile, signInAndSave, type Person } from './sessions';

export { expect };
export { forgetStoredSession, people, sessionFile, storedCookieHeader, type Person } from './sessions';

export interface SessionFixtures {
  /** A page signed in as Alice Adams (requester), from her stored session. */
  asAlice: Page;
  /** A page signed in as Dave Diaz (requester). */
  asDave: Page;
  /** A page signed in as Bob Brown (approver). */
  asBob: Page;
  /** A page signed in as Carol Chen (admin). */
  asCarol: Page;
  /** A page signed in as Erin Evans (outside consultant). */
  asErin: Page;
  /**
   * A new page, in a browser context of its own, signed in as `person` from the stored session
   * (context options such as `javaScriptEnabled` may be added). Each call opens another context.
   */
  signedInAs: (person: Person, options?: BrowserContextOptions) => Promise<Page>;
  /**
   * A new page signed in anew through the demo chooser, with a session of its own: for tests that
   * sign out or revoke, which must not end the stored session other tests use.
   */
  freshSignIn: (person: Person) => Promise<Page>;
}

export const test = base.extend<SessionFixtures>({
  signedInAs: async ({ browser }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (person, options = {}) => {
      // Forgotten (its sessions were ended on purpose by an earlier test): sign in again.
      if (!existsSync(sessionFile(person))) {
        const context = await browser.newContext();
        await signInAndSave(await context.newPage(), person);
        await context.close();
      }
      const context = await browser.newContext({ ...options, storageState: sessionFile(person) });
      contexts.push(context);
      // A stored session that was ended without being forgotten is a bug in the test that ended it.
      const session = (await (await context.request.get('/api/auth/session')).json()) as unknown;
      if (session === null)
        throw new Error(
          `the stored session of ${person} was ended server-side; a test that signs ${person} out everywhere must call forgetStoredSession('${person}') first`,
        );
      return context.newPage();
    });
    for (const context of contexts) await context.close();
  },
  freshSignIn: async ({ browser }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (person) => {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      const signIn = new SignInPage(page);
      await signIn.goto();
      await signIn.signInAs(people[person].name);
      return page;
    });
    for (const context of contexts) await context.close();
  },
  asAlice: async ({ signedInAs }, provide) => provide(await signedInAs('Alice')),
  asDave: async ({ signedInAs }, provide) => provide(await signedInAs('Dave')),
  asBob: async ({ signedInAs }, provide) => provide(await signedInAs('Bob')),
  asCarol: async ({ signedInAs }, provide) => provide(await signedInAs('Carol')),
  asErin: async ({ signedInAs }, provide) => provide(await signedInAs('Erin')),
});
