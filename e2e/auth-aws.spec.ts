import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { callServerAction, discoverServerActions } from './harness/aws-http';
import { signInWithOidc as signInWithIdp } from './harness/aws-sign-in';
import { registerAwsStack } from './harness/aws-stack';
import { AccessPage } from './pages/access-page';
import { IdentityProviderPage } from './pages/identity-provider-page';
import { Shell } from './pages/shell';
import { SignInPage } from './pages/sign-in-page';

// aws mode end to end: sign-in through a real OIDC flow against a local OpenID provider, group
// claims mapped to portal roles, a real PostgreSQL, the standalone emulator as the AWS endpoint;
// the demo sign-in and /sandbox are 404; no secret of any server's environment is in .next/static.

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const people = {
  pat: { email: 'pat@acme.example', name: 'Pat Platform', groups: ['everyone'] },
  sam: { email: 'sam@acme.example', name: 'Sam Security', groups: ['everyone', 'prod-approvers'] },
  una: { email: 'una@acme.example', name: 'Una User', groups: ['everyone'] },
  rex: { email: 'rex@acme.example', name: 'Rex Retry', groups: ['everyone'] },
};

const aws = registerAwsStack({ people, bootstrapAdmin: people.pat.email });
const requirePortal = () => aws().portal;

/** Signs in at the identity provider's login and consent pages; returns the signed-in page. */
function signInWithOidc(browser: Browser, login: keyof typeof people) {
  return signInWithIdp(
    browser,
    { portalUrl: requirePortal().url, issuer: aws().idp.issuer },
    { login, name: people[login].name },
  );
}

test('a bootstrap admin signs in through the OIDC flow and grants a role to an IdP group', async ({
  browser,
}) => {
  const pat = await signInWithOidc(browser, 'pat');
  await expect(pat.page.getByRole('main').getByText('Portal roles: Requester, Admin')).toBeVisible();
  const session = (await pat.context.cookies()).find((cookie) => cookie.name === 'authjs.session-token');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');

  const access = new AccessPage(pat.page);
  await access.goto();
  await expect(
    pat.page.getByText(`Bootstrap admins (ROLESMITH_BOOTSTRAP_ADMINS): ${people.pat.email}`),
  ).toBeVisible();
  await access.grantToGroup('prod-approvers', { accounts: '444455556666' });
  await expect(access.granted).toBeVisible();
  await pat.context.close();
});

test('group claims map to portal roles at sign-in', async ({ browser }) => {
  const sam = await signInWithOidc(browser, 'sam');
  await expect(
    sam.page.getByRole('main').getByText('Portal roles: Requester, Approver (444455556666)'),
  ).toBeVisible();
  await new AccessPage(sam.page).goto();
  await new Shell(sam.page).expectNotFound();
  await sam.context.close();

  const una = await signInWithOidc(browser, 'una');
  await expect(
    una.page.getByRole('main').getByText('Portal roles: Requester', { exact: true }),
  ).toBeVisible();
  await una.context.close();
});

test('the demo sign-in and /sandbox do not exist in aws mode, whatever is posted', async () => {
  const { url } = requirePortal();
  const posts = [
    ['/api/auth/callback/demo', 'personId=demo-carol&csrfToken=x'],
    ['/api/auth/signin/demo', 'personId=demo-carol&csrfToken=x'],
  ] as const;
  for (const [target, body] of posts) {
    const response = await fetch(new URL(target, url), {
      method: 'POST',
      headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });
    expect(response.status, target).toBe(404);
    expect(response.headers.getSetCookie().join(';'), target).not.toContain('session-token');
  }
  for (const target of ['/api/auth/callback/demo', '/sandbox', '/sandbox/switchrole', '/sandbox/aws/']) {
    expect((await fetch(new URL(target, url), { redirect: 'manual' })).status, target).toBe(404);
    expect(
      (
        await fetch(new URL(target, url), {
          method: 'POST',
          headers: { origin: url },
          body: 'Action=GetUser',
          redirect: 'manual',
        })
      ).status,
      target,
    ).toBe(404);
  }
  const demoSignIn = discoverServerActions().find((action) => action.name === 'demoSignInAction');
  if (!demoSignIn) throw new Error('demoSignInAction not found in the build');
  const action = await callServerAction(url, demoSignIn, {
    fields: { personId: 'demo-carol', callbackUrl: '/' },
  });
  expect(action.headers.getSetCookie().join(';')).not.toContain('session-token');
  expect(action.body).not.toContain('"ok":true');
  expect(action.status === 404 || action.body.includes('NEXT_HTTP_ERROR_FALLBACK;404')).toBe(true);
});

test('aws-mode headers: HSTS behind TLS, form-action allows the identity provider, no unsafe-eval', async () => {
  const { url } = requirePortal();
  const plain = await fetch(new URL('/signin', url));
  expect(plain.headers.get('strict-transport-security')).toBeNull();
  const csp = plain.headers.get('content-security-policy') ?? '';
  expect(csp).toContain(`form-action 'self' ${aws().idp.issuer}`);
  expect(csp).not.toContain('unsafe-eval');
  const behindTls = await fetch(new URL('/signin', url), { headers: { 'x-forwarded-proto': 'https' } });
  expect(behindTls.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

test('no secret of any server environment is in .next/static', () => {
  const { env } = requirePortal();
  const secrets: Record<string, string> = {
    AUTH_SECRET: env.AUTH_SECRET ?? '',
    ROLESMITH_OIDC_CLIENT_SECRET: env.ROLESMITH_OIDC_CLIENT_SECRET ?? '',
    DATABASE_URL: env.DATABASE_URL ?? '',
  };
  // The standalone emulator is the portal's AWS endpoint, so its keys are in the environment too.
  expect(aws().emulator, 'the standalone emulator (rolesmith sandbox) should have started').not.toBeNull();
  secrets.AWS_SECRET_ACCESS_KEY = env.AWS_SECRET_ACCESS_KEY ?? '';
  secrets.AWS_ACCESS_KEY_ID = env.AWS_ACCESS_KEY_ID ?? '';
  // Whatever the test runner's own environment holds that looks like a secret (the build inherits it).
  for (const [name, value] of Object.entries(process.env)) {
    if (/SECRET|PASSWORD|TOKEN|PRIVATE|_KEY/i.test(name) && value && value.length >= 8) secrets[name] = value;
  }
  // The sandbox server's generated auth secret, when the sandbox project ran first.
  const sandboxDir = process.env.ROLESMITH_E2E_DATA_DIR;
  if (sandboxDir) {
    try {
      secrets.SANDBOX_AUTH_SECRET = readFileSync(path.join(sandboxDir, 'auth-secret'), 'utf8').trim();
    } catch {
      // The sandbox server did not run in this invocation.
    }
  }
  const files = filesUnder(path.resolve(import.meta.dirname, '..', '.next', 'static'));
  expect(files.length).toBeGreaterThan(0);
  const found: string[] = [];
  for (const file of files) {
    const content = readFileSync(file, 'latin1');
    for (const [name, value] of Object.entries(secrets)) {
      if (value.length > 0 && content.includes(value))
        found.push(`${name} in ${path.relative(process.cwd(), file)}`);
    }
  }
  expect(Object.values(secrets).filter((value) => value.length > 0).length).toBeGreaterThanOrEqual(5);
  expect(found).toEqual([]);
});

test('past the per-person sign-in limit, the OIDC callback answers 429 with a page saying when to retry', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  // `signInPerPerson` allows 10 sign-ins a minute per e-mail; the 11th callback is refused. The
  // minute is a fixed window: start early in one, so that eleven sign-ins (about 30 s) fit in it.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 20_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
  let last: { status: number; retryAfter: string | undefined } | undefined;
  for (let attempt = 0; attempt < 12 && last?.status !== 429; attempt += 1) {
    const context = await browser.newContext({ baseURL: requirePortal().url });
    const page = await context.newPage();
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.identityProviderButton.click();
    await page.waitForURL((url) => url.origin === aws().idp.issuer);
    const provider = new IdentityProviderPage(page);
    await provider.signIn('rex');
    const callback = page.waitForResponse((response) =>
      response.url().startsWith(`${requirePortal().url}/api/auth/callback/oidc`),
    );
    await provider.consent();
    const response = await callback;
    last = { status: response.status(), retryAfter: response.headers()['retry-after'] };
    if (last.status === 429) {
      await expect(page.getByRole('heading', { level: 1, name: 'Too many attempts' })).toBeVisible();
      await expect(signIn.rateLimitMessage).toBeVisible();
      expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('authjs.session-token');
    }
    await context.close();
  }
  expect(last?.status).toBe(429);
  expect(Number(last?.retryAfter)).toBeGreaterThan(0);
});

// Last in this file: it uses up the per-IP sign-in budget of this runner's address.
test('with no trusted proxy, a spoofed X-Forwarded-For does not escape the per-IP limit', async () => {
  const { url } = requirePortal();
  // ROLESMITH_TRUSTED_PROXIES is unset (0): every request below comes from this runner's address,
  // whatever X-Forwarded-For says, so the per-IP sign-in limit (60 per minute) stops them. The
  // minute is a fixed window: the calls (a few seconds) start with at least 15 s of one left, so that
  // no new window restarts the count halfway (the test before ends at any point of a minute).
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
  let last: Response | undefined;
  let attempts = 0;
  for (; attempts < 130 && last?.status !== 429; attempts += 1) {
    last = await fetch(new URL('/api/auth/signout', url), {
      method: 'POST',
      headers: {
        origin: url,
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': `198.18.${Math.floor(attempts / 250)}.${(attempts % 250) + 1}`,
      },
      body: 'callbackUrl=%2F',
      redirect: 'manual',
    });
  }
  expect(last?.status).toBe(429);
  expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(attempts).toBeLessThanOrEqual(61);
});
