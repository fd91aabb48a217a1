import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionerPolicy, provisionerPolicyDocument } from '@/lib/sandbox/provisioner-policy';
import { sandboxAccounts } from '@/lib/sandbox/seed-data';
import { startHarness, type Harness } from '@/lib/sandbox/test-harness';

// The provisioner's permissions are the documented ones: the README's policy is the one in code,
// the emulator's provisioner user and roles carry exactly it, and it allows every IAM call the
// portal makes (so a missing permission fails here, not in a customer's first request).

const root = process.cwd();

/** The JSON block that follows "**IAM permissions.**" in the README. */
function readmePolicy(): unknown {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.indexOf('**IAM permissions.**');
  expect(section, 'README has an "IAM permissions" paragraph').toBeGreaterThanOrEqual(0);
  const start = readme.indexOf('```json\n', section);
  const end = readme.indexOf('\n```', start + 8);
  expect(start).toBeGreaterThan(section);
  return JSON.parse(readme.slice(start + 8, end));
}

/** Every non-test TypeScript file of the portal outside the emulator and test helpers. */
function portalSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', 'sandbox', 'testing'].includes(entry.name) ? [] : portalSources(path);
    }
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** `iam:<Operation>` for each `new <Operation>Command(` of `@aws-sdk/client-iam` in the portal's code. */
function portalIamActions(): Map<string, string[]> {
  const actions = new Map<string, string[]>();
  for (const file of [...portalSources(join(root, 'lib')), ...portalSources(join(root, 'app'))]) {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-iam'/g)]
      .flatMap((match) => match[1]!.split(','))
      .map((name) => name.trim().replace(/^type\s+/, ''))
      .filter((name) => name.endsWith('Command'));
    for (const name of imports) {
      if (!new RegExp(`new\\s+${name}\\s*\\(`).test(text)) continue;
      const action = `iam:${name.slice(0, -'Command'.length)}`;
      actions.set(action, [...(actions.get(action) ?? []), relative(root, file)]);
    }
  }
  return actions;
}

/** What the wizard reads and provisioning of instance profiles will call (issue 12). */
const plannedActions = [
  'iam:ListRoles',
  'iam:ListPolicies',
  'iam:ListOpenIDConnectProviders',
  'iam:GetOpenIDConnectProvider',
  'iam:ListSAMLProviders',
  'iam:GetSAMLProvider',
  'iam:CreateInstanceProfile',
  'iam:GetInstanceProfile',
  'iam:DeleteInstanceProfile',
  'iam:AddRoleToInstanceProfile',
  'iam:RemoveRoleFromInstanceProfile',
  'iam:ListInstanceProfilesForRole',
  'iam:TagInstanceProfile',
  'iam:PassRole',
];

describe('the documented provisioner policy', () => {
  it('is exactly the README\'s "IAM permissions" JSON block', () => {
    expect(readmePolicy()).toEqual(provisionerPolicy);
  });

  it("fits IAM's quotas for a managed policy and for the emulator's inline user policy", () => {
    const size = provisionerPolicyDocument.replace(/\s/g, '').length;
    expect(size).toBeLessThanOrEqual(2048);
  });

  it('names every IAM call of the portal (sanity: the scan finds the provisioning calls)', () => {
    const actions = portalIamActions();
    expect([...actions.keys()]).toEqual(
      expect.arrayContaining(['iam:CreateRole', 'iam:PutRolePolicy', 'iam:GetAccountSummary']),
    );
    const named = new Set<string>(
      provisionerPolicy.Statement.flatMap((statement) => [statement.Action].flat()),
    );
    const missing = [...actions].filter(([action]) => !named.has(action));
    expect(missing, 'IAM calls of the portal missing from lib/sandbox/provisioner-policy.ts').toEqual([]);
  });
});

describe("the emulator's provisioners", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('carry exactly the documented policy: provisioner roles in every target account', async () => {
    for (const account of sandboxAccounts.filter((item) => item.isTarget)) {
      const iam = harness.iam(account.id);
      const roleName = 'RolesmithProvisioner';
      expect((await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames).toEqual([
        'RolesmithProvisioner',
      ]);
      expect(
        (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies,
      ).toEqual([]);
      const inline = await iam.send(
        new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'RolesmithProvisioner' }),
      );
      expect(JSON.parse(decodeURIComponent(inline.PolicyDocument!))).toEqual(provisionerPolicy);
    }
  });

  it('allow every IAM call of the portal and of the wizard, and nothing beyond the policy', async () => {
    const actions = [...new Set([...portalIamActions().keys(), ...plannedActions])].sort();
    for (const account of sandboxAccounts.filter((item) => item.isTarget)) {
      for (const principal of [
        `arn:aws:iam::${account.id}:user/rolesmith-provisioner`,
        `arn:aws:iam::${account.id}:role/rolesmith/RolesmithProvisioner`,
      ]) {
        const result = await harness.iam(account.id).send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: principal,
            ActionNames: [...actions, 'iam:CreateUser', 'iam:CreateOpenIDConnectProvider', 's3:GetObject'],
          }),
        );
        const decisions = Object.fromEntries(
          result.EvaluationResults!.map((item): [string, string | undefined] => [
            item.EvalActionName ?? '',
            item.EvalDecision,
          ]),
        );
        expect(decisions, principal).toEqual({
          ...Object.fromEntries(actions.map((action) => [action, 'allowed'])),
          'iam:CreateUser': 'implicitDeny',
          'iam:CreateOpenIDConnectProvider': 'implicitDeny',
          's3:GetObject': 'implicitDeny',
        });
      }
    }
  });
});
