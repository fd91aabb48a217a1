import 'server-only';
import { accessKeyId, secretAccessKey, uniqueId } from '@/lib/sandbox/ids';
import { demoPeople, demoRole, sandboxAccounts } from '@/lib/sandbox/seed-data';
import { roleKey, userKey, type SandboxState } from '@/lib/sandbox/state';
import { newTotpSeed } from '@/lib/sandbox/totp';

// The emulator's example organisation: what a first start seeds into its state, and the keys and
// MFA devices it hands the portal and tools.

/** What the sandbox tells the portal and tools: its accounts with their provisioner keys, and the demo people. */
export interface SandboxDescription {
  region: 'us-east-1';
  accounts: {
    id: string;
    alias: string;
    provisioner: { accessKeyId: string; secretAccessKey: string };
    /**
     * For `aws` mode against the standalone emulator: a role in each target account that the
     * identity account (111122223333) may assume with this external ID, allowed everything.
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

/** The IAM user in each account whose access keys the portal uses in sandbox mode (allowed everything). */
export const provisionerUserName = 'rolesmith-provisioner';
/** The role in each target account for `aws` mode against the standalone emulator. */
export const provisionerRoleName = 'RolesmithProvisioner';
const identityAccountId = '111122223333';
const provisionerRolePath = '/rolesmith/';
const provisionerExternalId = (accountId: string) => `rolesmith-sandbox-${accountId}`;

/**
 * Seeds what is missing of the example organisation into the emulator's state: each sandbox account
 * with its service-linked roles, its provisioner user (and in target accounts the provisioner role
 * for `aws` mode), the demo people with their virtual MFA devices, and the demo role. Writes into the
 * current operation; the caller makes it durable.
 */
export function seedSandbox(state: SandboxState): void {
  const t = state.t;
  const now = new Date().toISOString();
  const createUser = (
    accountId: string,
    userName: string,
    policies: { name: string; document: string }[],
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
      attachedPolicies: [],
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
    if (t.accounts.get(account.id)) continue;
    t.accounts.put(account.id, { id: account.id, alias: account.alias, provisionerUserName });
    // Every AWS account has these service-linked roles from the start; AWS alone may change them.
    for (const [service, name, policy] of [
      ['support.amazonaws.com', 'AWSServiceRoleForSupport', 'AWSSupportServiceRolePolicy'],
      [
        'trustedadvisor.amazonaws.com',
        'AWSServiceRoleForTrustedAdvisor',
        'AWSTrustedAdvisorServiceRolePolicy',
      ],
    ] as const) {
      const path = `/aws-service-role/${service}/`;
      t.roles.put(roleKey(account.id, name), {
        accountId: account.id,
        roleName: name,
        roleId: uniqueId('AROA'),
        path,
        arn: `arn:aws:iam::${account.id}:role${path}${name}`,
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
    if (account.isTarget) {
      t.roles.put(roleKey(account.id, provisionerRoleName), {
        accountId: account.id,
        roleName: provisionerRoleName,
        roleId: uniqueId('AROA'),
        path: provisionerRolePath,
        arn: `arn:aws:iam::${account.id}:role${provisionerRolePath}${provisionerRoleName}`,
        createDate: now,
        trustPolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${identityAccountId}:root` },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': provisionerExternalId(account.id) } },
            },
          ],
        }),
        description: 'Assumed by Rolesmith (aws mode) to create roles in this account',
        maxSessionDuration: 3600,
        tags: [],
        inlinePolicies: [],
        attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      });
    }
    createUser(account.id, provisionerUserName, [
      {
        name: 'ProvisionerFullAccess',
        document: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      },
    ]);
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
      const role = account.isTarget ? state.getRole(account.id, provisionerRoleName) : undefined;
      return {
        id: account.id,
        alias: account.alias,
        provisioner: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
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
