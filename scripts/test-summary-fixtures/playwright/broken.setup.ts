import { expect, test as setup } from '@playwright/test';

setup('signs in, and fails', () => {
  expect('signed out').toBe('signed in');
});
