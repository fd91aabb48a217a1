import { expect, test } from './fixtures';

test('GET /api/health reports the mode and each dependency, without secrets', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toContain('no-store');
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status: 'ok', mode: 'sandbox', database: 'ok', iam: 'ok', failing: [] });
  expect(JSON.stringify(body)).not.toMatch(/secret|password|postgres:\/\//i);
});
