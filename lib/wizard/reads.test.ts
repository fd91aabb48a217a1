import { CreatePolicyCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSandboxData } from '@/lib/accounts/seed';
import { createAccountClients } from '@/lib/aws/account-clients';
import { startHarness, type Harness } from '@/lib/sandbox/test-harness';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  checkRoleNameAvailability,
  getManagedPolicyDetails,
  listIdentityProviders,
  searchManagedPolicies,
  type AccountIam,
} from '@/lib/wizard/account-reads';
import { getServiceDetails, searchServices } from '@/lib/wizard/catalogue-reads';
import { forgetCachedReads } from '@/lib/wizard/read-cache';
import { validateWizardDocument } from '@/lib/wizard/validate-document';

// The wizard's reads on PGlite, with the target account read over HTTP from a standalone
// emulator as its provisioner (exactly the documented provisioner policy).
const PRODUCTION = '444455556666';
let test: TestDatabase;
let harness: Harness;
let accountIam: AccountIam;

beforeAll(async () => {
  test = await createTestPglite();
  await seedSandboxData();
  harness = await startHarness();
  accountIam = (account) => {
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
  forgetCachedReads();
}, 60_000);
afterAll(async () => {
  await harness.close();
  await test.close();
});

describe('IAM catalogue reads', () => {
  it('finds services by prefix or name, the exact prefix first, few fields', async () => {
    const found = await searchServices({ q: 's3' });
    if (!found.ok) throw new Error(found.message);
    expect(found.value.services[0]?.prefix).toBe('s3');
    expect(found.value.services[0]?.name).toContain('S3');
    expect(Object.keys(found.value.services[0] ?? {})).toEqual(['prefix', 'name']);
    const byName = await searchServices({ q: 'lambda', limit: '5' });
    expect(byName.ok && byName.value.services[0]?.prefix).toBe('lambda');
    expect(await searchServices({ q: 'x'.repeat(101) })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { q: [expect.any(String)] },
    });
    expect(await searchServices({ limit: '0' })).toMatchObject({
      ok: false,
      fieldErrors: { limit: [expect.any(String)] },
    });
  });

  it("gives one service's actions by access level, resource types with ARN templates and its keys", async () => {
    const lambda = await getServiceDetails('lambda');
    if (!lambda.ok) throw new Error(lambda.message);
    expect(lambda.value.actionsByLevel.map((group) => group.level)).toEqual([
      'List',
      'Read',
      'Write',
      'Permissions management',
      'Tagging',
    ]);
    const names = (level: string) =>
      lambda.value.actionsByLevel
        .find((group) => group.level === level)
        ?.actions.map((action) => action.name) ?? [];
    expect(names('List')).toContain('ListFunctions');
    expect(names('Write')).toEqual(expect.arrayContaining(['InvokeFunction', 'UpdateFunctionCode']));
    expect(lambda.value.resourceTypes.find((type) => type.name === 'function')?.arn).toContain(
      'function:${FunctionName}',
    );
    expect(lambda.value.conditionKeys).toContainEqual(
      expect.objectContaining({ key: 'lambda:FunctionUrlAuthType', type: 'String' }),
    );
    expect(await getServiceDetails('nosuchservice')).toMatchObject({ ok: false, code: 'not_found' });
    expect(await getServiceDetails('s3/../x')).toMatchObject({ ok: false, code: 'invalid_input' });
  });
});

describe('validation as you type', () => {
  const lambdaDeveloper = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['lambda:ListFunctions', 'lambda:InvokeFunktion'], Resource: '*' },
    ],
  });

  it('returns positioned findings and risk flags for an identity policy', async () => {
    const result = await validateWizardDocument({ kind: 'identity', document: lambdaDeveloper });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.findings).toContainEqual(
      expect.objectContaining({
        code: 'unknown_action',
        severity: 'error',
        path: '/Statement/0/Action/1',
        line: 1,
      }),
    );
    expect(result.value.trust).toBeUndefined();
    const risky = await validateWizardDocument({
      kind: 'identity',
      document: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
          { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' },
        ],
      }),
    });
    expect(risky.ok && risky.value.risks.map((flag) => flag.code)).toContain('privesc_passrole_compute');
  });

  it('for a trust policy, says who can assume the role and recognises the card', async () => {
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
    });
    const result = await validateWizardDocument({ kind: 'trust', document: trust, accountId: PRODUCTION });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.trust?.recognized).toMatchObject({
      type: 'aws_account',
      accountId: '111122223333',
      requireMfa: true,
    });
    expect(result.value.trust?.whoCanAssume).toMatch(/111122223333.*MFA/);
  });

  it.each([
    { input: { kind: 'session', document: '{}' }, key: 'kind' },
    { input: { kind: 'identity' }, key: 'document' },
    { input: { kind: 'identity', document: 'x'.repeat(32_769) }, key: 'document' },
    { input: { kind: 'trust', document: '{}', accountId: '12' }, key: 'accountId' },
  ])('refuses a malformed request ($key)', async ({ input, key }) => {
    expect(await validateWizardDocument(input)).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { [key]: [expect.any(String)] },
    });
  });

  it('never fails on the document itself, however broken', async () => {
    for (const document of ['', '{', '[]', 'null', '{"Statement":[{"Effect":"Allow"}]}']) {
      const result = await validateWizardDocument({ kind: 'identity', document });
      expect(result.ok, document).toBe(true);
      expect(result.ok && result.value.findings.length, document).toBeGreaterThan(0);
    }
  });
});

describe('target account reads', () => {
  it('checks a role name case-insensitively against roles and open requests, with the IAM rules as field errors', async () => {
    await harness.iam(PRODUCTION).send(
      new CreateRoleCommand({
        RoleName: 'Payments-Reader',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    forgetCachedReads();
    expect(
      await checkRoleNameAvailability(PRODUCTION, { name: 'payments-READER' }, accountIam),
    ).toMatchObject({
      ok: true,
      value: {
        available: false,
        takenBy: 'role',
        message: 'The account already has a role named Payments-Reader.',
      },
    });
    expect(
      await checkRoleNameAvailability(PRODUCTION, { name: 'payments-writer' }, accountIam),
    ).toMatchObject({
      ok: true,
      value: { available: true },
    });
    await test.db
      .insertInto('requests')
      .values({
        kind: 'create',
        account_id: PRODUCTION,
        role_name: 'Open-Request-Role',
        requester_id: 'demo-dave',
        requester_email: 'dave@acme.example',
        requester_name: 'Dave',
        justification: 'test',
        spec: JSON.stringify({}),
        spec_sha256: '0'.repeat(64),
        state: 'pending',
        version: 1,
        approvals_required: 1,
        findings: '[]',
        failure: 'null',
      })
      .execute();
    expect(
      await checkRoleNameAvailability(PRODUCTION, { name: 'open-request-role' }, accountIam),
    ).toMatchObject({
      ok: true,
      value: { available: false, takenBy: 'request' },
    });
    // Only open requests of the same account hold a name: another account's, or a rejected one, do not.
    expect(
      await checkRoleNameAvailability('777788889999', { name: 'OPEN-REQUEST-ROLE' }, accountIam),
    ).toMatchObject({ ok: true, value: { available: true } });
    await test.db
      .updateTable('requests')
      .set({ state: 'rejected' })
      .where('role_name', '=', 'Open-Request-Role')
      .execute();
    expect(
      await checkRoleNameAvailability(PRODUCTION, { name: 'open-request-role' }, accountIam),
    ).toMatchObject({ ok: true, value: { available: true } });
    expect(await checkRoleNameAvailability(PRODUCTION, { name: 'has space' }, accountIam)).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { name: [expect.any(String)] },
    });
    expect(await checkRoleNameAvailability(PRODUCTION, {}, accountIam)).toMatchObject({
      ok: false,
      fieldErrors: { name: [expect.any(String)] },
    });
    expect(await checkRoleNameAvailability('999999999999', { name: 'x' }, accountIam)).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await checkRoleNameAvailability('9', { name: 'x' }, accountIam)).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { accountId: [expect.any(String)] },
    });
  });

  it("lists AWS managed policies from the bundled data and the account's customer managed ones, a page at a time", async () => {
    await harness.iam(PRODUCTION).send(
      new CreatePolicyCommand({
        PolicyName: 'AcmeReadOnlyLogs',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['logs:GetLogEvents', 'logs:DescribeLogGroups'], Resource: '*' },
          ],
        }),
      }),
    );
    forgetCachedReads();
    const found = await searchManagedPolicies(PRODUCTION, { q: 'read only', limit: '3' }, accountIam);
    if (!found.ok) throw new Error(found.message);
    expect(found.value.policies[0]).toMatchObject({ name: 'AcmeReadOnlyLogs', type: 'customer' });
    expect(found.value.policies.slice(1).every((policy) => policy.type === 'aws')).toBe(true);
    expect(found.value.total).toBeGreaterThan(3);
    const next = await searchManagedPolicies(
      PRODUCTION,
      { q: 'read only', limit: '3', cursor: found.value.nextCursor },
      accountIam,
    );
    if (!next.ok) throw new Error(next.message);
    expect(next.value.policies.map((policy) => policy.arn)).not.toContain(found.value.policies[2]?.arn);
    const awsOnly = await searchManagedPolicies(PRODUCTION, { q: 'ReadOnlyAccess', type: 'aws' }, accountIam);
    expect(awsOnly.ok && awsOnly.value.policies[0]?.name).toBe('ReadOnlyAccess');
    const customerOnly = await searchManagedPolicies(PRODUCTION, { type: 'customer' }, accountIam);
    expect(customerOnly.ok && customerOnly.value.policies.map((policy) => policy.name)).toContain(
      'AcmeReadOnlyLogs',
    );
    // Another account's customer managed policies are not listed.
    const other = await searchManagedPolicies('777788889999', { type: 'customer' }, accountIam);
    expect(other.ok && other.value.policies.map((policy) => policy.name)).not.toContain('AcmeReadOnlyLogs');
    expect(await searchManagedPolicies(PRODUCTION, { type: 'inline' }, accountIam)).toMatchObject({
      ok: false,
      fieldErrors: { type: [expect.any(String)] },
    });
  });

  it('caches customer managed policies briefly per account', async () => {
    await searchManagedPolicies(PRODUCTION, { type: 'customer' }, accountIam);
    await harness.iam(PRODUCTION).send(
      new CreatePolicyCommand({
        PolicyName: 'AcmeCachedLater',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
        }),
      }),
    );
    const cached = await searchManagedPolicies(PRODUCTION, { type: 'customer' }, accountIam);
    expect(cached.ok && cached.value.policies.map((policy) => policy.name)).not.toContain('AcmeCachedLater');
    forgetCachedReads(`policies:${PRODUCTION}`);
    const fresh = await searchManagedPolicies(PRODUCTION, { type: 'customer' }, accountIam);
    expect(fresh.ok && fresh.value.policies.map((policy) => policy.name)).toContain('AcmeCachedLater');
  });

  it('gives one policy with its document and access summary, by name or ARN', async () => {
    const customer = await getManagedPolicyDetails(PRODUCTION, 'AcmeReadOnlyLogs', accountIam);
    if (!customer.ok) throw new Error(customer.message);
    expect(JSON.parse(customer.value.document)).toMatchObject({
      Statement: [{ Action: ['logs:GetLogEvents', 'logs:DescribeLogGroups'] }],
    });
    expect(customer.value.access.services.map((service) => service.prefix)).toEqual(['logs']);
    expect(customer.value.access.services[0]?.levels.map((level) => level.level)).toEqual(['List', 'Read']);
    const aws = await getManagedPolicyDetails(
      PRODUCTION,
      'arn:aws:iam::aws:policy/AdministratorAccess',
      accountIam,
    );
    if (!aws.ok) throw new Error(aws.message);
    expect(aws.value.access.services).toHaveLength(50);
    expect(aws.value.access.omittedServices).toBeGreaterThan(0);
    expect(await getManagedPolicyDetails(PRODUCTION, 'NoSuchPolicy', accountIam)).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(
      await getManagedPolicyDetails(
        '777788889999',
        `arn:aws:iam::${PRODUCTION}:policy/AcmeReadOnlyLogs`,
        accountIam,
      ),
    ).toMatchObject({ ok: false, code: 'not_found' });
  });

  it("lists the account's OIDC and SAML providers", async () => {
    const providers = await listIdentityProviders(PRODUCTION, accountIam);
    if (!providers.ok) throw new Error(providers.message);
    expect(providers.value.providers).toEqual([
      {
        kind: 'oidc',
        arn: `arn:aws:iam::${PRODUCTION}:oidc-provider/token.actions.githubusercontent.com`,
        name: 'token.actions.githubusercontent.com',
        audiences: ['sts.amazonaws.com'],
      },
      {
        kind: 'saml',
        arn: `arn:aws:iam::${PRODUCTION}:saml-provider/AcmeOkta`,
        name: 'AcmeOkta',
        audiences: [],
      },
    ]);
  });
});
