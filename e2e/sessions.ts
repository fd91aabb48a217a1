// The demo people's stored sessions: the setup project (auth.setup.ts) signs each in once through
// the demo chooser and saves the session (cookies) here; fixtures.ts opens pages with them.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { demoPeople, type DemoPersonSeed } from '../lib/sandbox/seed-data';
import { SignInPage } from './pages/sign-in-page';

/** The demo people by first name: Alice and Dave request, Bob approves, Carol administers, Erin consults. */
export const personNames = ['Alice', 'Dave', 'Bob', 'Carol', 'Erin'] as const;
export type Person = (typeof personNames)[number];

export const people: Record<Person, DemoPersonSeed> = Object.fromEntries(
  personNames.map((first) => {
    const seed = demoPeople.find((person) => person.name.startsWith(`${first} `));
    if (!seed) throw new Error(`no demo person named ${first} in lib/sandbox/seed-data.ts`);
    return [first, seed];
  }),
) as Record<Person, DemoPersonSeed>;

/** Where sessions are saved (git-ignored; written anew by every run's setup project). */
export const sessionDir = path.resolve(import.meta.dirname, '..', 'playwright', '.auth');

export function sessionFile(person: Person): string {
  return path.join(sessionDir, `${people[person].id}.json`);
}

/** Signs `person` in through the demo chooser on `page` and saves the session for the fixtures. */
export async function signInAndSave(page: Page, person: Person): Promise<void> {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signInAs(people[person].name);
  mkdirSync(sessionDir, { recursive: true });
  await page.context().storageState({ path: sessionFile(person) });
}

/**
 * Forgets `person`'s stored session. A test that ends it server-side (signing the person out
 * everywhere) calls this first, so that the next fixture for them signs in anew.
 */
export function forgetStoredSession(person: Person): void {
  rmSync(sessionFile(person), { force: true });
}

interface StoredState {
  cookies: { name: string; value: string }[];
}

/** The stored session as a `Cookie` header, for requests made without a browser. */
export function storedCookieHeader(person: Person): string {
  const file = sessionFile(person);
  if (!existsSync(file))
    throw new Error(
      `no stored session for ${person} (${file}): run the setup project (e2e/auth.setup.ts) first`,
    );
  const { cookies } = JSON.parse(readFileSync(file, 'utf8')) as StoredState;
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}
