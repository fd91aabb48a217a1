import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { expect } from 'vitest';
import { startStandaloneEmulator, type StandaloneEmulator } from '@/lib/sandbox/node-server';
import type { Quotas } from '@/lib/sandbox/state';

/** Test-only helpers: a standalone emulator on port 0 in a temporary folder, and real SDK clients for it. */

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface Harness {
  server: StandaloneEmulator;
  dataDir: string;
  /**
   * IAM client of an account's sandbox administrator (default 111122223333; AdministratorAccess):
   * the emulator's own tests exercise operations beyond the provisioner's documented policy.
   */
  iam(accountId?: string): IAMClient;
  sts(accountId?: string): STSClient;
  /** IAM client of an account's provisioner user: exactly the documented provisioner policy. */
  provisionerIam(accountId?: string): IAMClient;
  iamAs(credentials: Credentials): IAMClient;
  stsAs(credentials: Credentials): STSClient;
  person(userName: string): Credentials & { accountId: string; mfaSerial: string };
  close(): Promise<void>;
}

/** Starts a standalone emulator on port 0 in a new temporary folder. */
export async function startHarness(options: { quotas?: Partial<Quotas> } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-sandbox-test-'));
  const server = await startStandaloneEmulator({ port: 0, dataDir, quotas: options.quotas });
  const description = server.emulator.describe();
  const config = (credentials: Credentials) => ({
    endpoint: server.endpoint,
    region: 'us-east-1',
    // A copy: the SDK marks the credentials object it is given.
    credentials: { ...credentials },
    maxAttempts: 1,
  });
  const account = (accountId = '111122223333') => {
    const found = description.accounts.find((item) => item.id === accountId);
    if (!found) throw new Error(`No sandbox account ${accountId}`);
    return found;
  };
  return {
    server,
    dataDir,
    iam: (accountId) => new IAMClient(config(account(accountId).admin)),
    sts: (accountId) => new STSClient(config(account(accountId).admin)),
    provisionerIam: (accountId) => new IAMClient(config(account(accountId).provisioner)),
    iamAs: (credentials) => new IAMClient(config(credentials)),
    stsAs: (credentials) => new STSClient(config(credentials)),
    person(userName) {
      const person = description.people.find((item) => item.userName === userName);
      if (!person) throw new Error(`No sandbox person ${userName}`);
      return person;
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Asserts that a call fails with an AWS error code (the wire code), HTTP status and message (substring or pattern). */
export async function expectAwsError(
  promise: Promise<unknown>,
  code: string,
  status: number,
  message?: string | RegExp,
): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(Error);
  const error = caught as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
  expect({ code: error.Code ?? error.name, status: error.$metadata?.httpStatusCode }).toEqual({
    code,
    status,
  });
  if (typeof message === 'string') expect(error.message).toBe(message);
  else if (message) expect(error.message).toMatch(message);
}

/** A JSON policy document. */
export const doc = (value: unknown) => JSON.stringify(value);

/** An identity policy allowing `action` on `resource`. */
export const allow = (action: string | string[], resource: string | string[] = '*') =>
  doc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

/** A trust policy letting an account's principals (with identity permission) assume the role. */
export const trustAccount = (accountId: string) =>
  doc({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
    ],
  });
