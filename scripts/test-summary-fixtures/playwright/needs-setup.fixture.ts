import { expect, test } from '@playwright/test';

test('needs the setup project', () => {
  expect(true).toBe(true);
});
