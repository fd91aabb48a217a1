import { expect, sessionFile, storedCookieHeader, test } from './fixtures';
import {
  callServerAction,
  discoverPages,
  discoverRouteHandlers,
  discoverServerActions,
} from './harness/aws-http';
import { AccessPage } from './pages/access-page';
import { SignInPage } from './pages/sign-in-page';

// Headers, spoofed proxy headers, and the origin check, for every page, server action and route
// handler discovered from the code and the build (a new one is covered without editing this file).

const pages = discoverPages();
const routes = discoverRouteHandlers();
const actions = discoverServerActions();
const demoSignIn = actions.find((action) => action.name === 'demoSignInAction');

/**
 * State-changing route handlers that legitimately accept requests without a browser Origin,
 * because they do not authenticate with the session cookie. They must still refuse these
 * unauthenticated requests (any 4xx/5xx), and never act on the session cookie.
 */
const originExempt: Record<string, string> = {
  // IAM/STS calls are authenticated by SigV4; the `_sandbox/*` control calls are not, but refuse
  // (403) a foreign Origin and any POST whose content-type is not application/json.
  'app/sandbox/aws/[[...path]]/route.ts#POST':
    'the sandbox emulator, called by the AWS SDK (SigV4) and by tests (_sandbox/*: same-origin JSON only)',
};

let adminCookie = '';

test.beforeAll(() => {
  // Carol's session, saved by the setup project (e2e/auth.setup.ts).
  adminCookie = storedCookieHeader('Carol');
  expect(adminCookie).toContain('authjs.session-token=');
});

function expectSecurityHeaders(headers: Record<string, string>, where: string): void {
  const csp = headers['content-security-policy'] ?? '';
  expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp, where).not.toContain('unsafe-eval');
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"])
    expect(csp, where).toContain(directive);
  expect(headers['x-content-type-options'], where).toBe('nosniff');
  expect(headers['referrer-policy'], where).toBe('strict-origin-when-cross-origin');
  // Sandbox mode over plain http: no HSTS.
  expect(headers['strict-transport-security'], where).toBeUndefined();
}

test('every page answers with the security headers and a fresh nonce, signed in or not', async ({
  request,
}) => {
  expect(pages).toContain('/signin');
  for (const path of pages) {
    for (const cookie of ['', adminCookie]) {
      const response = await request.get(path, { headers: cookie ? { cookie } : {}, maxRedirects: 0 });
      expectSecurityHeaders(response.headers(), `${path} ${cookie ? 'as admin' : 'anonymous'}`);
    }
  }
  const first = (await request.get('/signin')).headers()['content-security-policy'];
  const second = (await request.get('/signin')).headers()['content-security-policy'];
  expect(first).not.toBe(second);
});

const spoofs: Record<string, string>[] = [
  { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' },
  { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' },
  { 'x-middleware-subrequest': 'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware' },
  { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
  { host: 'evil.example' },
];

test('spoofed x-middleware-subrequest and x-forwarded-host headers change nothing on any page or route', async ({
  request,
}) => {
  const targets = [
    ...pages,
    ...routes.filter((route) => route.methods.includes('GET')).map((route) => route.path),
  ];
  for (const path of targets) {
    const plain = await request.get(path, { maxRedirects: 0 });
    for (const spoof of spoofs) {
      const spoofed = await request.get(path, { headers: spoof, maxRedirects: 0 });
      const where = `${path} with ${JSON.stringify(spoof)}`;
      expect(spoofed.status(), where).toBe(plain.status());
      expect(spoofed.headers().location ?? '', where).not.toContain('evil.example');
      expect(spoofed.headers()['set-cookie'] ?? '', where).not.toContain('authjs.session-token=ey');
      expectSecurityHeaders(spoofed.headers(), where);
    }
  }
  // The admin page stays hidden from an anonymous caller whatever the headers say.
  for (const spoof of spoofs) {
    const response = await request.get('/access', { headers: spoof, maxRedirects: 0 });
    expect([303, 404]).toContain(response.status());
    expect(await response.text()).not.toContain('Portal roles');
  }
});

test('server actions with a spoofed x-middleware-subrequest still run every check', async ({ baseURL }) => {
  if (!baseURL) throw new Error('baseURL');
  const grant = actions.find((action) => action.name === 'grantRoleAction');
  if (!grant) throw new Error('grantRoleAction not found in the build');
  const fields = { subjectKind: 'group', subject: 'spoofers', role: 'admin' };
  const anonymous = await callServerAction(baseURL, grant, {
    fields,
    headers: { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' },
  });
  expect(anonymous.body).not.toContain('"ok":true');
  const foreign = await callServerAction(baseURL, grant, {
    fields,
    cookie: adminCookie,
    origin: 'https://evil.example',
    headers: {
      'x-forwarded-host': 'evil.example',
      'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy',
    },
  });
  expect(foreign.status >= 400 || foreign.body.includes('"code":"forbidden"')).toBe(true);
  const page = await fetch(new URL('/access', baseURL), { headers: { cookie: adminCookie } });
  const html = await page.text();
  expect(html).toContain('Portal roles');
  expect(html).not.toContain('spoofers');
});

test('every server action refuses cross-origin and origin-less calls, even from a signed-in admin', async ({
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  expect(actions.length).toBeGreaterThan(0);
  for (const action of actions) {
    for (const origin of [null, 'https://evil.example', 'null']) {
      const response = await callServerAction(baseURL, action, {
        fields: {
          personId: 'demo-carol',
          subjectKind: 'group',
          subject: 'cross-origin',
          role: 'admin',
          assignmentId: '00000000-0000-4000-8000-000000000000',
        },
        cookie: adminCookie,
        origin,
      });
      const where = `${action.file}#${action.name} with Origin ${String(origin)}`;
      expect(
        response.status >= 400 || response.body.includes('"code":"forbidden"'),
        `${where}: ${response.status} ${response.body.slice(0, 200)}`,
      ).toBe(true);
      expect(response.headers.getSetCookie().join(';'), where).not.toMatch(/authjs\.session-token=ey/);
    }
  }
  // Nothing was granted by any of these calls.
  const page = await fetch(new URL('/access', baseURL), { headers: { cookie: adminCookie } });
  expect(await page.text()).not.toContain('cross-origin');
});

test('a page rendered by GET with a form content type (Next re-fetches the target of an action redirect so) is a page, not an action', async ({
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  // After `redirect()` in a server action Next fetches the target page with the action request's
  // headers (content-type and all, Origin or not), by GET. Guards must not take it for an action.
  const response = await fetch(new URL('/access', baseURL), {
    headers: { cookie: adminCookie, 'content-type': 'multipart/form-data; boundary=x' },
    redirect: 'manual',
  });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('Grant a role');
});

test('every state-changing route handler refuses cross-origin and origin-less requests', async ({
  request,
}) => {
  for (const route of routes) {
    for (const method of route.methods.filter((name) => !['GET', 'HEAD', 'OPTIONS'].includes(name))) {
      const exempt = Boolean(originExempt[`${route.file}#${method}`]);
      for (const origin of [undefined, 'https://evil.example']) {
        const response = await request.fetch(route.path.replace(/\/x$/, '/signout'), {
          method,
          headers: {
            cookie: adminCookie,
            'content-type': 'application/x-www-form-urlencoded',
            ...(origin ? { origin } : {}),
          },
          data: 'callbackUrl=%2F',
          maxRedirects: 0,
        });
        const where = `${method} ${route.path} Origin ${String(origin)}`;
        if (exempt) expect(response.status(), where).toBeGreaterThanOrEqual(400);
        else expect(response.status(), where).toBe(403);
      }
    }
  }
});

test('route handlers answer 429 with Retry-After past the per-IP sign-in limit', async ({
  request,
  baseURL,
}) => {
  // A distinct client address (the right-most X-Forwarded-For entry) keeps other tests' budget intact.
  const headers = {
    origin: baseURL ?? '',
    'x-forwarded-for': '203.0.113.77',
    'content-type': 'application/x-www-form-urlencoded',
  };
  let last = await request.post('/api/auth/signout', { headers, data: 'callbackUrl=%2F', maxRedirects: 0 });
  // The limit (60) counts in fixed one-minute windows: 130 attempts cover a window that ends midway.
  for (let attempt = 0; attempt < 130 && last.status() !== 429; attempt += 1) {
    last = await request.post('/api/auth/signout', { headers, data: 'callbackUrl=%2F', maxRedirects: 0 });
  }
  expect(last.status()).toBe(429);
  expect(Number(last.headers()['retry-after'])).toBeGreaterThan(0);
});

test('sign-in actions answer 429 with Retry-After past the per-IP sign-in limit', async ({ baseURL }) => {
  if (!baseURL || !demoSignIn) throw new Error('baseURL and the demo sign-in action are needed');
  // A client address of its own (not the route-handler test's) keeps other tests' budget intact
  // (the e2e server trusts one proxy hop, so the X-Forwarded-For entry is the client). A different
  // unknown person each time creates no session and stays under the per-person limit: only the
  // per-IP limit (`signInPerIp`, 60 per minute) can stop these, and the proxy answers 429 itself.
  let last = { status: 0, body: '', headers: new Headers() };
  for (let attempt = 0; attempt < 130 && last.status !== 429; attempt += 1) {
    last = await callServerAction(baseURL, demoSignIn, {
      fields: { personId: `nobody-${attempt}`, callbackUrl: '/' },
      headers: { 'x-forwarded-for': '203.0.113.78' },
    });
    if (last.status !== 429) expect(last.body).toContain('"code":"invalid_input"');
  }
  expect(last.status).toBe(429);
  expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
});

test('server actions answer 429 with Retry-After past the per-user mutation limit, whatever the IP', async ({
  baseURL,
}) => {
  if (!baseURL || !demoSignIn) throw new Error('baseURL and the demo sign-in action are needed');
  const grant = actions.find((action) => action.name === 'grantRoleAction');
  if (!grant) throw new Error('grantRoleAction not found in the build');
  const erin = storedCookieHeader('Erin');
  let last = { status: 0, body: '', headers: new Headers() };
  let allowed = 0;
  // A different client address on every call: only the per-user count can stop these. The proxy
  // answers 429 itself; 130 attempts cover a window that ends midway.
  for (let attempt = 0; attempt < 130 && last.status !== 429; attempt += 1) {
    if (last.status === 200) allowed += 1;
    last = await callServerAction(baseURL, grant, {
      fields: { subjectKind: 'group', subject: 'x', role: 'admin' },
      cookie: erin,
      headers: { 'x-forwarded-for': `198.51.100.${attempt + 1}` },
    });
    expect(last.body).not.toContain('"ok":true');
  }
  expect(last.status).toBe(429);
  expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  // Each request is counted once (by the proxy, not again by the guard): more than half of the
  // 60-per-minute per-user limit (`mutationsPerUser`) got through before the refusal.
  expect(allowed).toBeGreaterThan(30);
});

test('sign-in actions answer 429 with Retry-After past the per-person limit, whatever the IP', async ({
  baseURL,
}) => {
  if (!baseURL || !demoSignIn) throw new Error('baseURL and the demo sign-in action are needed');
  // The per-person limit (`signInPerPerson`, 10 per minute) counts the name posted, known or not,
  // so an unknown name keeps the seeded people's budget intact. A new address each time: only the
  // per-person count can stop these.
  const person = `ghost-${Date.now()}`;
  let last = { status: 0, body: '', headers: new Headers() };
  let allowed = 0;
  for (let attempt = 0; attempt < 30 && last.status !== 429; attempt += 1) {
    if (last.status === 200) allowed += 1;
    last = await callServerAction(baseURL, demoSignIn, {
      fields: { personId: person, callbackUrl: '/' },
      headers: { 'x-forwarded-for': `192.0.2.${attempt + 1}` },
    });
  }
  expect(last.status).toBe(429);
  expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  // 10 per minute, in fixed windows: at most 20 get through when a window ends midway.
  expect(allowed).toBeLessThanOrEqual(20);
  // What the portal's JavaScript receives: an action result it shows like any failed Result.
  expect(last.headers.get('content-type')).toBe('text/x-component');
  expect(last.body).toContain('"code":"rate_limited"');
  expect(last.body).toMatch(/Too many attempts, try again in \d+ s\./);
});

/** Uses up the per-IP sign-in limit of one client address with unknown-person sign-in calls. */
/**
 * Uses up the per-IP sign-in limit of `address`. The limit counts in fixed one-minute windows, so
 * it is used up with at least 15 s of the window left: the browser's attempt right after still
 * falls in it (it once did not, and the sign-in went through with 200).
 */
async function exhaustSignInLimit(baseURL: string, address: string): Promise<void> {
  const action = demoSignIn;
  if (!action) throw new Error('the demo sign-in action is needed');
  test.setTimeout(120_000);
  for (let round = 0; round < 3; round += 1) {
    let last: Awaited<ReturnType<typeof callServerAction>> | null = null;
    for (let attempt = 0; attempt < 130 && last?.status !== 429; attempt += 1) {
      last = await callServerAction(baseURL, action, {
        fields: { personId: `exhaust-${address}-${round}-${attempt}`, callbackUrl: '/' },
        headers: { 'x-forwarded-for': address },
      });
    }
    if (last?.status !== 429) throw new Error(`the sign-in limit of ${address} was never reached`);
    const secondsLeft = Number(last.headers.get('retry-after'));
    if (secondsLeft >= 15) return;
    await new Promise((resolve) => setTimeout(resolve, (secondsLeft + 1) * 1000));
  }
  throw new Error(`the sign-in limit of ${address} never had 15 s of its window left`);
}

test('a rate-limited sign-in shows a friendly message in the form, not the error page', async ({
  browser,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  const address = '203.0.113.81';
  const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': address } });
  const page = await context.newPage();
  const signIn = new SignInPage(page);
  await signIn.goto();
  await exhaustSignInLimit(baseURL, address);
  const answered = page.waitForResponse(
    (response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/signin',
  );
  await signIn.chooseDemoPerson('Alice');
  const response = await answered;
  expect(response.status()).toBe(429);
  expect(Number(response.headers()['retry-after'])).toBeGreaterThan(0);
  await expect(signIn.rateLimitMessage).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Something went wrong' })).toHaveCount(0);
  await expect(signIn.heading).toBeVisible();
  expect(page.url()).toBe(`${baseURL}/signin`);
  await context.close();
});

test('a rate-limited form posted without JavaScript gets a 429 page that says when to try again', async ({
  browser,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  const address = '203.0.113.82';
  const context = await browser.newContext({
    javaScriptEnabled: false,
    extraHTTPHeaders: { 'x-forwarded-for': address },
  });
  const page = await context.newPage();
  const signIn = new SignInPage(page);
  await signIn.goto();
  await exhaustSignInLimit(baseURL, address);
  const answered = page.waitForResponse(
    (response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/signin',
  );
  await signIn.chooseDemoPerson('Alice');
  const response = await answered;
  expect(response.status()).toBe(429);
  expect(Number(response.headers()['retry-after'])).toBeGreaterThan(0);
  expect(response.headers()['content-type']).toContain('text/html');
  await expect(page.getByRole('heading', { level: 1, name: 'Too many attempts' })).toBeVisible();
  await expect(signIn.rateLimitMessage).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go back' })).toHaveAttribute('href', '/signin');
  // The same form under the limit (another address) signs in without JavaScript.
  const fresh = await browser.newContext({
    javaScriptEnabled: false,
    extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.83' },
  });
  const freshSignIn = new SignInPage(await fresh.newPage());
  await freshSignIn.goto();
  await freshSignIn.chooseDemoPerson('Alice');
  await freshSignIn.goto();
  await expect(freshSignIn.signedInHeading('Alice Adams')).toBeVisible();
  await fresh.close();
  await context.close();
});

test('a rate-limited change shows the message in its form with JavaScript, and a 429 page without', async ({
  browser,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL');
  const grant = actions.find((action) => action.name === 'grantRoleAction');
  if (!grant) throw new Error('grantRoleAction not found in the build');
  // Anonymous calls from one address use up its per-IP mutation limit (`mutationsPerIp`, 300 a
  // minute) without touching anyone's per-user budget; then the admin's own forms, from that
  // address, are refused.
  const address = '203.0.113.84';
  const origin = baseURL;
  const grantAction = grant;
  // The limit counts in fixed one-minute windows: exhaust it with at least 15 s of the window
  // left, so that the browser's attempt right after still falls in it.
  async function exhaustIpLimit(): Promise<void> {
    for (;;) {
      let last = { status: 0, headers: new Headers() };
      for (let attempt = 0; attempt < 700 && last.status !== 429; attempt += 1) {
        last = await callServerAction(origin, grantAction, {
          fields: { subjectKind: 'group', subject: 'x', role: 'admin' },
          headers: { 'x-forwarded-for': address },
        });
      }
      expect(last.status).toBe(429);
      const secondsLeft = Number(last.headers.get('retry-after'));
      if (secondsLeft >= 15) return;
      await new Promise((resolve) => setTimeout(resolve, (secondsLeft + 1) * 1000));
    }
  }
  test.setTimeout(180_000);

  for (const javaScriptEnabled of [true, false]) {
    await exhaustIpLimit();
    // Carol's stored session, in a context of its own (with or without JavaScript, from `address`).
    const context = await browser.newContext({
      javaScriptEnabled,
      extraHTTPHeaders: { 'x-forwarded-for': address },
      storageState: sessionFile('Carol'),
    });
    const page = await context.newPage();
    const access = new AccessPage(page);
    await access.goto();
    const answered = page.waitForResponse(
      (response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/access',
    );
    await access.grantToPerson('limited@acme.example');
    const response = await answered;
    const where = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
    expect(response.status(), where).toBe(429);
    expect(Number(response.headers()['retry-after']), where).toBeGreaterThan(0);
    await expect(page.getByText(/^Too many attempts, try again in \d+ s\.$/), where).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Something went wrong' }), where).toHaveCount(0);
    if (javaScriptEnabled) {
      // Still the form, with what was typed.
      await expect(access.email).toHaveValue('limited@acme.example');
    } else {
      await expect(page.getByRole('link', { name: 'Go back' })).toHaveAttribute('href', '/access');
    }
    await context.close();
  }
  const page = await fetch(new URL('/access', baseURL), { headers: { cookie: adminCookie } });
  expect(await page.text()).not.toContain('limited@acme.example');
});
