import 'server-only';
import { accessKeyId, secretAccessKey, uniqueId } from '@/lib/sandbox/ids';
import { provisionerPolicyDocument, provisionerPolicyName } from '@/lib/sandbox/provisioner-policy';
import {
  demoPeople,
  demoRole,
  githubOidcProvider,
  samlProviderMetadata,
  samlProviderName,
  sandboxAccounts,
} from '@/lib/sandbox/seed-data';
import { roleKey, userKey, type SandboxState } from '@/lib/sandbox/state';
import type { RoleRecord, UserRecord } from '@/lib/sandbox/store';
import { newTotpSeed } from '@/lib/sandbox/totp';

// The emulator's example organisation: what a first start seeds into its state, and the keys and
// MFA devices it hands the portal and tools.

/** What the sandbox tells the portal and tools: its accounts with their provisioner keys, and the demo people. */
export interface SandboxDescription {
  region: 'us-east-1';
  accounts: {
    id: string;
    alias: string;
    /** Keys of the account's provisioner user: exactly the documented provisioner policy. */
    provisioner: { accessKeyId: string; secretAccessKey: string };
    /** Keys of the account's sandbox administrator (AdministratorAccess), for tools and tests. */
    admin: { accessKeyId: string; secretAccessKey: string };
    /**
     * For `aws` mode against the standalone emulator: a role in each target account that the
     * identity account (111122223333) may assume with this external ID, allowed exactly the
     * documented provisioner policy.
     */
    provisionerRole?: { arn: string; externalId: string };
  }[];
  people: {
    accountId: string;
    userName: string;
    accessKeyId: string;
    secretAccessKey: string;
    mfaSerial: string;
  }[];
}

/**
 * The IAM user in each account whose access keys the portal uses in sandbox mode (and, in the
 * identity account, as the portal's own identity in `aws` mode against the standalone emulator).
 */
export const provisionerUserName = 'rolesmith-provisioner';
/** An IAM user in each account allowed everything (AdministratorAccess), for tools and tests. */
export const sandboxAdminUserName = 'sandbox-admin';
/** The role in each target account for `aws` mode against the standalone emulator. */
export const provisionerRoleName = 'RolesmithProvisioner';
const identityAccountId = '111122223333';
const provisionerRolePath = '/rolesmith/';
const provisionerExternalId = (accountId: string) => `rolesmith-sandbox-${accountId}`;

/** The provisioner user's inline policies: the documented policy, and assuming the provisioner roles. */
const provisionerUserPolicies = [
  { name: provisionerPolicyName, document: provisionerPolicyDocument },
  {
    // The README: "The portal's own identity needs sts:AssumeRole on each target account's provisioner
    // role." Which role that is, is each target account's setting in the portal (any name): the
    // role's trust policy and external ID decide.
    name: 'AssumeRolesmithProvisionerRoles',
    document: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/*' }],
    }),
  },
];

const samePolicies = (a: readonly unknown[], b: readonly unknown[]) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Seeds what is missing of the example organisation into the emulator's state: each sandbox account
 * with its service-linked roles, its administrator and provisioner users (and in target accounts the
 * provisioner role for `aws` mode, a GitHub Actions OIDC provider and a SAML provider), the demo
 * people with their virtual MFA devices, and the demo role. Runs on every start, so that a data
 * folder made by an older version gains what was added since (the identity providers, the
 * administrator), and the provisioner user and roles always carry exactly the documented
 * provisioner policy (older folders had full access). Writes into the current operation; the
 * caller makes it durable.
 */
export function seedSandbox(state: SandboxState): void {
  const t = state.t;
  const now = new Date().toISOString();
  const createUser = (
    accountId: string,
    userName: string,
    policies: { name: string; document: string }[],
    attachedPolicies: string[] = [],
  ) => {
    const arn = `arn:aws:iam::${accountId}:user/${userName}`;
    t.users.put(userKey(accountId, userName), {
      accountId,
      userName,
      userId: uniqueId('AIDA'),
      path: '/',
      arn,
      createDate: now,
      inlinePolicies: policies,
      attachedPolicies,
      tags: [],
    });
    const keyId = accessKeyId('AKIA');
    t.accessKeys.put(keyId, {
      accessKeyId: keyId,
      secretAccessKey: secretAccessKey(),
      accountId,
      userName,
      createDate: now,
    });
  };
  for (const account of sandboxAccounts) {
    if (!t.accounts.get(account.id)) seedAccount(state, account.id, account.alias, account.isTarget, now);
    if (!state.getUser(account.id, sandboxAdminUserName)) {
      createUser(account.id, sandboxAdminUserName, [], ['arn:aws:iam::aws:policy/AdministratorAccess']);
    }
    const provisioner = state.getUser(account.id, provisionerUserName);
    if (!provisioner) createUser(account.id, provisionerUserName, provisionerUserPolicies);
    else grantExactly(state, provisioner, provisionerUserPolicies);
    if (account.isTarget) {
      const role = state.getRole(account.id, provisionerRoleName);
      if (role)
        grantExactly(state, role, [{ name: provisionerPolicyName, document: provisionerPolicyDocument }]);
      seedIdentityProviders(state, account.id, now);
    }
  }
  for (const person of demoPeople) {
    if (state.getUser(person.accountId, person.userName)) continue;
    createUser(person.accountId, person.userName, [
      {
        name: 'AssumeRolesAnywhere',
        document: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AssumeAnyRoleTrustDecides',
              Effect: 'Allow',
              Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
              Resource: 'arn:aws:iam::*:role/*',
            },
            {
              Sid: 'ReadOwnUser',
              Effect: 'Allow',
              Action: ['iam:GetUser'],
              Resource: `arn:aws:iam::${person.accountId}:user/${person.userName}`,
            },
          ],
        }),
      },
    ]);
    const serialNumber = `arn:aws:iam::${person.accountId}:mfa/${person.userName}`;
    t.mfaDevices.put(serialNumber, {
      accountId: person.accountId,
      serialNumber,
      userName: person.userName,
      seed: newTotpSeed(),
      enableDate: now,
    });
  }
  // One example role a demo person can switch to from the sandbox switch-role page: seeded when
  // missing (also into data folders created before it existed).
  if (!state.getRole(demoRole.accountId, demoRole.roleName)) {
    t.roles.put(roleKey(demoRole.accountId, demoRole.roleName), {
      accountId: demoRole.accountId,
      roleName: demoRole.roleName,
      roleId: uniqueId('AROA'),
      path: '/',
      arn: `arn:aws:iam::${demoRole.accountId}:role/${demoRole.roleName}`,
      createDate: now,
      trustPolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${demoRole.trustedAccountId}:root` },
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
        ],
      }),
      description: demoRole.description,
      maxSessionDuration: 3600,
      tags: [],
      inlinePolicies: [],
      attachedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
  }
}

/** A new account: its record, the service-linked roles every account has, and (target) the provisioner role. */
function seedAccount(state: SandboxState, accountId: string, alias: string, isTarget: boolean, now: string) {
  const t = state.t;
  t.accounts.put(accountId, { id: accountId, alias, provisionerUserName });
  // Every AWS account has these service-linked roles from the start; AWS alone may change them.
  for (const [service, name, policy] of [
    ['support.amazonaws.com', 'AWSServiceRoleForSupport', 'AWSSupportServiceRolePolicy'],
    ['trustedadvisor.amazonaws.com', 'AWSServiceRoleForTrustedAdvisor', 'AWSTrustedAdvisorServiceRolePolicy'],
  ] as const) {
    const path = `/aws-service-role/${service}/`;
    t.roles.put(roleKey(accountId, name), {
      accountId,
      roleName: name,
      roleId: uniqueId('AROA'),
      path,
      arn: `arn:aws:iam::${accountId}:role${path}${name}`,
      createDate: now,
      trustPolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
      }),
      description: `Service-linked role for ${service}`,
      maxSessionDuration: 3600,
      tags: [],
      inlinePolicies: [],
      attachedPolicies: [`arn:aws:iam::aws:policy/aws-service-role/${policy}`],
    });
  }
  if (!isTarget) return;
  t.roles.put(roleKey(accountId, provisionerRoleName), {
    accountId,
    roleName: provisionerRoleName,
    roleId: uniqueId('AROA'),
    path: provisionerRolePath,
    arn: `arn:aws:iam::${accountId}:role${provisionerRolePath}${provisionerRoleName}`,
    createDate: now,
    trustPolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${identityAccountId}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': provisionerExternalId(accountId) } },
        },
      ],
    }),
    description: 'Assumed by Rolesmith (aws mode) to create roles in this account',
    maxSessionDuration: 3600,
    tags: [],
    inlinePolicies: [{ name: provisionerPolicyName, document: provisionerPolicyDocument }],
    attachedPolicies: [],
  });
}

/**
 * Makes a provisioner user's or role's permissions exactly `policies` (inline, nothing attached),
 * writing only when they differ: data folders from before the documented policy had full access.
 */
function grantExactly(
  state: SandboxState,
  entity: UserRecord | RoleRecord,
  policies: { name: string; document: string }[],
): void {
  if (samePolicies(entity.inlinePolicies, policies) && entity.attachedPolicies.length === 0) return;
  const changed = { ...entity, inlinePolicies: policies, attachedPolicies: [] };
  if ('userName' in changed) state.t.users.put(userKey(changed.accountId, changed.userName), changed);
  else state.t.roles.put(roleKey(changed.accountId, changed.roleName), changed);
}

/** A target account's GitHub Actions OIDC provider and SAML provider, when missing. */
function seedIdentityProviders(state: SandboxState, accountId: string, now: string): void {
  const oidcArn = `arn:aws:iam::${accountId}:oidc-provider/${githubOidcProvider.url}`;
  if (!state.t.oidcProviders.get(oidcArn)) {
    state.t.oidcProviders.put(oidcArn, {
      accountId,
      arn: oidcArn,
      url: githubOidcProvider.url,
      clientIds: [...githubOidcProvider.clientIds],
      thumbprints: [...githubOidcProvider.thumbprints],
      createDate: now,
      tags: [],
    });
  }
  const samlArn = `arn:aws:iam::${accountId}:saml-provider/${samlProviderName}`;
  if (!state.t.samlProviders.get(samlArn)) {
    state.t.samlProviders.put(samlArn, {
      accountId,
      arn: samlArn,
      name: samlProviderName,
      metadataDocument: samlProviderMetadata,
      createDate: now,
      // As CreateSAMLProvider does: valid for a long time (the certificate's own expiry aside).
      validUntil: new Date(Date.parse(now) + 100 * 365 * 24 * 3600 * 1000).toISOString(),
      tags: [],
    });
  }
}

function accessKeyOf(state: SandboxState, accountId: string, userName: string) {
  for (const key of state.t.accessKeys.values()) {
    if (key.accountId === accountId && key.userName === userName) return key;
  }
  throw new Error(`No access key for ${userName} in ${accountId}`);
}

/** The accounts with their provisioner keys, and the demo people with their keys and MFA devices. */
export function describeSandbox(state: SandboxState): SandboxDescription {
  return {
    region: 'us-east-1',
    accounts: sandboxAccounts.map((account) => {
      const key = accessKeyOf(state, account.id, provisionerUserName);
      const admin = accessKeyOf(state, account.id, sandboxAdminUserName);
      const role = account.isTarget ? state.getRole(account.id, provisionerRoleName) : undefined;
      return {
        id: account.id,
        alias: account.alias,
        provisioner: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
        admin: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey },
        ...(role
          ? { provisionerRole: { arn: role.arn, externalId: provisionerExternalId(account.id) } }
          : {}),
      };
    }),
    people: demoPeople.map((person) => {
      const key = accessKeyOf(state, person.accountId, person.userName);
      return {
        accountId: person.accountId,
        userName: person.userName,
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
        mfaSerial: `arn:aws:iam::${person.accountId}:mfa/${person.userName}`,
      };
    }),
  };
}
