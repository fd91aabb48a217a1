import { cookiesFrom } from './harness/aws-http';
import { expect, forgetStoredSession, people, test } from './fixtures';
import { AccessPage } from './pages/access-page';
import { Shell } from './pages/shell';
import { SignInPage } from './pages/sign-in-page';
import { personNames } from './sessions';
import type { Page } from '@playwright/test';

// Sandbox mode: the demo sign-in for each seeded person, the session cookie, sign-out, and the
// admin's access page (granting and revoking, with effect on the other person's next request).
// Tests of signing in and out use fresh sign-ins (`freshSignIn`): signing out ends the session
// server-side, and the stored sessions the other tests use must live on.

/**
 * Whether the page shows the not-found page and none of the access page's content. The status is
 * not checked: the root `loading.tsx` streams the shell with 200 before the page calls `notFound()`.
 */
async function expectNotFound(page: Page, where: string): Promise<void> {
  await new Shell(page).expectNotFound(where);
  await expect(new AccessPage(page).portalRolesHeading, where).toHaveCount(0);
}

for (const person of personNames) {
  const { name } = people[person];
  test(`${name} signs in with one click, gets a bounded httpOnly SameSite=Lax session, and signs out`, async ({
    freshSignIn,
  }) => {
    const page = await freshSignIn(person);
    const context = page.context();
    const session = (await context.cookies()).find((cookie) => cookie.name === 'authjs.session-token');
    expect(session).toBeDefined();
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    const hoursLeft = ((session?.expires ?? 0) * 1000 - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(7.9);
    expect(hoursLeft).toBeLessThanOrEqual(8.01);

    const signIn = new SignInPage(page);
    await signIn.goto();
    await expect(signIn.signedInHeading(name)).toBeVisible();
    await signIn.signOut();
    await signIn.expectSignedOut();
    expect(
      (await context.cookies()).find((cookie) => cookie.name === 'authjs.session-token'),
    ).toBeUndefined();
  });
}

test('the access page is for admins: 404 for others, sign-in for anonymous', async ({
  request,
  asAlice,
  asBob,
  asErin,
}) => {
  const anonymous = await request.get('/access', { maxRedirects: 0 });
  expect(anonymous.status()).toBe(303);
  expect(
    new URL(anonymous.headers().location ?? '', 'http://x').pathname +
      new URL(anonymous.headers().location ?? '', 'http://x').search,
  ).toBe('/signin?callbackUrl=%2Faccess');

  for (const [name, page] of [
    ['Alice Adams', asAlice],
    ['Bob Brown', asBob],
    ['Erin Evans', asErin],
  ] as const) {
    await new AccessPage(page).goto();
    await expectNotFound(page, name);
  }
});

test('an admin grants and revokes a role; the other person is affected on their next request', async ({
  asCarol,
  asDave,
}) => {
  const daveAccess = new AccessPage(asDave);
  await daveAccess.goto();
  await expectNotFound(asDave, 'dave before the grant');

  const access = new AccessPage(asCarol);
  await access.goto();
  await expect(access.heading).toBeVisible();
  // A field error is shown under its field and the typed value is kept.
  await access.grantToPerson('not-an-email');
  await expect(asCarol.getByText('Enter an e-mail address such as alice@example.com')).toBeVisible();
  await expect(access.email).toHaveValue('not-an-email');
  await expect(access.email).toHaveAttribute('aria-invalid', 'true');

  await access.grantToPerson('dave@acme.example', 'admin');
  await expect(access.granted).toBeVisible();
  const revoke = access.revokeButton('admin', 'dave@acme.example');
  await expect(revoke).toBeVisible();

  // Dave's session is unchanged, yet his next request sees the new role...
  await daveAccess.goto();
  await expect(daveAccess.portalRolesHeading).toBeVisible();

  await revoke.click();
  await expect(revoke).toHaveCount(0);
  // ...and the revocation takes effect on his next request, not at session expiry.
  await daveAccess.goto();
  await expectNotFound(asDave, 'dave before the grant');
});

/** Whether the sign-in page, fetched with this Cookie header, says someone is signed in. */
async function signedInWith(baseURL: string, cookie: string): Promise<boolean> {
  const response = await fetch(new URL('/signin', baseURL), { headers: { cookie } });
  return (await response.text()).includes('You are signed in as');
}

test('a copied session cookie is useless once its session signs out', async ({ freshSignIn, baseURL }) => {
  if (!baseURL) throw new Error('baseURL');
  const page = await freshSignIn('Alice');
  const session = (await page.context().cookies()).find((cookie) => cookie.name === 'authjs.session-token');
  if (!session) throw new Error('no session cookie');
  const copied = `${session.name}=${session.value}`;
  expect(await signedInWith(baseURL, copied)).toBe(true);
  const sessionOf = async (cookie: string) =>
    (await fetch(new URL('/api/auth/session', baseURL), { headers: { cookie } })).json() as Promise<unknown>;
  expect(await sessionOf(copied)).toMatchObject({ user: { name: 'Alice Adams' } });

  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signOut();
  // Replaying the copy: signed out, on pages and for actions alike.
  expect(await signedInWith(baseURL, copied)).toBe(false);
  const admin = await fetch(new URL('/access', baseURL), { headers: { cookie: copied }, redirect: 'manual' });
  expect(await admin.text()).not.toContain('Portal roles');
  // Auth.js's session endpoint agrees, for a read and for its update (POST with a CSRF token),
  // which would otherwise answer the session and re-issue the cookie.
  expect(await sessionOf(copied)).toBeNull();
  const csrfResponse = await fetch(new URL('/api/auth/csrf', baseURL), { headers: { cookie: copied } });
  const csrf = (await csrfResponse.json()) as { csrfToken: string };
  const updated = await fetch(new URL('/api/auth/session', baseURL), {
    method: 'POST',
    headers: {
      cookie: [copied, cookiesFrom(csrfResponse.headers)].join('; '),
      origin: baseURL,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ csrfToken: csrf.csrfToken, data: {} }),
  });
  expect(await updated.json()).toBeNull();
  expect(updated.headers.getSetCookie().join('\n')).not.toContain('authjs.session-token');
});

test("Auth.js's own sign-out endpoint ends the server-side session too", async ({ freshSignIn, baseURL }) => {
  if (!baseURL) throw new Error('baseURL');
  const page = await freshSignIn('Dave');
  const cookies = (await page.context().cookies())
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join('; ');
  expect(await signedInWith(baseURL, cookies)).toBe(true);
  // Auth.js's double-submit CSRF check: the token and the cookie it sets with it.
  const csrfResponse = await fetch(new URL('/api/auth/csrf', baseURL), { headers: { cookie: cookies } });
  const csrf = (await csrfResponse.json()) as { csrfToken: string };
  const withCsrf = [cookies, cookiesFrom(csrfResponse.headers)].filter((part) => part.length > 0).join('; ');
  const signedOut = await fetch(new URL('/api/auth/signout', baseURL), {
    method: 'POST',
    headers: { cookie: withCsrf, origin: baseURL, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken: csrf.csrfToken, callbackUrl: '/signin' }).toString(),
    redirect: 'manual',
  });
  expect(signedOut.status).toBeLessThan(400);
  expect(signedOut.headers.get('location') ?? '').not.toContain('csrf=true');
  expect(await signedInWith(baseURL, cookies)).toBe(false);
});

test('Sign out everywhere ends the sessions of every browser of that person', async ({
  freshSignIn,
  asCarol,
}) => {
  const laptop = new SignInPage(await freshSignIn('Bob'));
  const phone = new SignInPage(await freshSignIn('Bob'));
  // Every session of Bob's ends, the stored one too.
  forgetStoredSession('Bob');
  await laptop.goto();
  await laptop.signOutEverywhere();
  await phone.goto();
  await phone.expectSignedOut();
  // Someone else's session is untouched.
  const other = new SignInPage(asCarol);
  await other.goto();
  await expect(other.signedInHeading('Carol Chen')).toBeVisible();
});

test('an admin signs a person out everywhere; their next request is signed out', async ({
  asCarol,
  asDave,
}) => {
  const access = new AccessPage(asCarol);
  await access.goto();
  await access.signOutEverywhere('not-an-email');
  await expect(asCarol.getByText('Enter an e-mail address such as alice@example.com')).toBeVisible();
  await expect(access.personToSignOut).toHaveAttribute('aria-invalid', 'true');
  // Every session of Dave's ends, the stored one too.
  forgetStoredSession('Dave');
  await access.signOutEverywhere('dave@acme.example');
  await expect(access.signedOutSessions).toBeVisible();

  const dave = new SignInPage(asDave);
  await dave.goto();
  await expect(dave.anySignedInHeading).toHaveCount(0);
  // The admin is still signed in.
  const carol = new SignInPage(asCarol);
  await carol.goto();
  await expect(carol.signedInHeading('Carol Chen')).toBeVisible();
});
