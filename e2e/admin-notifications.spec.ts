import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectNoSeriousViolations } from './accessibility';
import { expect, test } from './fixtures';
import { Shell } from './pages/shell';
import {
  IDENTITY,
  PRODUCTION,
  fillReview,
  justifyFlags,
  nextTo,
  selectManagedPolicy,
  startBlank,
  uniqueRoleName,
} from './wizard-flows';

// Sandbox mode: Carol configures the notifications webhook to a receiver this spec runs on
// 127.0.0.1, sees the generated signing secret once, sends a test that arrives signed, and finds
// it in the deliveries table; Bob, who is no admin, finds no such page. The spec switches the
// webhook off at the end, so that later specs' requests queue nothing.

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function startReceiver(): Promise<{ url: string; received: Delivery[]; close: () => Promise<void> }> {
  const received: Delivery[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rolesmith`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a receiver does (README, "Notifications webhook"): the HMAC over "<timestamp>.<body>", and a fresh timestamp. */
function isGenuine(secret: string, delivery: Delivery | undefined): boolean {
  if (!delivery) return false;
  const timestamp = String(delivery.headers['x-rolesmith-timestamp']);
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(
    `v1=${createHmac('sha256', secret).update(`${timestamp}.${delivery.body}`).digest('hex')}`,
  );
  const signature = Buffer.from(String(delivery.headers['x-rolesmith-signature']));
  return signature.length === expected.length && timingSafeEqual(signature, expected);
}

test('Carol configures the webhook, sees its secret once, and a test arrives signed and is listed', async ({
  asCarol: page,
}) => {
  const receiver = await startReceiver();
  try {
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Notifications', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
    await new Shell(page).expectCurrent('Admin');
    await expectNoSeriousViolations(page, '/notifications');
    // Before the webhook is first saved, Send test is disabled and says why beside it (a retry of
    // this test finds the webhook saved by the first try: the button is enabled then).
    const sendTestFirst = page.getByRole('button', { name: 'Send test' });
    if (await sendTestFirst.isDisabled())
      await expect(sendTestFirst).toHaveAccessibleDescription(
        'Save the webhook first: a test goes to its saved URL.',
      );

    const url = page.getByRole('textbox', { name: 'Endpoint URL' });
    // A bad URL is refused beside its field, and what was typed stays.
    await url.fill('ftp://chat.example.com/hook');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('The URL must start with https://')).toBeVisible();
    await expect(url).toHaveAttribute('aria-invalid', 'true');
    await expect(url).toHaveValue('ftp://chat.example.com/hook');
    await expectNoSeriousViolations(page, '/notifications with a field error');

    await url.fill(receiver.url);
    await expect(page.getByRole('checkbox', { name: 'Send notifications' })).toBeChecked();
    for (const event of ['Submitted', 'Approved', 'Rejected', 'Provisioned', 'Failed'])
      await expect(page.getByRole('checkbox', { name: event, exact: true })).toBeChecked();
    await expect(page.getByRole('radio', { name: 'Generate a secret' })).toBeChecked();
    // Saved from the keyboard: Enter in the URL field submits the form.
    await url.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'Webhook saved' })).toBeVisible();
    const secretBox = page.getByRole('status').filter({ hasText: 'Copy the new signing secret now' });
    await expect(secretBox).toBeVisible();
    const secret = (await secretBox.locator('code').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: 'test-results/notifications-secret-once.png' });

    // Shown once: after a reload the page says a secret is set, and the secret is nowhere in it.
    await page.reload();
    await expect(
      page.getByText(/A signing secret is set, created \d{4}-\d\d-\d\d at \d\d:\d\d UTC/),
    ).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    await expect(page.getByRole('radio', { name: 'Keep the current secret' })).toBeChecked();
    await expect(page.getByRole('radio', { name: 'Replace secret with a generated one' })).toBeVisible();

    const sendTest = page.getByRole('button', { name: 'Send test' });
    await sendTest.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByText('Test delivered: the receiver answered HTTP 200.')).toBeVisible();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    if (!delivery) throw new Error('no delivery');
    expect(isGenuine(secret, delivery)).toBe(true);
    const deliveryId = String(delivery.headers['x-rolesmith-delivery']);
    expect(deliveryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(delivery.body)).toMatchObject({
      text: expect.stringContaining('Test notification from Rolesmith'),
      rolesmith: { event: 'test', deliveryId, request: null, actor: { name: 'Carol Chen' } },
    });

    const table = page.getByRole('table', { name: 'Recent webhook deliveries' });
    const row = table.getByRole('row').filter({ hasText: deliveryId });
    await expect(row).toContainText('Test');
    await expect(row).toContainText('Delivered');
    await expect(row).toContainText('HTTP 200');
    await expectNoSeriousViolations(page, '/notifications with a delivery');
    await page.screenshot({ path: 'test-results/notifications-delivered.png', fullPage: true });
  } finally {
    // Off again: later specs' requests must not queue notifications to a receiver that is gone.
    const enabled = page.getByRole('checkbox', { name: 'Send notifications' });
    if (await enabled.isChecked()) {
      await enabled.uncheck();
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Notifications are off.' })).toBeVisible();
    }
    await receiver.close();
  }
});

test('a request Alice submits reaches the receiver, signed, from the portal’s own outbox sender', async ({
  asCarol,
  asAlice,
}) => {
  test.setTimeout(120_000);
  const receiver = await startReceiver();
  const secret = 'whsec_e2e-entered-secret-0123456789abcdef';
  try {
    await asCarol.goto('/notifications');
    await asCarol.getByRole('textbox', { name: 'Endpoint URL' }).fill(receiver.url);
    await asCarol.getByRole('checkbox', { name: 'Send notifications' }).check();
    await asCarol.getByRole('radio', { name: /Enter a secret|one I enter/ }).check();
    await asCarol.getByLabel('New signing secret').fill(secret);
    await asCarol.getByRole('button', { name: 'Save' }).click();
    await expect(asCarol.getByRole('status').filter({ hasText: 'Notifications are on.' })).toBeVisible();

    const name = uniqueRoleName('hook-reader');
    const wizard = await startBlank(asAlice, PRODUCTION);
    await asAlice.getByRole('combobox', { name: 'Account ID' }).fill(IDENTITY);
    await nextTo(wizard, 'Add permissions');
    await selectManagedPolicy(asAlice, 'AmazonS3ReadOnlyAccess');
    await justifyFlags(wizard, 'The build reads artefacts from every bucket.');
    await nextTo(wizard, 'Name, review, and create');
    await fillReview(wizard, { name, justification: 'Reads the build artefacts.' });
    const requestId = await wizard.submit();

    // The server's sender polls the outbox every two seconds.
    await expect
      .poll(
        () =>
          receiver.received
            .map(
              (delivery) =>
                JSON.parse(delivery.body) as { rolesmith: { event: string; request: { id: string } | null } },
            )
            .find((body) => body.rolesmith.request?.id === requestId)?.rolesmith.event,
        { timeout: 20_000 },
      )
      .toBe('submitted');
    const delivery = receiver.received.find((item) => item.body.includes(requestId));
    expect(isGenuine(secret, delivery)).toBe(true);
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
      text: expect.stringContaining(
        `Request submitted for approval: ${name} in acme-production (444455556666)`,
      ),
      rolesmith: {
        request: { id: requestId, roleName: name, state: 'pending' },
        actor: { name: 'Alice Adams' },
      },
    });

    await asCarol.reload();
    const row = asCarol
      .getByRole('table', { name: 'Recent webhook deliveries' })
      .getByRole('row')
      .filter({ hasText: String(delivery?.headers['x-rolesmith-delivery']) });
    await expect(row).toContainText('Submitted');
    await expect(row.getByRole('link', { name })).toHaveAttribute('href', `/requests/${requestId}`);
    await expect(row).toContainText('Delivered');
  } finally {
    await asCarol.goto('/notifications');
    await asCarol.getByRole('checkbox', { name: 'Send notifications' }).uncheck();
    await asCarol.getByRole('button', { name: 'Save' }).click();
    await expect(asCarol.getByRole('status').filter({ hasText: 'Notifications are off.' })).toBeVisible();
    await receiver.close();
  }
});

test('Bob, who is no admin, gets not found at /notifications', async ({ asBob }) => {
  const response = await asBob.goto('/notifications');
  expect(response?.status()).toBe(404);
  await new Shell(asBob).expectNotFound('Bob /notifications');
  await expect(asBob.getByRole('textbox')).toHaveCount(0);
});
