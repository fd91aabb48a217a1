import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { hashRoleSpec } from '@/lib/iam/spec-hash';
import { roleSpecSchema, type RoleSpecInput } from '@/lib/iam/role-spec';
import { approveRequest } from '@/lib/requests/approve';
import { acknowledgementItems } from '@/lib/requests/assess';
import { getGuardrails, updateGuardrails } from '@/lib/requests/guardrails-store';
import type { RoleRequest } from '@/lib/requests/model';
import { createAndSubmitRequest, getRequest, updateRequest } from '@/lib/requests/requests';
import { alice, allow, bob, carol, justified, policy, roleSpec } from '@/lib/requests/test-fixtures';
import type { Result } from '@/lib/result';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  addPolicyVersion,
  createCustomerPolicy,
  emulatorAccountIam,
  emulatorPreflight,
  startTestEmulator,
  TARGET,
  type TestEmulator,
} from '@/lib/testing/provisioning';
import { forgetCachedReads } from '@/lib/wizard/read-cache';
import { emptyWizardState } from '@/lib/wizard/state';
import { previewWizard } from '@/lib/wizard/preview';
import { submitWizard } from '@/lib/wizard/submit';

/**
 * Submission against the target account, the emulator over HTTP through the real SDK: customer
 * managed policies' default versions read and kept with the request, their documents assessed with
 * it, the preflight refusing a default version changed since; the permissions boundary's findings
 * kept; the account's managed-policies-per-role quota.
 */

let test: TestDatabase;
let emulator: TestEmulator;
let counter = 0;
const name = (prefix: string) => `${prefix}-${++counter}`;
const arnOfAws = (policyName: string) => `arn:aws:iam::aws:policy/${policyName}`;

function value<T>(result: Result<T>): T {
  if (!result.ok)
    throw new Error(
      `expected ok, got ${result.code}: ${result.message} ${JSON.stringify(result.fieldErrors)}`,
    );
  return result.value;
}

const reads = () => ({ accountIam: emulatorAccountIam(emulator) });

/**
 * Submits `spec` as Alice through the emulator: first with the justifications the bundled data
 * allows to foresee, then, if submission asks for more (flags of customer managed policies, known
 * only once read), with those too. Returns the refusal's keys asked for and the request.
 */
async function submitJustifyingAll(spec: RoleSpecInput): Promise<{ asked: string[]; request: RoleRequest }> {
  const input = await justified({ kind: 'create' as const, spec, justification: 'integration test' });
  const first = await createAndSubmitRequest(alice, input, reads());
  if (first.ok) return { asked: [], request: first.value };
  const asked = Object.keys(first.fieldErrors ?? {})
    .filter((key) => key.startsWith('flagJustifications.'))
    .map((key) => key.slice('flagJustifications.'.length));
  if (asked.length === 0) value(first);
  const flagJustifications = {
    ...input.flagJustifications,
    ...Object.fromEntries(asked.map((key) => [key, 'Needed for the test'])),
  };
  return {
    asked,
    request: value(await createAndSubmitRequest(alice, { ...input, flagJustifications }, reads())),
  };
}

const keysOf = (request: RoleRequest) => acknowledgementItems(request).map((item) => item.key);

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
  emulator = await startTestEmulator();
  forgetCachedReads();
}, 60_000);

afterAll(async () => {
  await emulator.close();
  await test.close();
});

describe('attached customer managed policies', () => {
  it('refuses at submission one whose default version allows an action the guardrails forbid', async () => {
    const arn = await createCustomerPolicy(emulator, name('iam-users'), policy(allow('iam:CreateUser')));
    const refused = await createAndSubmitRequest(
      alice,
      await justified({
        kind: 'create',
        spec: roleSpec({ name: name('forbidden'), managedPolicyArns: [arn] }),
        justification: 'x',
      }),
      reads(),
    );
    expect(refused).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(refused.ok ? null : refused.fieldErrors?.['managedPolicyArns.0']?.join(' ')).toContain(
      'iam:CreateUser',
    );
  });

  describe('with no forbidden actions', () => {
    beforeAll(async () => {
      const stored = await getGuardrails();
      value(
        await updateGuardrails(carol, {
          guardrails: { ...stored.guardrails, forbiddenActions: [] },
          expectedVersion: stored.version,
        }),
      );
    });

    it('raises the flags of one granting iam:* on the request, keeps its default version, and leaves it out of the hash', async () => {
      const policyName = name('team-iam-admin');
      const arn = await createCustomerPolicy(emulator, policyName, policy(allow('iam:*')));
      const { asked, request } = await submitJustifyingAll(
        roleSpec({ name: name('iam-admin'), managedPolicyArns: [arn] }),
      );
      // The requester had to explain the customer policy's flags: submission read its document.
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.every((key) => key.endsWith('@managedPolicyArns.0'))).toBe(true);
      expect(request.managedPolicyVersions).toEqual([{ arn, versionId: 'v1' }]);
      const flags = request.risks.filter((risk) => risk.field === 'managedPolicyArns.0');
      expect(flags.map((flag) => flag.code)).toEqual(
        expect.arrayContaining(['privesc_attach_policy', 'privesc_put_policy', 'service_wildcard']),
      );
      // A privilege escalation: two approvals.
      expect(request.approvalsRequired).toBe(2);
      const items = acknowledgementItems(request);
      expect(items.map((item) => item.key).sort()).toEqual([...asked].sort());
      expect(items.find((item) => item.code === 'privesc_attach_policy')).toMatchObject({
        field: 'managedPolicyArns.0',
        where: `managed policy ${policyName}, statement 1`,
      });
      // The spec's hash is the spec's alone: the policy's content is not in it.
      expect(request.specSha256).toBe(hashRoleSpec(roleSpecSchema.parse(request.spec)).sha256);
      const detail = value(await getRequest(bob, request.id));
      expect(detail.request.managedPolicyVersions).toEqual([{ arn, versionId: 'v1' }]);
    });

    it('validates its document: a security warning of it must be acknowledged', async () => {
      const arn = await createCustomerPolicy(
        emulator,
        name('all-but-secrets'),
        policy({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secrets/*' }),
      );
      const { request } = await submitJustifyingAll(
        roleSpec({ name: name('not-resource'), managedPolicyArns: [arn] }),
      );
      expect(request.findings).toContainEqual(
        expect.objectContaining({
          code: 'allow_with_not_resource',
          severity: 'security_warning',
          field: 'managedPolicyArns.0',
          path: '/Statement/0/NotResource',
        }),
      );
      expect(keysOf(request)).toContain(
        'allow_with_not_resource@managedPolicyArns.0#/Statement/0/NotResource',
      );
    });

    it('makes the preflight refuse once its default version changed, until the requester resubmits', async () => {
      const policyName = name('deploy-tools');
      const arn = await createCustomerPolicy(emulator, policyName, policy(allow('s3:ListBucket')));
      const { request } = await submitJustifyingAll(
        roleSpec({ name: name('deployer'), managedPolicyArns: [arn] }),
      );
      expect(request.managedPolicyVersions).toEqual([{ arn, versionId: 'v1' }]);
      // Someone makes a wider version the default after submission.
      await addPolicyVersion(emulator, arn, policy(allow(['s3:ListBucket', 'iam:PassRole'])), true);
      const refused = await approveRequest(
        bob,
        { requestId: request.id, specSha256: request.specSha256, acknowledged: keysOf(request) },
        emulatorPreflight(emulator),
      );
      expect(refused).toMatchObject({
        ok: false,
        code: 'conflict',
        fieldErrors: {
          managedPolicyArns: [
            `The default version of policy ${policyName} changed from v1 to v2 since the request was submitted; the requester must resubmit so the approver sees it`,
          ],
        },
      });
      expect(value(await getRequest(bob, request.id))).toMatchObject({
        request: { state: 'pending' },
        approvals: [],
      });
      // The requester resubmits (the same spec): v2 is read and assessed, and kept.
      const resubmitted = value(
        await updateRequest(
          alice,
          { requestId: request.id, expectedVersion: 1, spec: request.spec },
          reads(),
        ),
      );
      expect(resubmitted.managedPolicyVersions).toEqual([{ arn, versionId: 'v2' }]);
      expect(resubmitted.version).toBe(2);
      // A version that is not the default changes nothing.
      await addPolicyVersion(emulator, arn, policy(allow('*')), false);
      const approved = value(
        await approveRequest(
          bob,
          {
            requestId: request.id,
            specSha256: resubmitted.specSha256,
            expectedVersion: resubmitted.version,
            acknowledged: keysOf(resubmitted),
          },
          emulatorPreflight(emulator),
        ),
      );
      expect(approved.approvalsGiven).toBe(1);
    });

    it('refuses at submission one that does not exist in the account, on its field', async () => {
      const missing = `arn:aws:iam::${TARGET}:policy/never-created`;
      const refused = await createAndSubmitRequest(
        alice,
        await justified({
          kind: 'create',
          spec: roleSpec({ name: name('missing'), managedPolicyArns: [arnOfAws('ReadOnlyAccess'), missing] }),
          justification: 'x',
        }),
        reads(),
      );
      expect(refused).toMatchObject({
        ok: false,
        code: 'invalid_input',
        fieldErrors: {
          'managedPolicyArns.1': [`Managed policy ${missing} does not exist in account ${TARGET}`],
        },
      });
    });
  });
});

describe('the permissions boundary', () => {
  it('keeps an AWS managed boundary’s findings with the request, shown but not to acknowledge', async () => {
    const { request } = await submitJustifyingAll(
      roleSpec({ name: name('bounded'), permissionsBoundaryArn: arnOfAws('PowerUserAccess') }),
    );
    expect(request.findings).toContainEqual(
      expect.objectContaining({
        code: 'allow_with_not_action',
        severity: 'security_warning',
        field: 'permissionsBoundaryArn',
      }),
    );
    // It only limits the role: nothing to acknowledge, no risk flag.
    expect(request.risks.filter((risk) => risk.field === 'permissionsBoundaryArn')).toEqual([]);
    expect(acknowledgementItems(request)).toEqual([]);
    expect(request.managedPolicyVersions).toEqual([]);
  });

  it('reads a customer managed boundary: its findings and its default version kept, a new default refused', async () => {
    const boundaryName = name('team-boundary');
    const arn = await createCustomerPolicy(
      emulator,
      boundaryName,
      policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
    );
    const { request } = await submitJustifyingAll(
      roleSpec({ name: name('team-bounded'), permissionsBoundaryArn: arn }),
    );
    expect(request.findings).toContainEqual(
      expect.objectContaining({ code: 'allow_with_not_action', field: 'permissionsBoundaryArn' }),
    );
    expect(request.managedPolicyVersions).toEqual([{ arn, versionId: 'v1' }]);
    await addPolicyVersion(emulator, arn, policy(allow('*')), true);
    expect(
      await approveRequest(
        bob,
        { requestId: request.id, specSha256: request.specSha256, acknowledged: keysOf(request) },
        emulatorPreflight(emulator),
      ),
    ).toMatchObject({
      ok: false,
      code: 'conflict',
      fieldErrors: {
        permissionsBoundaryArn: [
          `The default version of policy ${boundaryName} changed from v1 to v2 since the request was submitted; the requester must resubmit so the approver sees it`,
        ],
      },
    });
  });
});

describe('the managed-policies-per-role quota', () => {
  // Eleven to thirteen AWS managed policies that raise no flag needing a justification.
  const readOnly = [
    'AmazonEC2ReadOnlyAccess',
    'CloudWatchReadOnlyAccess',
    'AmazonSQSReadOnlyAccess',
    'AmazonSNSReadOnlyAccess',
    'AmazonRDSReadOnlyAccess',
    'AmazonVPCReadOnlyAccess',
    'CloudWatchLogsReadOnlyAccess',
    'AmazonRoute53ReadOnlyAccess',
    'AmazonKinesisReadOnlyAccess',
    'AWSCloudFormationReadOnlyAccess',
    'AmazonEC2ContainerRegistryReadOnly',
    'AWSCloudTrail_ReadOnlyAccess',
    'AmazonSSMReadOnlyAccess',
  ].map(arnOfAws);
  const attaching = (count: number) =>
    roleSpec({ name: name('many'), managedPolicyArns: readOnly.slice(0, count) });

  /** The refusal of one managed policy too many for an account allowing `quota`. */
  const oneTooMany = (quota: number) => ({
    ok: false,
    code: 'invalid_input',
    fieldErrors: {
      managedPolicyArns: [
        `A role can have at most ${quota} managed policies in this account (attached plus new); remove 1`,
      ],
    },
  });

  async function submitIn(quotaEmulator: TestEmulator, spec: RoleSpecInput) {
    forgetCachedReads('quota:');
    return createAndSubmitRequest(alice, await justified({ kind: 'create', spec, justification: 'x' }), {
      accountIam: emulatorAccountIam(quotaEmulator),
    });
  }

  it('counts against the account’s quota (GetAccountSummary), not IAM’s default of 10', async () => {
    const raised = await startTestEmulator({ quotas: { policiesPerRole: 12 } });
    try {
      expect(value(await submitIn(raised, attaching(11))).spec.managedPolicyArns).toHaveLength(11);
      expect(value(await submitIn(raised, attaching(12))).spec.managedPolicyArns).toHaveLength(12);
      expect(await submitIn(raised, attaching(13))).toMatchObject(oneTooMany(12));
    } finally {
      await raised.close();
    }
    // An account at IAM's default quota refuses the eleventh.
    expect(await submitIn(emulator, attaching(11))).toMatchObject(oneTooMany(10));
  });

  it('the wizard’s Submit counts against the same quota as its preview', async () => {
    const raised = await startTestEmulator({ quotas: { policiesPerRole: 12 } });
    forgetCachedReads('quota:');
    try {
      const state = (count: number) =>
        JSON.stringify({
          ...emptyWizardState(TARGET),
          name: name('wizard-many'),
          justification: 'Reads the platform',
          awsAccount: {
            which: 'other',
            accountId: '111122223333',
            requireExternalId: false,
            externalId: '',
            requireMfa: true,
          },
          managedPolicyArns: readOnly.slice(0, count),
        });
      const accountIam = emulatorAccountIam(raised);
      for (const count of [12, 13]) {
        const preview = value(
          await previewWizard({ state: JSON.parse(state(count)) as unknown }, { accountIam }),
        );
        expect(preview.meters.managedPolicies).toMatchObject({ used: count, quota: 12 });
        expect(preview.fieldErrors.managedPolicyArns).toEqual(
          count > 12 ? oneTooMany(12).fieldErrors.managedPolicyArns : undefined,
        );
      }
      expect(value(await submitWizard(alice, { state: state(12) }, { accountIam })).requestId).toMatch(/-/);
      expect(await submitWizard(alice, { state: state(13) }, { accountIam })).toMatchObject(oneTooMany(12));
    } finally {
      await raised.close();
    }
  });
});
