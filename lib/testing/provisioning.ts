import { CreatePolicyVersionCommand, IAMClient } from '@aws-sdk/client-iam';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createAccountClients } from '@/lib/aws/account-clients';
import type { IamAccountClient } from '@/lib/aws/iam-client';
import type { Principal } from '@/lib/auth/principal';
import { sql } from 'kysely';

import { getDb } from '@/lib/db/client';
import type { RootDb } from '@/lib/db/schema';
import type { RoleSpecInput } from '@/lib/iam/role-spec';
import { preflightCheck } from '@/lib/provisioning/preflight';
import { requestBinding } from '@/lib/requests/provisioning-binding';
import {
  createProvisioningWorker,
  type ProvisioningWorker,
  type WorkerOptions,
} from '@/lib/provisioning/worker';
import { approveRequest, retryRequest, type PreflightCheck } from '@/lib/requests/approve';
import { acknowledgementItems } from '@/lib/requests/assess';
import { getGuardrails } from '@/lib/requests/guardrails-store';
import type { RoleRequest } from '@/lib/requests/model';
import { createAndSubmitRequest } from '@/lib/requests/requests';
import { justified } from '@/lib/requests/test-fixtures';
import { ok } from '@/lib/result';
import type { Faults } from '@/lib/sandbox/faults';
import { startStandaloneEmulator } from '@/lib/sandbox/node-server';
import type { Quotas } from '@/lib/sandbox/state';
import type { AccountIam } from '@/lib/wizard/account-reads';
import { sandboxAccounts } from '@/lib/sandbox/seed-data';

/**
 * Test support for provisioning: a standalone emulator over HTTP, seeded target accounts, and
 * requests taken through the real workflow (submit, approve with the preflight, retry).
 */

export const TARGET = '444455556666';
export const HOME = '111122223333';

export interface TestEmulator {
  /** The SDK endpoint, `http://127.0.0.1:<port>/sandbox/aws`. */
  endpoint: string;
  provisionerKeys(accountId?: string): { accessKeyId: string; secretAccessKey: string };
  /** The account's `sandbox-admin` keys (allowed everything), for setting up what the portal never does. */
  adminKeys(accountId?: string): { accessKeyId: string; secretAccessKey: string };
  /** The JSON line `rolesmith sandbox --json` prints: endpoint and provisioner keys. */
  descriptionJson: string;
  /** A shared client per account (adaptive retry keeps per-client state: see `freshIam`). */
  iam(accountId?: string): IamAccountClient;
  /** A new client, e.g. for a test that throttles every call and must not slow the shared one down. */
  freshIam(accountId?: string, maxAttempts?: number, retryMode?: 'adaptive' | 'standard'): IamAccountClient;
  setFaults(faults: Faults): Promise<void>;
  resetCalls(): Promise<void>;
  /** IAM calls since the last reset, per action, for one account. */
  calls(accountId?: string): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * Starts the standalone emulator in this process, in a fresh temporary folder on a free port
 * (with IAM's quotas, or those given).
 */
export async function startTestEmulator(options: { quotas?: Partial<Quotas> } = {}): Promise<TestEmulator> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rolesmith-prov-emu-'));
  const sandbox = await startStandaloneEmulator({ port: 0, dataDir, quotas: options.quotas });
  const description = sandbox.emulator.describe();
  return connectToEmulator(
    { endpoint: sandbox.endpoint, region: description.region, accounts: description.accounts },
    async () => {
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  );
}

/** What `rolesmith sandbox --json` prints: the endpoint and each account's provisioner and admin keys. */
export interface EmulatorDescription {
  endpoint: string;
  region: string;
  accounts: {
    id: string;
    provisioner: { accessKeyId: string; secretAccessKey: string };
    admin?: { accessKeyId: string; secretAccessKey: string };
  }[];
}

/** Drives an emulator that runs anywhere (e.g. another process) through its endpoint. */
export function connectToEmulator(
  description: EmulatorDescription,
  close: () => Promise<void>,
): TestEmulator {
  const clients = new Map<string, IamAccountClient>();
  const control = async (name: string, body?: unknown) => {
    const response = await fetch(`${description.endpoint}/_sandbox/${name}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`_sandbox/${name} answered ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  const connect = (
    accountId: string,
    extra: { maxAttempts?: number; retryMode?: 'adaptive' | 'standard' },
  ) => {
    const account = description.accounts.find((candidate) => candidate.id === accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    return createAccountClients(accountId, {
      endpoint: description.endpoint,
      region: description.region,
      credentials: account.provisioner,
      ...extra,
    }).iam;
  };
  return {
    endpoint: description.endpoint,
    descriptionJson: JSON.stringify(description),
    provisionerKeys(accountId = TARGET) {
      const account = description.accounts.find((candidate) => candidate.id === accountId);
      if (!account) throw new Error(`no account ${accountId}`);
      return account.provisioner;
    },
    adminKeys(accountId = TARGET) {
      const account = description.accounts.find((candidate) => candidate.id === accountId);
      if (!account?.admin) throw new Error(`no admin keys for account ${accountId}`);
      return account.admin;
    },
    iam(accountId = TARGET) {
      let iam = clients.get(accountId);
      if (!iam) {
        iam = connect(accountId, {});
        clients.set(accountId, iam);
      }
      return iam;
    },
    freshIam(accountId = TARGET, maxAttempts, retryMode) {
      return connect(accountId, {
        ...(maxAttempts ? { maxAttempts } : {}),
        ...(retryMode ? { retryMode } : {}),
      });
    },
    async setFaults(faults) {
      await control('faults', faults);
    },
    async resetCalls() {
      await control('reset-calls', {});
    },
    async calls(accountId = TARGET) {
      const { calls } = (await control('calls')) as {
        calls: { account: string; service: string; action: string; count: number }[];
      };
      const byAction: Record<string, number> = {};
      for (const call of calls) {
        if (call.account === accountId && call.service === 'iam')
          byAction[call.action] = (byAction[call.action] ?? 0) + call.count;
      }
      return byAction;
    },
    close,
  };
}

/** The emulator's provisioner clients, as `lib/requests`' submission and the wizard reach an account. */
export function emulatorAccountIam(emulator: TestEmulator): AccountIam {
  return (account) => Promise.resolve(emulator.iam(account.id));
}

/** Creates a customer managed policy in the account (as the provisioner would); returns its ARN. */
export async function createCustomerPolicy(
  emulator: TestEmulator,
  name: string,
  document: string,
  accountId = TARGET,
): Promise<string> {
  const created = await emulator
    .iam(accountId)
    .createPolicy({ name, path: '/', description: null, document, tags: [] });
  if (!created.ok) throw new Error(created.message);
  return created.value.arn;
}

/**
 * A new version of a managed policy through the SDK itself, as the account's administrator
 * (lib/aws has no CreatePolicyVersion and the provisioner may not: the portal never writes one).
 */
export async function addPolicyVersion(
  emulator: TestEmulator,
  arn: string,
  document: string,
  setAsDefault: boolean,
  accountId = TARGET,
): Promise<void> {
  const sdk = new IAMClient({
    region: 'us-east-1',
    endpoint: emulator.endpoint,
    credentials: emulator.adminKeys(accountId),
  });
  try {
    await sdk.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: document,
        SetAsDefault: setAsDefault,
      }),
    );
  } finally {
    sdk.destroy();
  }
}

/** Inserts the sandbox's target accounts (as `seedSandboxData` does, without guardrail rows). */
export async function seedTargetAccounts(): Promise<void> {
  const db = await getDb();
  await db
    .insertInto('target_accounts')
    .values(
      sandboxAccounts
        .filter((account) => account.isTarget)
        .map((account) => ({
          id: account.id,
          alias: account.alias,
          environment: account.environment,
          color: account.color,
          provisioner_role_arn: null,
          external_id: null,
        })),
    )
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

function principal(id: string, roles: Principal['roles']): Principal {
  return { id, email: `${id}@acme.example`, name: id, groups: [], roles, sandboxIdentity: null };
}

export const requester = principal('test-requester', { requester: true, approver: null, admin: false });
export const approver = principal('test-approver', { requester: true, approver: 'all', admin: false });

/** A role specification with P new policies, M existing managed policies and I inline policies. */
export function roleSpec(
  name: string,
  shape: { newPolicies?: number; managed?: number; inline?: number; boundary?: string } = {},
): RoleSpecInput {
  const document = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name.toLowerCase()}-bucket/*` },
    ],
  });
  const managed = [
    'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess',
    'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    'arn:aws:iam::aws:policy/AWSLambda_ReadOnlyAccess',
  ];
  return {
    accountId: TARGET,
    name,
    path: '/apps/',
    description: `Test role ${name}`,
    maxSessionDuration: 7200,
    trustedEntity: { type: 'aws_account', accountId: HOME, requireMfa: false },
    managedPolicyArns: managed.slice(0, shape.managed ?? 2),
    newManagedPolicies: Array.from({ length: shape.newPolicies ?? 1 }, (_, index) => ({
      name: `${name}-policy-${index}`,
      description: 'test',
      document,
    })),
    inlinePolicies: Array.from({ length: shape.inline ?? 1 }, (_, index) => ({
      name: `inline-${index}`,
      document,
    })),
    ...(shape.boundary ? { permissionsBoundaryArn: shape.boundary } : {}),
    tags: [{ key: 'team', value: 'platform' }],
  };
}

/** The approval's preflight reading the test emulator, with the guardrails in force. */
export function emulatorPreflight(emulator: TestEmulator): PreflightCheck {
  return async (request: RoleRequest) => {
    const { guardrails } = await getGuardrails();
    const result = await preflightCheck(emulator.iam(request.accountId), request, guardrails);
    return result.ok ? ok(null) : result;
  };
}

/**
 * Submits a create request as the test requester; returns what an approver sends to approve it:
 * the request id, the SHA-256 of its specification and the keys of the items to acknowledge.
 */
export async function submitForApproval(
  spec: RoleSpecInput,
): Promise<{ requestId: string; specSha256: string; acknowledged: string[] }> {
  const submitted = await createAndSubmitRequest(
    requester,
    await justified({ kind: 'create', spec, justification: 'integration test' }),
  );
  if (!submitted.ok)
    throw new Error(`submit failed: ${submitted.message} ${JSON.stringify(submitted.fieldErrors ?? {})}`);
  return {
    requestId: submitted.value.id,
    specSha256: submitted.value.specSha256,
    acknowledged: securityWarnings(submitted.value),
  };
}

/**
 * Submits a request as the test requester and approves it as the test approver (which queues the
 * job). `kind` `delete` takes `{ accountId, roleName }` instead of a spec.
 */
export async function submitAndApprove(
  emulator: TestEmulator,
  spec: RoleSpecInput | { accountId: string; roleName: string },
  kind: 'create' | 'change' | 'delete' = 'create',
): Promise<RoleRequest> {
  const input =
    kind === 'delete'
      ? { kind, ...spec, justification: 'integration test' }
      : await justified({ kind, spec: spec as RoleSpecInput, justification: 'integration test' });
  const submitted = await createAndSubmitRequest(requester, input, {
    accountIam: emulatorAccountIam(emulator),
  });
  if (!submitted.ok)
    throw new Error(`submit failed: ${submitted.message} ${JSON.stringify(submitted.fieldErrors ?? {})}`);
  const approved = await approveRequest(
    approver,
    {
      requestId: submitted.value.id,
      specSha256: submitted.value.specSha256,
      acknowledged: securityWarnings(submitted.value),
    },
    emulatorPreflight(emulator),
  );
  if (!approved.ok) throw new Error(`approve failed: ${approved.message}`);
  return approved.value.request;
}

function securityWarnings(request: RoleRequest): string[] {
  return acknowledgementItems(request).map((item) => item.key);
}

/** The approver's retry of a failed request (queues a new job). */
export async function retry(requestId: string): Promise<RoleRequest> {
  const result = await retryRequest(approver, { requestId });
  if (!result.ok) throw new Error(`retry failed: ${result.message}`);
  return result.value;
}

/** The request's audit events, oldest first, as `from→to`. */
export async function auditTrail(requestId: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .selectFrom('request_events')
    .select(['from_state', 'to_state'])
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
  return rows.map((row) => `${row.from_state ?? ''}→${row.to_state}`);
}

/** The request's state. */
export async function requestState(requestId: string): Promise<{ state: string; failure: unknown }> {
  const db = await getDb();
  const row = await db
    .selectFrom('requests')
    .select(['state', 'failure'])
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  return { state: row.state, failure: row.failure };
}

/** A provisioning worker on `db` reaching the emulator, with a short lease and fast retries for tests. */
export function testWorker(
  db: RootDb,
  emulator: TestEmulator,
  options: Partial<WorkerOptions> = {},
): ProvisioningWorker {
  return createProvisioningWorker({
    db,
    requests: requestBinding,
    iamFor: (accountId) => Promise.resolve(emulator.iam(accountId)),
    leaseMs: 10_000,
    retry: { maxTransientAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, invalidPrincipalWindowMs: 0 },
    ...options,
  });
}

/** Runs every runnable job to its end with a fresh {@link testWorker}. */
export async function drainJobs(
  db: RootDb,
  emulator: TestEmulator,
  options: Partial<WorkerOptions> = {},
): Promise<void> {
  const worker = testWorker(db, emulator, options);
  while (await worker.runOnce());
}

/** Time passes: the lease of every running or retrying job (e.g. of a dead worker) has expired. */
export async function expireLeases(db: RootDb): Promise<void> {
  await sql`update provisioning_jobs set lease_expires_at = now() - interval '1 second'
    where status in ('running', 'retrying')`.execute(db);
}

/** A job's recorded intents in plan order, as `step_key:state`. */
export async function recordedIntents(db: RootDb, jobId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('provisioning_intents')
    .select(['step_key', 'state'])
    .where('job_id', '=', jobId)
    .orderBy('step_index')
    .execute();
  return rows.map((row) => `${row.step_key}:${row.state}`);
}
