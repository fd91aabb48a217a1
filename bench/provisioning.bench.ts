/**
 * `provisioning.overhead_ratio`: the portal's time to provision N roles (a worker claiming each
 * job with its lease, committing an intent before every IAM call, verifying the role, and moving
 * the request to `provisioned`; sandbox mode's on-disk PGlite) ÷ the time of exactly the same IAM
 * calls made directly with `@aws-sdk/client-iam` (same client settings) against the same standalone
 * emulator. Portal and direct batches alternate in one run (which goes first alternates too); the
 * figure is the median of the per-round ratios. Goal ≤ 1.25.
 *
 * `provisioning.extra_calls_per_role`: IAM calls counted at the emulator while the portal
 * provisions, minus P + 1 + M + I + 3 per role, per role (median over rounds). Goal == 0.
 *
 * Each role: 1 new customer managed policy, 2 AWS managed policies, 1 inline policy (9 calls).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { openPglite, setDbForTests } from '../lib/db/client';
import { migrateToLatest } from '../lib/db/migrate';
import { roleSpecSchema } from '../lib/iam/role-spec';
import { roleToProvision } from '../lib/provisioning/from-spec';
import { customerPolicyArn, expectedCreateCalls, planCreate } from '../lib/provisioning/plan';
import { requestBinding } from '../lib/provisioning/request-binding';
import { TARGET, roleSpec, seedTargetAccounts, startTestEmulator, submitAndApprove } from '../lib/provisioning/test-fixtures';
import { createProvisioningWorker } from '../lib/provisioning/worker';
import { median, type BenchResult } from './types';

const ROUNDS = 7;
const ROLES_PER_BATCH = 10;
const SHAPE = { newPolicies: 1, managed: 2, inline: 1 };

export default async function run(): Promise<BenchResult[]> {
  const folder = mkdtempSync(join(tmpdir(), 'rolesmith-bench-prov-'));
  const emulator = await startTestEmulator();
  const opened = await openPglite(join(folder, 'pglite'));
  const restoreDb = setDbForTests(opened.db);
  try {
    await migrateToLatest(opened.db);
    await seedTargetAccounts();
    const account = emulator.sandbox.emulator.describe().accounts.find((candidate) => candidate.id === TARGET)!;
    const direct = new IAMClient({
      region: 'us-east-1',
      endpoint: emulator.sandbox.endpoint,
      credentials: account.provisioner,
      retryMode: 'adaptive',
      maxAttempts: 3,
    });
    const worker = createProvisioningWorker({
      db: opened.db,
      requests: requestBinding,
      iamFor: (accountId) => Promise.resolve(emulator.iam(accountId)),
      workerId: 'bench',
    });

    async function portalBatch(round: number): Promise<{ ms: number; extraCallsPerRole: number }> {
      const specs = Array.from({ length: ROLES_PER_BATCH }, (_, i) => roleSpec(`portal-${round}-${i}`, SHAPE));
      for (const spec of specs) await submitAndApprove(emulator, spec);
      await emulator.resetCalls();
      const started = performance.now();
      while (await worker.runOnce());
      const ms = performance.now() - started;
      const calls = Object.values(await emulator.calls()).reduce((sum, count) => sum + count, 0);
      const expected = specs.reduce((sum, spec) => sum + expectedCreateCalls(roleToProvision(roleSpecSchema.parse(spec))), 0);
      return { ms, extraCallsPerRole: (calls - expected) / ROLES_PER_BATCH };
    }

    async function directBatch(round: number): Promise<number> {
      // The same plan the portal runs, as plain SDK calls.
      const plans = Array.from({ length: ROLES_PER_BATCH }, (_, i) => {
        const role = roleToProvision(roleSpecSchema.parse(roleSpec(`direct-${round}-${i}`, SHAPE)));
        const plan = planCreate(role, `direct-${round}-${i}`);
        if (!plan.ok) throw new Error(plan.message);
        return plan.value;
      });
      const started = performance.now();
      for (const plan of plans) {
        for (const step of plan.steps) {
          switch (step.kind) {
            case 'create_policy':
              await direct.send(
                new CreatePolicyCommand({
                  PolicyName: step.policy.name,
                  Path: step.policy.path,
                  PolicyDocument: step.policy.document,
                  ...(step.policy.description ? { Description: step.policy.description } : {}),
                  Tags: step.policy.tags.map((tag) => ({ Key: tag.key, Value: tag.value })),
                }),
              );
              break;
            case 'create_role':
              await direct.send(
                new CreateRoleCommand({
                  RoleName: step.role.name,
                  Path: step.role.path,
                  AssumeRolePolicyDocument: step.role.trustPolicy,
                  MaxSessionDuration: step.role.maxSessionDurationSeconds,
                  ...(step.role.description ? { Description: step.role.description } : {}),
                  Tags: step.role.tags.map((tag) => ({ Key: tag.key, Value: tag.value })),
                }),
              );
              break;
            case 'attach_policy':
              await direct.send(new AttachRolePolicyCommand({ RoleName: step.roleName, PolicyArn: step.policyArn }));
              break;
            case 'put_inline_policy':
              await direct.send(new PutRolePolicyCommand({ RoleName: step.roleName, PolicyName: step.policyName, PolicyDocument: step.document }));
              break;
            case 'verify_role':
              await direct.send(new GetRoleCommand({ RoleName: step.roleName }));
              break;
            case 'verify_attached_policies':
              await direct.send(new ListAttachedRolePoliciesCommand({ RoleName: step.roleName }));
              break;
            case 'verify_inline_policies':
              await direct.send(new ListRolePoliciesCommand({ RoleName: step.roleName }));
              break;
            default:
              throw new Error(`unexpected step ${step.kind}`);
          }
        }
      }
      return performance.now() - started;
    }

    // Warm-up: module loading, JIT, connection pools, the emulator's caches.
    await portalBatch(-1);
    await directBatch(-1);

    const ratios: number[] = [];
    const extras: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      let portal: { ms: number; extraCallsPerRole: number };
      let directMs: number;
      if (round % 2 === 0) {
        portal = await portalBatch(round);
        directMs = await directBatch(round);
      } else {
        directMs = await directBatch(round);
        portal = await portalBatch(round);
      }
      ratios.push(portal.ms / directMs);
      extras.push(portal.extraCallsPerRole);
      console.log(
        `round ${round}: portal ${portal.ms.toFixed(1)} ms, direct ${directMs.toFixed(1)} ms for ${ROLES_PER_BATCH} roles ` +
          `(ratio ${(portal.ms / directMs).toFixed(3)}, extra calls/role ${portal.extraCallsPerRole})`,
      );
    }
    // Keep the policy ARN helper honest: the direct batches created what the plans said.
    const check = await emulator.iam().getPolicy(customerPolicyArn(TARGET, '/', 'direct-0-0-policy-0'));
    if (!check.ok) throw new Error('the direct batch did not create its policies');
    direct.destroy();
    return [
      { id: 'provisioning.overhead_ratio', value: median(ratios), unit: 'ratio', goal: '<= 1.25', runs: ROUNDS },
      { id: 'provisioning.extra_calls_per_role', value: median(extras), unit: 'count', goal: '== 0', runs: ROUNDS },
    ];
  } finally {
    restoreDb();
    await opened.close();
    await emulator.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
