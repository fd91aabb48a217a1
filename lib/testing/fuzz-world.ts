import { seedSandboxData } from '@/lib/accounts/seed';
import type { Principal } from '@/lib/auth/principal';
import { loadPrincipal, seedSandboxPeopleInto } from '@/lib/auth/users';
import { createAccountClients } from '@/lib/aws/account-clients';
import { parseEnv } from '@/lib/env';
import { startHarness, type Harness } from '@/lib/sandbox/test-harness';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import type { AccountIam } from '@/lib/wizard/account-reads';
import { forgetCachedReads } from '@/lib/wizard/read-cache';

/**
 * What the wizard's robustness tests run against (Vitest): a seeded PGlite with the sandbox's
 * demo people and target accounts, and a standalone emulator answering the account reads over
 * HTTP as each account's provisioner (exactly the documented provisioner policy).
 */

export const DEMO_PEOPLE = ['demo-alice', 'demo-dave', 'demo-bob', 'demo-carol', 'demo-erin'] as const;

/** The account reads through `harness`, as each target account's provisioner user. */
export function emulatorAccountIam(harness: Harness): AccountIam {
  return (account) => {
    const keys = harness.server.emulator.describe().accounts.find((item) => item.id === account.id);
    if (!keys) throw new Error(account.id);
    return Promise.resolve(
      createAccountClients(account.id, {
        endpoint: harness.server.endpoint,
        region: 'us-east-1',
        credentials: keys.provisioner,
        maxAttempts: 1,
      }).iam,
    );
  };
}

export interface FuzzWorld {
  test: TestDatabase;
  harness: Harness;
  accountIam: AccountIam;
  /** The demo people as `lib/auth` loads them, in {@link DEMO_PEOPLE}'s order. */
  people: Principal[];
  close(): Promise<void>;
}

export async function startFuzzWorld(): Promise<FuzzWorld> {
  const test = await createTestPglite();
  await seedSandboxPeopleInto(test.db);
  await seedSandboxData();
  const env = parseEnv({ ROLESMITH_MODE: 'sandbox' });
  const people: Principal[] = [];
  for (const id of DEMO_PEOPLE) {
    const principal = await loadPrincipal(test.db, env, id);
    if (!principal) throw new Error(id);
    people.push(principal);
  }
  const harness = await startHarness();
  forgetCachedReads();
  return {
    test,
    harness,
    accountIam: emulatorAccountIam(harness),
    people,
    close: async () => {
      forgetCachedReads();
      await harness.close();
      await test.close();
    },
  };
}
