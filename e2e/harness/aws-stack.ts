// Everything an aws-mode end-to-end spec runs against, started together: a throw-away PostgreSQL,
// the standalone emulator as the AWS endpoint (the portal's own identity: the identity account's
// provisioner user), the harness's OpenID provider with `people`, and the production build in aws
// mode on a free port.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';
import { startTestIdp, type IdpPerson, type TestIdp } from './aws-oidc';
import {
  freePort,
  startEmulator,
  startPortal,
  startPostgres,
  type Emulator,
  type Portal,
  type TestPostgres,
} from './aws-portal';

export interface AwsStack {
  postgres: TestPostgres;
  /** `null` when this checkout has no `rolesmith sandbox` command (the portal then has no AWS endpoint). */
  emulator: Emulator | null;
  idp: TestIdp;
  portal: Portal;
  /** Stops everything and removes the data folder. */
  stop(): Promise<void>;
}

/**
 * Starts the stack; `bootstrapAdmin` is the e-mail in ROLESMITH_BOOTSTRAP_ADMINS. `beforePortal`
 * runs once the emulator listens and before the portal starts (e.g. to create what the test needs
 * in an account). On a failure, whatever started is stopped before the error is thrown.
 */
export async function startAwsStack(options: {
  people: Record<string, IdpPerson>;
  bootstrapAdmin: string;
  beforePortal?: (emulator: Emulator | null) => Promise<void>;
  /** More settings of the portal's environment (e.g. a short drift check interval). */
  portalEnv?: Record<string, string>;
}): Promise<AwsStack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rolesmith-aws-e2e-'));
  const port = await freePort();
  // localhost, not 127.0.0.1: Next's request URLs spell loopback hosts as localhost.
  const url = `http://localhost:${port}`;
  const started = await Promise.allSettled([
    startPostgres(),
    startEmulator(path.join(dataDir, 'emulator')),
    startTestIdp({ redirectUri: `${url}/api/auth/callback/oidc`, people: options.people }),
  ] as const);
  const [postgres, emulator, idp] = started.map((outcome) =>
    outcome.status === 'fulfilled' ? outcome.value : null,
  ) as [TestPostgres | null, Emulator | null, TestIdp | null];
  let portal: Portal | null = null;
  const stop = async () => {
    await portal?.stop();
    await Promise.all([idp?.stop(), emulator?.stop(), postgres?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    if (!postgres || !idp) throw new Error('PostgreSQL or the OpenID provider did not start');
    await options.beforePortal?.(emulator);
    portal = await startPortal(port, {
      ROLESMITH_MODE: 'aws',
      ROLESMITH_DATA_DIR: path.join(dataDir, 'portal'),
      DATABASE_URL: postgres.url,
      AUTH_SECRET: `auth-secret-${crypto.randomUUID()}`,
      ROLESMITH_PUBLIC_URL: url,
      ROLESMITH_OIDC_ISSUER: idp.issuer,
      ROLESMITH_OIDC_CLIENT_ID: idp.clientId,
      ROLESMITH_OIDC_CLIENT_SECRET: idp.clientSecret,
      ROLESMITH_OIDC_GROUPS_CLAIM: 'groups',
      ROLESMITH_BOOTSTRAP_ADMINS: options.bootstrapAdmin,
      ...(emulator
        ? {
            ROLESMITH_AWS_ENDPOINT: emulator.endpoint,
            AWS_ACCESS_KEY_ID: emulator.accessKeyId,
            AWS_SECRET_ACCESS_KEY: emulator.secretAccessKey,
            AWS_REGION: 'us-east-1',
          }
        : {}),
      ...options.portalEnv,
    });
    return { postgres, emulator, idp, portal, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Registers the hooks of a serial aws-mode spec file: the stack starts before its first test
 * (generous time: a loaded machine), the portal's log is printed after a failed test (Auth.js logs
 * a failed sign-in's cause there), and everything stops after the last. Returns the running stack.
 */
export function registerAwsStack(options: Parameters<typeof startAwsStack>[0]): () => AwsStack {
  let stack: AwsStack | undefined;
  test.beforeAll(async () => {
    test.setTimeout(240_000);
    stack = await startAwsStack(options);
  });
  test.afterEach(({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) console.error(stack?.portal.logs.join('').slice(-4000));
  });
  test.afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (!stack)
      throw new Error('the aws-mode stack (portal, emulator, PostgreSQL, OpenID provider) did not start');
    return stack;
  };
}
