import { expect, test } from './fixtures';
import {
  awsManaged,
  consoleJson,
  customPolicyCard,
  DEVELOPMENT,
  fillReview,
  IDENTITY,
  nextTo,
  previewTrustPolicy,
  PRODUCTION,
  screenStep,
  selectManagedPolicy,
  specDefaults,
  startBlank,
  submitAndReadBack,
  typeInCodeMirror,
  uniqueRoleName,
} from './wizard-flows';

// The create-role wizard completed once for each trusted-entity type, as Alice (the sandbox
// requester), with between them a managed policy, a builder-made inline policy, a JSON inline
// policy, a new customer managed policy and a boundary. Each run submits, lands on the request's
// page and compares the stored RoleSpec and the trust policy with what was chosen, exactly.
// The first flow also saves a 1280×800 screenshot of every step (test-results/wizard-screens/)
// and runs axe on each.

test.use({ viewport: { width: 1280, height: 800 } });
// A whole request each: three steps, a submit and the read-back (a loaded CI machine needs the margin).
test.describe.configure({ timeout: 60_000 });

const STS = 'sts:AssumeRole';

test('another account with an external ID, a managed policy, a new customer managed policy and a boundary', async ({
  asAlice: page,
}) => {
  // Screenshots and axe on every step take most of this flow's time.
  test.setTimeout(120_000);
  const name = uniqueRoleName('partner-log-reader');
  const externalId = 'acme-partner-7f3a9c';
  // The start screen: templates, a blank request, the person's drafts.
  await page.goto('/roles/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Create role' })).toBeVisible();
  await screenStep(page, '0-start');
  const wizard = await startBlank(page, PRODUCTION);
  await screenStep(page, '1-trust-aws-account');

  // Step 1: the identity account's principals, with the external ID agreed with them.
  await page.getByRole('combobox', { name: 'Account ID' }).fill(IDENTITY);
  await page.getByRole('checkbox', { name: 'Require external ID' }).check();
  await expect(page.getByRole('heading', { name: 'No console Switch Role' })).toBeVisible();
  await page.getByRole('textbox', { name: 'External ID' }).fill(externalId);
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${IDENTITY}:root` },
        Action: STS,
        Condition: { StringEquals: { 'sts:ExternalId': externalId } },
      },
    ],
  };
  await expect(wizard.trustPolicyJson).toContainText(externalId);
  expect(await previewTrustPolicy(wizard)).toEqual(trust);
  await expect(wizard.whoCanAssume).toHaveText(
    `Users and roles in account ${IDENTITY} who pass the agreed external ID`,
  );
  await screenStep(page, '1-trust-external-id');

  // Step 2: CloudWatch read access, a new managed policy for the logs bucket, a boundary.
  await nextTo(wizard, 'Add permissions');
  await screenStep(page, '2-permissions-managed');
  await selectManagedPolicy(page, 'CloudWatchReadOnlyAccess');
  await screenStep(page, '2-permissions-managed-selected');

  await page.getByRole('tab', { name: /^Custom policies/ }).click();
  await page.getByRole('button', { name: 'Create new managed policy' }).click();
  const card = customPolicyCard(page, 0);
  await expect(card.getByLabel('Policy name')).toBeFocused();
  await card.getByLabel('Policy name').fill('PartnerLogBucketRead');
  await card.getByLabel('Description (optional)').fill('Reads the partner log bucket');
  await card.getByRole('tab', { name: 'JSON', exact: true }).click();
  const document =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],"Resource":["arn:aws:s3:::acme-partner-logs","arn:aws:s3:::acme-partner-logs/*"]}]}';
  await typeInCodeMirror(card.getByTestId('json-editor'), document);
  await expect(card.getByTestId('json-editor')).toHaveAttribute('data-validated', 'true');
  await screenStep(page, '2-permissions-custom-json');

  await page.getByRole('tab', { name: /^Permissions boundary/ }).click();
  await page.getByRole('radio', { name: /^Use a permissions boundary/ }).check();
  await page.getByRole('searchbox', { name: 'Search for a boundary policy' }).fill('PowerUserAccess');
  await page.getByRole('button', { name: 'Use PowerUserAccess as the boundary' }).click();
  await expect(page.getByRole('button', { name: 'Change the boundary PowerUserAccess' })).toBeVisible();
  await screenStep(page, '2-permissions-boundary');

  // Step 3: name, description, 4-hour sessions, a tag; the review; submit.
  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, {
    name,
    description: 'Lets Acme Partner read our CloudWatch data and their log bucket',
    maxSessionHours: '4',
    tags: [{ key: 'team', value: 'platform' }],
    justification: 'Acme Partner investigates incidents in our logs under contract 2026-114',
  });
  await expect(wizard.reviewSection('What you will get')).toContainText(/external ID/);
  await screenStep(page, '3-review');

  const stored = await submitAndReadBack(wizard);
  await screenStep(page, '4-request');
  expect(stored.spec).toEqual({
    ...specDefaults(PRODUCTION, name),
    description: 'Lets Acme Partner read our CloudWatch data and their log bucket',
    maxSessionDuration: 4 * 3600,
    trustedEntity: { type: 'aws_account', accountId: IDENTITY, externalId, requireMfa: false },
    managedPolicyArns: [awsManaged('CloudWatchReadOnlyAccess')],
    newManagedPolicies: [
      { name: 'PartnerLogBucketRead', description: 'Reads the partner log bucket', document },
    ],
    permissionsBoundaryArn: awsManaged('PowerUserAccess'),
    tags: [{ key: 'team', value: 'platform' }],
  });
  expect(stored.trustPolicy).toBe(consoleJson(trust));
});

test('an AWS service (EC2) with an inline policy made in the visual builder', async ({ asAlice: page }) => {
  const name = uniqueRoleName('app-server');
  const wizard = await startBlank(page, DEVELOPMENT);
  await page.getByRole('radio', { name: 'AWS service' }).check();
  await page.getByRole('searchbox', { name: 'Search services' }).fill('EC2');
  await page.getByRole('checkbox', { name: 'EC2', exact: true }).check();
  await expect(page.getByRole('list', { name: 'Chosen use cases' })).toContainText('EC2');
  const trust = {
    Version: '2012-10-17',
    // As the console writes a service's trust: both as lists.
    Statement: [{ Effect: 'Allow', Action: [STS], Principal: { Service: ['ec2.amazonaws.com'] } }],
  };
  await expect(wizard.trustPolicyJson).toContainText('ec2.amazonaws.com');
  expect(await previewTrustPolicy(wizard)).toEqual(trust);
  await screenStep(page, '1-trust-aws-service');

  // The instance writes its application logs: CloudWatch Logs → two actions → all resources.
  await nextTo(wizard, 'Add permissions');
  await page.getByRole('tab', { name: /^Custom policies/ }).click();
  await page.getByRole('button', { name: 'Add inline policy' }).click();
  const card = customPolicyCard(page, 0);
  await card.getByLabel('Policy name').fill('WriteAppLogs');
  await card.getByRole('button', { name: 'Add more permissions' }).click();
  await card.getByRole('combobox', { name: 'Service' }).fill('CloudWatch Logs');
  await page
    .getByRole('option', { name: /CloudWatch Logs/ })
    .first()
    .click();
  const filter = card.getByLabel('Filter actions');
  for (const action of ['CreateLogStream', 'PutLogEvents']) {
    await filter.fill(action);
    await card.getByRole('checkbox', { name: action, exact: true }).check();
  }
  await filter.fill('');
  await card.getByRole('radio', { name: /^All resources/ }).check();
  await screenStep(page, '2-permissions-visual-builder');

  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, { name, justification: 'The order service’s instances ship their logs' });
  const stored = await submitAndReadBack(wizard);
  expect(stored.spec).toEqual({
    ...specDefaults(DEVELOPMENT, name),
    trustedEntity: { type: 'aws_service', services: ['ec2.amazonaws.com'], tagSession: false },
    inlinePolicies: [
      {
        name: 'WriteAppLogs',
        document: consoleJson({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
          ],
        }),
      },
    ],
  });
  expect(stored.trustPolicy).toBe(consoleJson(trust));
});

test('a Cognito identity pool with a JSON inline policy typed in the editor', async ({ asAlice: page }) => {
  const name = uniqueRoleName('mobile-app-users');
  const pool = 'eu-west-1:3f1c2a7e-5b8d-4e2f-9a61-0c7d8e9f1a2b';
  const wizard = await startBlank(page, PRODUCTION);
  await page.getByRole('radio', { name: 'Web identity' }).check();
  await page.getByRole('radio', { name: /^Amazon Cognito/ }).check();
  await page.getByRole('textbox', { name: 'Identity pool ID' }).fill(pool);
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': pool },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      },
    ],
  };
  await expect(wizard.trustPolicyJson).toContainText(pool);
  expect(await previewTrustPolicy(wizard)).toEqual(trust);
  await screenStep(page, '1-trust-web-identity-cognito');

  // The app's signed-in users read their own folder of the uploads bucket: typed as JSON.
  await nextTo(wizard, 'Add permissions');
  await page.getByRole('tab', { name: /^Custom policies/ }).click();
  await page.getByRole('button', { name: 'Add inline policy' }).click();
  const card = customPolicyCard(page, 0);
  await card.getByLabel('Policy name').fill('OwnUploads');
  await card.getByRole('tab', { name: 'JSON', exact: true }).click();
  const typed =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::acme-mobile-uploads/${cognito-identity.amazonaws.com:sub}/*"}]}';
  const editor = card.getByTestId('json-editor');
  await typeInCodeMirror(editor, typed);
  await expect(editor).toHaveAttribute('data-validated', 'true');
  await expect(editor.getByRole('status')).toHaveText(/No findings/);
  // Format lays it out as the console does; the text stored is the formatted one.
  await card.getByRole('button', { name: 'Format' }).click();
  const document = consoleJson(JSON.parse(typed));
  await expect(editor.locator('.cm-content')).toHaveText(document.split('\n').join(''));
  // …and shows it from its left edge (not scrolled to where the one long line ended).
  await expect
    .poll(() => editor.locator('.cm-scroller').evaluate((element) => element.scrollLeft))
    .toBeLessThan(8);
  await screenStep(page, '2-permissions-custom-json-formatted');

  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, { name, justification: 'The mobile app stores each user’s photos' });
  const stored = await submitAndReadBack(wizard);
  expect(stored.spec).toEqual({
    ...specDefaults(PRODUCTION, name),
    trustedEntity: { type: 'web_identity', provider: 'cognito', identityPoolId: pool, amr: 'authenticated' },
    inlinePolicies: [{ name: 'OwnUploads', document }],
  });
  expect(stored.trustPolicy).toBe(consoleJson(trust));
});

test('the GitHub Actions preset (organisation, repository, branch) with a managed policy', async ({
  asAlice: page,
}) => {
  const name = uniqueRoleName('gha-deploy-tools');
  const wizard = await startBlank(page, DEVELOPMENT);
  await page.getByRole('radio', { name: 'Web identity' }).check();
  await page.getByRole('radio', { name: /^GitHub Actions/ }).check();
  await page.getByRole('textbox', { name: 'GitHub organization' }).fill('acme');
  await page.getByRole('textbox', { name: 'GitHub repository (optional)' }).fill('deploy-tools');
  await page.getByRole('radio', { name: /^A branch/ }).check();
  await page.getByRole('textbox', { name: 'GitHub branch' }).fill('main');
  const provider = `arn:aws:iam::${DEVELOPMENT}:oidc-provider/token.actions.githubusercontent.com`;
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          // As the console writes it: the audience exactly, the subject with StringLike.
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: {
            'token.actions.githubusercontent.com:sub': 'repo:acme/deploy-tools:ref:refs/heads/main',
          },
        },
      },
    ],
  };
  await expect(wizard.trustPolicyJson).toContainText('refs/heads/main');
  expect(await previewTrustPolicy(wizard)).toEqual(trust);
  await screenStep(page, '1-trust-web-identity-github');

  await nextTo(wizard, 'Add permissions');
  await selectManagedPolicy(page, 'AWSCloudFormationReadOnlyAccess');
  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, { name, justification: 'The deploy-tools workflow checks stack drift on main' });
  const stored = await submitAndReadBack(wizard);
  expect(stored.spec).toEqual({
    ...specDefaults(DEVELOPMENT, name),
    trustedEntity: {
      type: 'web_identity',
      provider: 'github_actions',
      providerArn: provider,
      organization: 'acme',
      repository: 'deploy-tools',
      branch: 'main',
    },
    managedPolicyArns: [awsManaged('AWSCloudFormationReadOnlyAccess')],
  });
  expect(stored.trustPolicy).toBe(consoleJson(trust));
});

test('SAML 2.0 federation with console access, and a managed policy', async ({ asAlice: page }) => {
  const name = uniqueRoleName('okta-billing-viewer');
  const wizard = await startBlank(page, PRODUCTION);
  await page.getByRole('radio', { name: 'SAML 2.0 federation' }).check();
  await page.getByRole('combobox', { name: 'SAML 2.0-based provider' }).selectOption({ label: 'AcmeOkta' });
  await page.getByRole('radio', { name: /^Allow programmatic and AWS Management Console access/ }).check();
  const provider = `arn:aws:iam::${PRODUCTION}:saml-provider/AcmeOkta`;
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      },
    ],
  };
  await expect(wizard.trustPolicyJson).toContainText('AcmeOkta');
  expect(await previewTrustPolicy(wizard)).toEqual(trust);
  await screenStep(page, '1-trust-saml');

  await nextTo(wizard, 'Add permissions');
  await selectManagedPolicy(page, 'AWSBillingReadOnlyAccess');
  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, { name, justification: 'Finance reviews the monthly bill from Okta' });
  const stored = await submitAndReadBack(wizard);
  expect(stored.spec).toEqual({
    ...specDefaults(PRODUCTION, name),
    trustedEntity: { type: 'saml', providerArn: provider, consoleAccess: true, attributeConditions: [] },
    managedPolicyArns: [awsManaged('AWSBillingReadOnlyAccess')],
  });
  expect(stored.trustPolicy).toBe(consoleJson(trust));
});

test('a custom trust policy typed in the editor, with a managed policy', async ({ asAlice: page }) => {
  const name = uniqueRoleName('ci-runner-queue-reader');
  const wizard = await startBlank(page, PRODUCTION);
  await page.getByRole('radio', { name: 'Custom trust policy' }).check();
  // One role of the development account, allowed to assume it and to pass session tags: no card builds this.
  const document =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::777788889999:role/ci-runner"},"Action":["sts:AssumeRole","sts:TagSession"]}]}';
  const editor = page
    .getByRole('region', { name: 'Custom trust policy', exact: true })
    .getByTestId('json-editor');
  await typeInCodeMirror(editor, document);
  await expect(editor).toHaveAttribute('data-validated', 'true');
  await expect(wizard.whoCanAssume).toContainText('ci-runner');
  expect(await previewTrustPolicy(wizard)).toEqual(JSON.parse(document));
  await screenStep(page, '1-trust-custom');

  await nextTo(wizard, 'Add permissions');
  await selectManagedPolicy(page, 'AmazonSQSReadOnlyAccess');
  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, { name, justification: 'The CI runners read the build queue’s depth' });
  const stored = await submitAndReadBack(wizard);
  expect(stored.spec).toEqual({
    ...specDefaults(PRODUCTION, name),
    trustedEntity: { type: 'custom', document },
    managedPolicyArns: [awsManaged('AmazonSQSReadOnlyAccess')],
  });
  // A custom trust policy is stored and shown as it was typed.
  expect(stored.trustPolicy).toBe(document);
});

test('an AWS service whose managed policy passes only roles of a name prefix (Glue): a hint, then a warning beside the name', async ({
  asAlice: page,
}) => {
  const wizard = await startBlank(page, DEVELOPMENT);
  await page.getByRole('radio', { name: 'AWS service' }).check();
  await page.getByRole('searchbox', { name: 'Search services' }).fill('Glue');
  const glue = page.getByRole('checkbox', { name: 'Glue', exact: true });
  // The use-case list says which name the console's policy expects.
  await expect(glue).toHaveAccessibleDescription(
    /Role name must start with AWSGlueServiceRole for AWSGlueConsoleFullAccess to pass it/,
  );
  await glue.check();
  await nextTo(wizard, 'Add permissions');
  await nextTo(wizard, 'Name, review, and create');
  // Nothing is pre-filled: the name is the person's to choose.
  await expect(wizard.roleName).toHaveValue('');
  await expect(wizard.roleName).toHaveAccessibleDescription(
    /Glue: Role name must start with AWSGlueServiceRole/,
  );
  await expect(page.getByText(/^Warning:/)).toHaveCount(0);
  await wizard.setRoleName(uniqueRoleName('etl-crawler'));
  await expect(wizard.roleName).toHaveAccessibleDescription(
    /Warning: Glue: the name does not start with AWSGlueServiceRole, so AWSGlueConsoleFullAccess cannot pass this role to Glue/,
  );
  // A warning, not an error: the field stays valid.
  await expect(wizard.roleName).not.toHaveAttribute('aria-invalid', 'true');
  await wizard.setRoleName(uniqueRoleName('AWSGlueServiceRole-etl'));
  await expect(page.getByText(/^Warning:/)).toHaveCount(0);
});
