import 'server-only';

import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetAccountSummaryCommand,
  GetOpenIDConnectProviderCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListPoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  ListSAMLProvidersCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  type InstanceProfile,
  type Policy,
  type Role,
  type Tag,
} from '@aws-sdk/client-iam';

import { toAwsFailure, type AwsResult } from '@/lib/aws/errors';
import { sdkCredentials } from '@/lib/aws/sdk-config';
import type {
  AccountSummary,
  AttachedPolicyRef,
  AwsConnection,
  AwsTag,
  CreateInstanceProfileInput,
  CreatePolicyInput,
  CreateRoleInput,
  IdentityProviderRef,
  LiveInstanceProfile,
  LivePolicy,
  LiveRole,
} from '@/lib/aws/types';

/**
 * IAM in one account, with domain types in and out. Every method returns an {@link AwsResult}:
 * failures carry AWS's code and message, never the SDK's error object.
 */
export interface IamAccountClient {
  createPolicy(input: CreatePolicyInput): Promise<AwsResult<LivePolicy>>;
  getPolicy(arn: string): Promise<AwsResult<LivePolicy>>;
  /** A managed policy version's document, as JSON text (IAM sends it URL-encoded). */
  getPolicyVersion(arn: string, versionId: string): Promise<AwsResult<string>>;
  deletePolicy(arn: string): Promise<AwsResult<null>>;
  createRole(input: CreateRoleInput): Promise<AwsResult<LiveRole>>;
  getRole(name: string): Promise<AwsResult<LiveRole>>;
  deleteRole(name: string): Promise<AwsResult<null>>;
  updateRole(
    name: string,
    changes: { description: string | null; maxSessionDurationSeconds: number },
  ): Promise<AwsResult<null>>;
  updateTrustPolicy(name: string, document: string): Promise<AwsResult<null>>;
  putPermissionsBoundary(name: string, arn: string): Promise<AwsResult<null>>;
  deletePermissionsBoundary(name: string): Promise<AwsResult<null>>;
  tagRole(name: string, tags: AwsTag[]): Promise<AwsResult<null>>;
  untagRole(name: string, keys: string[]): Promise<AwsResult<null>>;
  /** Every tag of the role (ListRoleTags, all pages). */
  listRoleTags(name: string): Promise<AwsResult<AwsTag[]>>;
  attachRolePolicy(roleName: string, policyArn: string): Promise<AwsResult<null>>;
  detachRolePolicy(roleName: string, policyArn: string): Promise<AwsResult<null>>;
  listAttachedRolePolicies(roleName: string): Promise<AwsResult<AttachedPolicyRef[]>>;
  putRolePolicy(roleName: string, policyName: string, document: string): Promise<AwsResult<null>>;
  getRolePolicy(roleName: string, policyName: string): Promise<AwsResult<string>>;
  deleteRolePolicy(roleName: string, policyName: string): Promise<AwsResult<null>>;
  listRolePolicies(roleName: string): Promise<AwsResult<string[]>>;
  getAccountSummary(): Promise<AwsResult<AccountSummary>>;
  /** Every role of the account (ListRoles, all pages): name and path. */
  listRoleNames(): Promise<AwsResult<{ name: string; path: string }[]>>;
  /** Every customer managed policy of the account (ListPolicies, scope `Local`, all pages). */
  listLocalPolicies(): Promise<AwsResult<LivePolicy[]>>;
  /**
   * The account's OIDC providers (ListOpenIDConnectProviders, then GetOpenIDConnectProvider each
   * for its URL and audiences) and SAML providers (ListSAMLProviders), OIDC first, each by ARN.
   */
  listIdentityProviders(): Promise<AwsResult<IdentityProviderRef[]>>;
  createInstanceProfile(input: CreateInstanceProfileInput): Promise<AwsResult<LiveInstanceProfile>>;
  getInstanceProfile(name: string): Promise<AwsResult<LiveInstanceProfile>>;
  deleteInstanceProfile(name: string): Promise<AwsResult<null>>;
  /** Needs `iam:PassRole` on the role besides `iam:AddRoleToInstanceProfile`. */
  addRoleToInstanceProfile(profileName: string, roleName: string): Promise<AwsResult<null>>;
  removeRoleFromInstanceProfile(profileName: string, roleName: string): Promise<AwsResult<null>>;
  /** The names of the instance profiles holding the role. */
  listInstanceProfilesForRole(roleName: string): Promise<AwsResult<string[]>>;
}

/** IAM is a global service; SigV4 signs it for us-east-1. */
export const IAM_SIGNING_REGION = 'us-east-1';

/**
 * Builds an {@link IamAccountClient} for one connection. Uses the SDK's adaptive retry mode, so
 * throttling also slows the client down instead of only being retried.
 */
export function createIamAccountClient(connection: AwsConnection): IamAccountClient {
  const client = new IAMClient({
    region: connection.region || IAM_SIGNING_REGION,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...sdkCredentials(connection.credentials),
    retryMode: connection.retryMode ?? 'adaptive',
    maxAttempts: connection.maxAttempts ?? 3,
  });

  async function call<T>(run: () => Promise<T>): Promise<AwsResult<T>> {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      return toAwsFailure(error);
    }
  }
  const done = (_response: unknown): null => null;

  return {
    createPolicy: (input) =>
      call(async () => {
        const out = await client.send(
          new CreatePolicyCommand({
            PolicyName: input.name,
            Path: input.path,
            PolicyDocument: input.document,
            ...(input.description ? { Description: input.description } : {}),
            ...(input.tags.length > 0 ? { Tags: toSdkTags(input.tags) } : {}),
          }),
        );
        return toLivePolicy(required(out.Policy, 'CreatePolicy returned no Policy'), input.tags);
      }),
    getPolicy: (arn) =>
      call(async () => {
        const out = await client.send(new GetPolicyCommand({ PolicyArn: arn }));
        return toLivePolicy(required(out.Policy, 'GetPolicy returned no Policy'));
      }),
    getPolicyVersion: (arn, versionId) =>
      call(async () => {
        const out = await client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }));
        return decodePolicyDocument(
          required(out.PolicyVersion?.Document, 'GetPolicyVersion returned no Document'),
        );
      }),
    deletePolicy: (arn) =>
      call(async () => done(await client.send(new DeletePolicyCommand({ PolicyArn: arn })))),
    createRole: (input) =>
      call(async () => {
        const out = await client.send(
          new CreateRoleCommand({
            RoleName: input.name,
            Path: input.path,
            AssumeRolePolicyDocument: input.trustPolicy,
            MaxSessionDuration: input.maxSessionDurationSeconds,
            ...(input.description ? { Description: input.description } : {}),
            ...(input.permissionsBoundaryArn ? { PermissionsBoundary: input.permissionsBoundaryArn } : {}),
            ...(input.tags.length > 0 ? { Tags: toSdkTags(input.tags) } : {}),
          }),
        );
        // CreateRole omits Description and MaxSessionDuration in its answer (iam-api-facts 7.1).
        const role = toLiveRole(required(out.Role, 'CreateRole returned no Role'));
        return {
          ...role,
          description: input.description,
          maxSessionDurationSeconds: input.maxSessionDurationSeconds,
        };
      }),
    getRole: (name) =>
      call(async () => {
        const out = await client.send(new GetRoleCommand({ RoleName: name }));
        return toLiveRole(required(out.Role, 'GetRole returned no Role'));
      }),
    deleteRole: (name) =>
      call(async () => done(await client.send(new DeleteRoleCommand({ RoleName: name })))),
    updateRole: (name, changes) =>
      call(async () =>
        done(
          await client.send(
            new UpdateRoleCommand({
              RoleName: name,
              Description: changes.description ?? '',
              MaxSessionDuration: changes.maxSessionDurationSeconds,
            }),
          ),
        ),
      ),
    updateTrustPolicy: (name, document) =>
      call(async () =>
        done(
          await client.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: document })),
        ),
      ),
    putPermissionsBoundary: (name, arn) =>
      call(async () =>
        done(
          await client.send(
            new PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: arn }),
          ),
        ),
      ),
    deletePermissionsBoundary: (name) =>
      call(async () => done(await client.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: name })))),
    tagRole: (name, tags) =>
      call(async () =>
        done(await client.send(new TagRoleCommand({ RoleName: name, Tags: toSdkTags(tags) }))),
      ),
    untagRole: (name, keys) =>
      call(async () => done(await client.send(new UntagRoleCommand({ RoleName: name, TagKeys: keys })))),
    listRoleTags: (name) =>
      call(() =>
        allPages(async (marker) => {
          const out = await client.send(
            new ListRoleTagsCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }),
          );
          return { items: fromSdkTags(out.Tags), next: out.IsTruncated ? out.Marker : undefined };
        }),
      ),
    attachRolePolicy: (roleName, policyArn) =>
      call(async () =>
        done(await client.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }))),
      ),
    detachRolePolicy: (roleName, policyArn) =>
      call(async () =>
        done(await client.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }))),
      ),
    listAttachedRolePolicies: (roleName) =>
      call(() =>
        allPages(async (marker) => {
          const out = await client.send(
            new ListAttachedRolePoliciesCommand({
              RoleName: roleName,
              ...(marker ? { Marker: marker } : {}),
            }),
          );
          const items = (out.AttachedPolicies ?? []).map((item): AttachedPolicyRef => ({
            name: item.PolicyName ?? '',
            arn: item.PolicyArn ?? '',
          }));
          return { items, next: out.IsTruncated ? out.Marker : undefined };
        }),
      ),
    putRolePolicy: (roleName, policyName, document) =>
      call(async () =>
        done(
          await client.send(
            new PutRolePolicyCommand({
              RoleName: roleName,
              PolicyName: policyName,
              PolicyDocument: document,
            }),
          ),
        ),
      ),
    getRolePolicy: (roleName, policyName) =>
      call(async () => {
        const out = await client.send(
          new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
        );
        return decodePolicyDocument(out.PolicyDocument ?? '');
      }),
    deleteRolePolicy: (roleName, policyName) =>
      call(async () =>
        done(await client.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))),
      ),
    listRolePolicies: (roleName) =>
      call(() =>
        allPages(async (marker) => {
          const out = await client.send(
            new ListRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) }),
          );
          return { items: out.PolicyNames ?? [], next: out.IsTruncated ? out.Marker : undefined };
        }),
      ),
    getAccountSummary: () =>
      call(async () => {
        const out = await client.send(new GetAccountSummaryCommand({}));
        const map: Record<string, number | undefined> = out.SummaryMap ?? {};
        return {
          attachedPoliciesPerRoleQuota: map.AttachedPoliciesPerRoleQuota ?? null,
          roles: map.Roles ?? null,
          rolesQuota: map.RolesQuota ?? null,
          policies: map.Policies ?? null,
          policiesQuota: map.PoliciesQuota ?? null,
        };
      }),
    listRoleNames: () =>
      call(() =>
        allPages(async (marker) => {
          const out = await client.send(
            new ListRolesCommand({ MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }),
          );
          const items = (out.Roles ?? []).map((role) => ({
            name: role.RoleName ?? '',
            path: role.Path ?? '/',
          }));
          return { items, next: out.IsTruncated ? out.Marker : undefined };
        }),
      ),
    listLocalPolicies: () =>
      call(() =>
        allPages(async (marker) => {
          const out = await client.send(
            new ListPoliciesCommand({
              Scope: 'Local',
              MaxItems: 1000,
              ...(marker ? { Marker: marker } : {}),
            }),
          );
          return {
            items: (out.Policies ?? []).map((policy) => toLivePolicy(policy)),
            next: out.IsTruncated ? out.Marker : undefined,
          };
        }),
      ),
    listIdentityProviders: () =>
      call(async () => {
        const providers: IdentityProviderRef[] = [];
        const oidc = await client.send(new ListOpenIDConnectProvidersCommand({}));
        for (const item of oidc.OpenIDConnectProviderList ?? []) {
          const arn = item.Arn ?? '';
          const out = await client.send(
            new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }),
          );
          providers.push({
            kind: 'oidc',
            arn,
            name: out.Url ?? arn.slice(arn.indexOf('/') + 1),
            audiences: out.ClientIDList ?? [],
          });
        }
        const saml = await client.send(new ListSAMLProvidersCommand({}));
        for (const item of saml.SAMLProviderList ?? []) {
          const arn = item.Arn ?? '';
          providers.push({ kind: 'saml', arn, name: arn.slice(arn.indexOf('/') + 1), audiences: [] });
        }
        return providers;
      }),
    createInstanceProfile: (input) =>
      call(async () => {
        const out = await client.send(
          new CreateInstanceProfileCommand({
            InstanceProfileName: input.name,
            Path: input.path,
            ...(input.tags.length > 0 ? { Tags: toSdkTags(input.tags) } : {}),
          }),
        );
        return toLiveInstanceProfile(
          required(out.InstanceProfile, 'CreateInstanceProfile returned no InstanceProfile'),
          input.tags,
        );
      }),
    getInstanceProfile: (name) =>
      call(async () => {
        const out = await client.send(new GetInstanceProfileCommand({ InstanceProfileName: name }));
        return toLiveInstanceProfile(
          required(out.InstanceProfile, 'GetInstanceProfile returned no InstanceProfile'),
        );
      }),
    deleteInstanceProfile: (name) =>
      call(async () =>
        done(await client.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name }))),
      ),
    addRoleToInstanceProfile: (profileName, roleName) =>
      call(async () =>
        done(
          await client.send(
            new AddRoleToInstanceProfileCommand({ InstanceProfileName: profileName, RoleName: roleName }),
          ),
        ),
      ),
    removeRoleFromInstanceProfile: (profileName, roleName) =>
      call(async () =>
        done(
          await client.send(
            new RemoveRoleFromInstanceProfileCommand({
              InstanceProfileName: profileName,
              RoleName: roleName,
            }),
          ),
        ),
      ),
    listInstanceProfilesForRole: (roleName) =>
      call(() =>
        allPages(async (marker) => {
          const out = await client.send(
            new ListInstanceProfilesForRoleCommand({
              RoleName: roleName,
              ...(marker ? { Marker: marker } : {}),
            }),
          );
          const items = (out.InstanceProfiles ?? []).map((profile) => profile.InstanceProfileName ?? '');
          return { items, next: out.IsTruncated ? out.Marker : undefined };
        }),
      ),
  };
}

/**
 * IAM returns policy documents URL-encoded (RFC 3986). Decodes them to JSON text; text that is not
 * encoded is returned as it is.
 */
export function decodePolicyDocument(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Every item of a paginated IAM list: `page` fetches the page after `marker` and names the next one. */
async function allPages<T>(
  page: (marker: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const out = await page(marker);
    items.push(...out.items);
    marker = out.next;
  } while (marker);
  return items;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(what);
  return value;
}

function toSdkTags(tags: AwsTag[]): Tag[] {
  return tags.map((tag) => ({ Key: tag.key, Value: tag.value }));
}

function fromSdkTags(tags: Tag[] | undefined): AwsTag[] {
  return (tags ?? []).map((tag) => ({ key: tag.Key ?? '', value: tag.Value ?? '' }));
}

function toLiveRole(role: Role): LiveRole {
  return {
    name: role.RoleName ?? '',
    path: role.Path ?? '/',
    arn: role.Arn ?? '',
    roleId: role.RoleId ?? '',
    description: role.Description ?? null,
    maxSessionDurationSeconds: role.MaxSessionDuration ?? null,
    trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument ?? ''),
    permissionsBoundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    tags: fromSdkTags(role.Tags),
  };
}

function toLivePolicy(policy: Policy, fallbackTags: AwsTag[] = []): LivePolicy {
  return {
    name: policy.PolicyName ?? '',
    arn: policy.Arn ?? '',
    path: policy.Path ?? '/',
    policyId: policy.PolicyId ?? '',
    defaultVersionId: policy.DefaultVersionId ?? null,
    attachmentCount: policy.AttachmentCount ?? 0,
    tags: policy.Tags ? fromSdkTags(policy.Tags) : fallbackTags,
  };
}

function toLiveInstanceProfile(profile: InstanceProfile, fallbackTags: AwsTag[] = []): LiveInstanceProfile {
  return {
    name: profile.InstanceProfileName ?? '',
    path: profile.Path ?? '/',
    arn: profile.Arn ?? '',
    roleNames: (profile.Roles ?? []).map((role) => role.RoleName ?? ''),
    tags: profile.Tags ? fromSdkTags(profile.Tags) : fallbackTags,
  };
}
