import {
  CreatePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { provisionerPolicy, provisionerPolicyName } from '../lib/sandbox/provisioner-policy';
import { expect, people, targetId, test, trustedId } from './harness/aws-shared';
import { PolicyEditor } from './pages/policy-editor';
import { WizardPage } from './pages/wizard-page';

// aws mode, the wizard end to end, on the shared stack (e2e/harness/aws-shared.ts): the standalone
// emulator is AWS, and the portal reaches the target account only through its provisioner role,
// which carries exactly the README's provisioner policy. The admin has registered the target
// account; a requester signed in through the real OIDC flow completes the wizard (another account
// with MFA, a customer managed policy found by search — read through the provisioner role —, an
// inline policy, the name checked as free); an approver approves through `lib/requests`; the
// portal's worker creates the role, read back here with the AWS SDK.

test.describe.configure({ mode: 'serial', timeout: 90_000 });

const managedPolicyName = 'AcmeAppConfigRead';
const roleName = 'AppConfigReader';
const inlinePolicyName = 'ReadAppParameters';
const inlineDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParameters'],
      Resource: `arn:aws:ssm:us-east-1:${targetId}:parameter/app/*`,
    },
  ],
};

const decoded = (document: string | undefined) => JSON.parse(decodeURIComponent(document ?? '')) as unknown;

// A customer managed policy the requester will find by search: the portal lists it through the
// provisioner role (iam:ListPolicies, then GetPolicy/GetPolicyVersion for its details).
test.beforeAll(async ({ aws }) => {
  await aws.adminIam(targetId).send(
    new CreatePolicyCommand({
      PolicyName: managedPolicyName,
      Description: 'Read the application configuration',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'ssm:DescribeParameters', Resource: '*' }],
      }),
    }),
  );
});

test("the emulator's provisioner roles carry exactly the documented provisioner policy", async ({ aws }) => {
  const targets = aws.emulator.accounts.filter((candidate) => candidate.provisionerRole);
  expect(targets.map((candidate) => candidate.id)).toContain(targetId);
  for (const target of targets) {
    const roleArn = target.provisionerRole?.arn ?? '';
    const name = roleArn.split('/').at(-1) ?? '';
    const iam = aws.adminIam(target.id);
    const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: name }));
    expect(inline.PolicyNames, roleArn).toEqual([provisionerPolicyName]);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
    expect(attached.AttachedPolicies ?? [], roleArn).toEqual([]);
    const policy = await iam.send(
      new GetRolePolicyCommand({ RoleName: name, PolicyName: provisionerPolicyName }),
    );
    expect(decoded(policy.PolicyDocument), roleArn).toEqual(provisionerPolicy);
  }
});

test('a requester completes the wizard, the approved role is created', async ({ aws, browser }) => {
  // Two OIDC sign-ins, the wizard, an approval process and provisioning: room on a loaded machine.
  test.setTimeout(180_000);

  // The requester, through the wizard.
  const una = await aws.signIn(browser, 'una');
  const { page } = una;
  const wizard = new WizardPage(page);
  await wizard.open();
  await wizard.chooseAccount('acme-development');
  // The SAML card lists the target account's identity providers, read through the provisioner role
  // (ListOpenIDConnectProviders, GetOpenIDConnectProvider, ListSAMLProviders).
  await page.getByRole('radio', { name: /^SAML 2\.0 federation/ }).check();
  await expect(
    page.getByLabel('SAML 2.0-based provider').locator('option', { hasText: 'AcmeOkta' }),
  ).toHaveCount(1, { timeout: 20_000 });
  await page.getByRole('radio', { name: /^AWS account/ }).check();
  await page.getByRole('radio', { name: /^Another AWS account/ }).check();
  await page.getByLabel('Account ID', { exact: true }).fill(trustedId);
  await page.getByRole('checkbox', { name: /^Require MFA/ }).check();
  const expectedTrust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${trustedId}:root` },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
    ],
  };
  await expect
    .poll(async () => JSON.parse((await wizard.trustPolicyJson.textContent()) ?? '{}') as unknown)
    .toEqual(expectedTrust);
  await wizard.next();
  await wizard.expectStep('Add permissions');

  // A customer managed policy of the target account, found by search.
  const search = page.getByRole('search', { name: /managed policies/i });
  await search.getByRole('searchbox').fill('AcmeApp');
  const match = page.getByRole('checkbox', { name: `Select ${managedPolicyName}` });
  await expect(match).toBeVisible({ timeout: 20_000 });
  await match.check();
  await page.getByRole('button', { name: `Show ${managedPolicyName} details` }).click();
  await expect(page.getByRole('region', { name: new RegExp(managedPolicyName) }).first()).toContainText(
    'ssm:DescribeParameters',
  );

  // An inline policy written as JSON.
  await page.getByRole('tab', { name: /^Custom policies/ }).click();
  await page.getByRole('button', { name: 'Add inline policy' }).click();
  const card = page.getByRole('tabpanel', { name: /^Custom policies/ });
  await card.getByLabel('Policy name').fill(inlinePolicyName);
  const editor = new PolicyEditor(page, card);
  await editor.openJson();
  await editor.jsonContent.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(JSON.stringify(inlineDocument, null, 2));
  await expect(editor.jsonEditor).toHaveAttribute('data-validated', 'true');
  await expect(editor.jsonEditor).not.toHaveAttribute('aria-invalid', 'true');
  await wizard.next();
  await wizard.expectStep('Name, review, and create');

  // The name, checked as free in the target account (read through the provisioner role).
  await wizard.setRoleName(roleName);
  await expect(wizard.roleNameStatus).toContainText(`${roleName} is available`, { timeout: 20_000 });
  await wizard.justification.fill('The application reads its configuration from Parameter Store.');
  const requestId = await wizard.submit();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await una.context.close();

  // The approver signs in once (so that the portal knows the person and their group), then approves.
  const sam = await aws.signIn(browser, 'sam');
  await sam.context.close();
  const approved = await aws.runHarness('approve-request.ts', [people.sam.email, requestId]);
  expect(approved).toMatchObject({ ok: true, isFinal: true });

  // The portal's worker provisions the role through the provisioner role.
  await aws.expectState(requestId, 'provisioned', 45_000);

  const iam = aws.adminIam(targetId);
  const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
  expect(decoded(role?.AssumeRolePolicyDocument)).toEqual(expectedTrust);
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  expect(attached.AttachedPolicies).toEqual([
    { PolicyName: managedPolicyName, PolicyArn: `arn:aws:iam::${targetId}:policy/${managedPolicyName}` },
  ]);
  const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
  expect(inline.PolicyNames).toEqual([inlinePolicyName]);
  const stored = await iam.send(
    new GetRolePolicyCommand({ RoleName: roleName, PolicyName: inlinePolicyName }),
  );
  expect(decoded(stored.PolicyDocument)).toEqual(inlineDocument);
  // Exactly one such role: the name the wizard checked is the one created.
  const roles = await iam.send(new ListRolesCommand({}));
  expect(roles.Roles?.filter((candidate) => candidate.RoleName === roleName)).toHaveLength(1);
});
