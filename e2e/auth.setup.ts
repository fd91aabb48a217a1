import { test as setup } from '@playwright/test';
import { people, personNames, signInAndSave } from './sessions';

// Signs each demo person in once through the sandbox's demo chooser and saves the session, which
// the sandbox project's fixtures (e2e/fixtures.ts) reuse: one sign-in per person and run, well
// under the per-person limit (10 a minute).
for (const person of personNames) {
  setup(`sign in as ${people[person].name} through the demo chooser`, async ({ page }) => {
    await signInAndSave(page, person);
  });
}
