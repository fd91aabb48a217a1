import { expect, test, type Browser, type Page } from '@playwright/test';
import { signInAsDemoPerson } from './harness/demo-sign-in';
import { demoPeople } from '../lib/sandbox/seed-data';
import { cookiesFrom } from './harness/aws-http';

// Sandbox mode: the demo sign-in for each seeded person, the session cookie, sign-out, and the
// admin's access page (granting and revoking, with effect on the other person's next request).

/**
 * Whether the page shows the not-found page. The status is not checked: the root `loading.tsx`
 * streams the shell with 200 before the page calls `notFound()`.
 */
async function expectNotFound(page: Page, where: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' }), where).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Portal roles' }), where).toHaveCount(0);
}

async function signedInPage(browser: Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/signin');
  await signInAsDemoPerson(page, name);
  return { context, page };
}

for (const person of demoPeople) {
  test(`${person.name} signs in with one click, gets a bounded httpOnly SameSite=Lax session, and signs out`, async ({
    browser,
  }) => {
    const { context, page } = await signedInPage(browser, person.name);
    const session = (await context.cookies()).find((cookie) => cookie.name === 'authjs.session-token');
    expect(session).toBeDefined();
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    const hoursLeft = ((session?.expires ?? 0) * 1000 - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(7.9);
    expect(hoursLeft).toBeLessThanOrEqual(8.01);

    await page.goto('/signin');
    await expect(page.getByRole('heading', { name: `You are signed in as ${person.name}` })).toBeVisible();
    // The header's user menu has a Sign out button too; use the page's own.
    await page.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Sandbox: choose a demo person' })).toBeVisible();
    await expect(page.getByRole('heading', { name: /You are signed in/ })).toHaveCount(0);
    expect(
      (await context.cookies()).find((cookie) => cookie.name === 'authjs.session-token'),
    ).toBeUndefined();
    await context.close();
  });
}

test('the access page is for admins: 404 for others, sign-in for anonymous', async ({ browser, request }) => {
  const anonymous = await request.get('/access', { maxRedirects: 0 });
  expect(anonymous.status()).toBe(303);
  expect(
    new URL(anonymous.headers().location ?? '', 'http://x').pathname +
      new URL(anonymous.headers().location ?? '', 'http://x').search,
  ).toBe('/signin?callbackUrl=%2Faccess');

  for (const name of ['Alice Adams', 'Bob Brown', 'Erin Evans']) {
    const { context, page } = await signedInPage(browser, name);
    await page.goto('/access');
    await expectNotFound(page, name);
    await context.close();
  }
});

test('an admin grants and revokes a role; the other person is affected on their next request', async ({
  browser,
}) => {
  const carol = await signedInPage(browser, 'Carol Chen');
  const dave = await signedInPage(browser, 'Dave Diaz');
  await dave.page.goto('/access');
  await expectNotFound(dave.page, 'dave before the grant');

  await carol.page.goto('/access');
  await expect(carol.page.getByRole('heading', { level: 1, name: 'Access' })).toBeVisible();
  // A field error is shown under its field and the typed value is kept.
  await carol.page.getByLabel('E-mail address').fill('not-an-email');
  await carol.page.getByRole('button', { name: 'Grant role' }).click();
  await expect(carol.page.getByText('Enter an e-mail address such as alice@example.com')).toBeVisible();
  await expect(carol.page.getByLabel('E-mail address')).toHaveValue('not-an-email');
  await expect(carol.page.getByLabel('E-mail address')).toHaveAttribute('aria-invalid', 'true');

  await carol.page.getByLabel('E-mail address').fill('dave@acme.example');
  await carol.page.getByLabel('Role', { exact: true }).selectOption('admin');
  await carol.page.getByRole('button', { name: 'Grant role' }).click();
  await expect(carol.page.getByText('Role granted.')).toBeVisible();
  await expect(carol.page.getByRole('button', { name: 'Revoke admin from dave@acme.example' })).toBeVisible();

  // Dave's session is unchanged, yet his next request sees the new role...
  await dave.page.goto('/access');
  await expect(dave.page.getByRole('heading', { name: 'Portal roles' })).toBeVisible();

  await carol.page.getByRole('button', { name: 'Revoke admin from dave@acme.example' }).click();
  await expect(carol.page.getByRole('button', { name: 'Revoke admin from dave@acme.example' })).toHaveCount(
    0,
  );
  // ...and the revocation takes effect on his next request, not at session expiry.
  await dave.page.goto('/access');
  await expectNotFound(dave.page, 'dave before the grant');

  await carol.context.close();
  await dave.context.close();
});

/** Whether the sign-in page, fetched with this Cookie header, says someone is signed in. */
async function signedInWith(baseURL: string, cookie: string): Promise<boolean> {
  const response = await fetch(new URL('/signin', baseURL), { headers: { cookie } });
  return (await response.text()).includes('You are signed in as');
}

test('a copied session cookie is useless once its session signs out', async ({ browser, baseURL }) => {
  if (!baseURL) throw new Error('baseURL');
  const { context, page } = await signedInPage(browser, 'Alice Adams');
  const session = (await context.cookies()).find((cookie) => cookie.name === 'authjs.session-token');
  if (!session) throw new Error('no session cookie');
  const copied = `${session.name}=${session.value}`;
  expect(await signedInWith(baseURL, copied)).toBe(true);
  const sessionOf = async (cookie: string) =>
    (await fetch(new URL('/api/auth/session', baseURL), { headers: { cookie } })).json() as Promise<unknown>;
  expect(await sessionOf(copied)).toMatchObject({ user: { name: 'Alice Adams' } });

  await page.goto('/signin');
  await page.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
  // The chooser shows signed in too: wait for the sign-out to have happened.
  await expect(page.getByRole('heading', { name: /You are signed in/ })).toHaveCount(0);
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
  await context.close();
});

test("Auth.js's own sign-out endpoint ends the server-side session too", async ({ browser, baseURL }) => {
  if (!baseURL) throw new Error('baseURL');
  const { context } = await signedInPage(browser, 'Dave Diaz');
  const cookies = (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
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
  await context.close();
});

test('Sign out everywhere ends the sessions of every browser of that person', async ({
  browser,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  const laptop = await signedInPage(browser, 'Bob Brown');
  const phone = await signedInPage(browser, 'Bob Brown');
  const other = await signedInPage(browser, 'Carol Chen');
  await laptop.page.goto('/signin');
  await laptop.page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(laptop.page.getByRole('heading', { name: /You are signed in/ })).toHaveCount(0);
  await phone.page.goto('/signin');
  await expect(phone.page.getByRole('heading', { name: 'Sandbox: choose a demo person' })).toBeVisible();
  await expect(phone.page.getByRole('heading', { name: /You are signed in/ })).toHaveCount(0);
  // Someone else's session is untouched.
  await other.page.goto('/signin');
  await expect(other.page.getByRole('heading', { name: 'You are signed in as Carol Chen' })).toBeVisible();
  for (const opened of [laptop, phone, other]) await opened.context.close();
});

test('an admin signs a person out everywhere; their next request is signed out', async ({ browser }) => {
  const carol = await signedInPage(browser, 'Carol Chen');
  const dave = await signedInPage(browser, 'Dave Diaz');
  await carol.page.goto('/access');
  const email = carol.page.getByLabel('Person to sign out (e-mail)');
  await email.fill('not-an-email');
  await carol.page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(carol.page.getByText('Enter an e-mail address such as alice@example.com')).toBeVisible();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await email.fill('dave@acme.example');
  await carol.page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(carol.page.getByText(/^Signed out of [1-9]\d* sessions?\.$/)).toBeVisible();

  await dave.page.goto('/signin');
  await expect(dave.page.getByRole('heading', { name: /You are signed in/ })).toHaveCount(0);
  // The admin is still signed in.
  await carol.page.goto('/signin');
  await expect(carol.page.getByRole('heading', { name: 'You are signed in as Carol Chen' })).toBeVisible();
  await carol.context.close();
  await dave.context.close();
});
