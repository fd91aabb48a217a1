import 'server-only';
import type { Operation } from '@/lib/sandbox/operation';
import { AwsError, el, members, node } from '@/lib/sandbox/protocol';
import { pageXml, paging, roleNamePattern, shown, tagsXml, validator } from '@/lib/sandbox/iam-params';

// The emulator's account-level IAM operations: the account summary, its alias, and GetUser.

const getAccountSummary: Operation = (context) => {
  context.authorize('iam:GetAccountSummary', '*');
  const { state, accountId } = context;
  const roles = state.rolesOf(accountId);
  const users = [...state.t.users.values()].filter((user) => user.accountId === accountId);
  const policies = [...state.t.policies.values()].filter((policy) => policy.accountId === accountId);
  const mfa = [...state.t.mfaDevices.values()].filter((device) => device.accountId === accountId).length;
  const providers =
    [...state.t.oidcProviders.values()].filter((provider) => provider.accountId === accountId).length +
    [...state.t.samlProviders.values()].filter((provider) => provider.accountId === accountId).length;
  const instanceProfiles = [...state.t.instanceProfiles.values()].filter(
    (profile) => profile.accountId === accountId,
  ).length;
  const attachments = [...roles, ...users].reduce((sum, entity) => sum + entity.attachedPolicies.length, 0);
  const q = state.quotas;
  const summary: [string, number][] = [
    ['AccessKeysPerUserQuota', 2],
    ['AccountAccessKeysPresent', 0],
    ['AccountMFAEnabled', 0],
    ['AccountPasswordPresent', 0],
    ['AccountSigningCertificatesPresent', 0],
    ['AssumeRolePolicySizeQuota', q.trustPolicySize],
    ['AttachedPoliciesPerGroupQuota', 10],
    ['AttachedPoliciesPerRoleQuota', q.policiesPerRole],
    ['AttachedPoliciesPerUserQuota', 10],
    ['GlobalEndpointTokenVersion', 1],
    ['GroupPolicySizeQuota', 5120],
    ['Groups', 0],
    ['GroupsPerUserQuota', 10],
    ['GroupsQuota', 300],
    ['InstanceProfiles', instanceProfiles],
    ['InstanceProfilesQuota', q.instanceProfilesPerAccount],
    ['MFADevices', mfa],
    ['MFADevicesInUse', mfa],
    ['Policies', policies.length],
    ['PoliciesQuota', q.policiesPerAccount],
    ['PolicySizeQuota', q.managedPolicySize],
    ['PolicyVersionsInUse', attachments],
    ['PolicyVersionsInUseQuota', 10000],
    ['Providers', providers],
    ['RolePolicySizeQuota', q.rolePolicySize],
    ['Roles', roles.length],
    ['RolesQuota', q.rolesPerAccount],
    ['ServerCertificates', 0],
    ['ServerCertificatesQuota', 20],
    ['SigningCertificatesPerUserQuota', 2],
    ['UserPolicySizeQuota', 2048],
    ['Users', users.length],
    ['UsersQuota', 5000],
    ['VersionsPerPolicyQuota', q.versionsPerPolicy],
  ];
  return node(
    'SummaryMap',
    summary.map(([key, value]) => `<entry>${el('key', key)}${el('value', value)}</entry>`).join(''),
  );
};

const listAccountAliases: Operation = (context) => {
  const v = validator();
  paging(v, context.params);
  v.throwIfAny();
  context.authorize('iam:ListAccountAliases', '*');
  const alias = context.state.t.accounts.get(context.accountId)?.alias;
  return members('AccountAliases', alias ? [alias] : []) + pageXml(false, undefined);
};

const getUser: Operation = (context) => {
  const v = validator();
  const name = context.params.get('UserName');
  v.string('userName', name, 1, 64, roleNamePattern, shown.roleName);
  v.throwIfAny();
  const caller = context.caller;
  const userName = name ?? (caller.kind === 'user' ? caller.user.userName : undefined);
  if (userName === undefined)
    throw new AwsError('ValidationError', 'Must specify userName when calling with non-User credentials');
  const user = context.state.getUser(context.accountId, userName);
  context.authorize('iam:GetUser', user?.arn ?? `arn:aws:iam::${context.accountId}:user/${userName}`);
  if (!user) throw new AwsError('NoSuchEntity', `The user with name ${userName} cannot be found.`);
  return node(
    'User',
    el('Path', user.path) +
      el('UserName', user.userName) +
      el('UserId', user.userId) +
      el('Arn', user.arn) +
      el('CreateDate', user.createDate) +
      (user.tags.length > 0 ? tagsXml(user.tags) : ''),
  );
};

/** The account-level operations, by Action name. */
export const accountOperations = {
  GetAccountSummary: getAccountSummary,
  ListAccountAliases: listAccountAliases,
  GetUser: getUser,
} satisfies Record<string, Operation>;
