import 'server-only';
import { getAwsManagedPolicies, type AwsManagedPolicy } from '@/lib/sandbox/managed-policies';
import type {
  InstanceProfileRecord,
  ManagedPolicyRecord,
  RoleRecord,
  SessionRecord,
  Store,
  UserRecord,
} from '@/lib/sandbox/store';

/** Configurable quotas (reference 5); defaults as in a new AWS account. */
export interface Quotas {
  rolesPerAccount: number;
  policiesPerAccount: number;
  policiesPerRole: number;
  trustPolicySize: number;
  rolePolicySize: number;
  managedPolicySize: number;
  versionsPerPolicy: number;
  instanceProfilesPerAccount: number;
}

export const defaultQuotas: Quotas = {
  rolesPerAccount: 1000,
  policiesPerAccount: 1500,
  policiesPerRole: 10,
  trustPolicySize: 2048,
  rolePolicySize: 10240,
  managedPolicySize: 6144,
  versionsPerPolicy: 5,
  instanceProfilesPerAccount: 1000,
};

/** Who is calling, after SigV4 verification. */
export type Caller =
  | { kind: 'user'; accountId: string; arn: string; userId: string; user: UserRecord }
  | { kind: 'assumed-role'; accountId: string; arn: string; userId: string; session: SessionRecord }
  | { kind: 'anonymous'; accountId: string; arn: string; userId: string };

/** A managed policy as operations see it: an account's own, or an AWS managed one shared by all. */
export type AnyManagedPolicy =
  { kind: 'customer'; record: ManagedPolicyRecord } | { kind: 'aws'; record: AwsManagedPolicy };

/** The sandbox's region (IAM is global and signed for us-east-1). */
export const region = 'us-east-1';

/** Store keys: names are unique per account regardless of case. */
export const roleKey = (accountId: string, roleName: string) => `${accountId}/${roleName.toLowerCase()}`;
export const userKey = (accountId: string, userName: string) => `${accountId}/${userName.toLowerCase()}`;
export const instanceProfileKey = (accountId: string, name: string) => `${accountId}/${name.toLowerCase()}`;
export const policyKey = (accountId: string, policyName: string) =>
  `${accountId}/${policyName.toLowerCase()}`;

/** Parses `arn:aws:iam::<acct>:policy<path><name>`; null when it is not a policy ARN. */
export function parsePolicyArn(arn: string): { accountId: string; path: string; name: string } | null {
  const match = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[^/]+\/)*)([\w+=,.@-]+)$/.exec(arn);
  if (!match) return null;
  return { accountId: match[1]!, path: match[2]!, name: match[3]! };
}

/** The emulator's state and the lookups operations share. */
export class SandboxState {
  readonly awsPolicies: ReadonlyMap<string, AwsManagedPolicy>;
  constructor(
    readonly store: Store,
    readonly quotas: Quotas = defaultQuotas,
  ) {
    this.awsPolicies = getAwsManagedPolicies();
  }

  get t() {
    return this.store.tables;
  }

  isAccount(accountId: string): boolean {
    return this.t.accounts.get(accountId) !== undefined;
  }

  getRole(accountId: string, roleName: string): RoleRecord | undefined {
    return this.t.roles.get(roleKey(accountId, roleName));
  }

  getUser(accountId: string, userName: string): UserRecord | undefined {
    return this.t.users.get(userKey(accountId, userName));
  }

  rolesOf(accountId: string): RoleRecord[] {
    return [...this.t.roles.values()].filter((role) => role.accountId === accountId);
  }

  /** The instance profiles of an account that hold a role (by name, regardless of case). */
  instanceProfilesOfRole(accountId: string, roleName: string): InstanceProfileRecord[] {
    const name = roleName.toLowerCase();
    return [...this.t.instanceProfiles.values()].filter(
      (profile) =>
        profile.accountId === accountId && profile.roleNames.some((member) => member.toLowerCase() === name),
    );
  }

  /** A managed policy by ARN, visible from `accountId` (its own policies, or AWS managed ones). */
  getManagedPolicy(accountId: string, arn: string): AnyManagedPolicy | undefined {
    const aws = this.awsPolicies.get(arn);
    if (aws) return { kind: 'aws', record: aws };
    const parsed = parsePolicyArn(arn);
    if (!parsed || parsed.accountId !== accountId) return undefined;
    const record = this.t.policies.get(policyKey(accountId, parsed.name));
    return record && record.arn === arn ? { kind: 'customer', record } : undefined;
  }

  /** The default-version document of a managed policy, for evaluation. */
  managedPolicyDocument(accountId: string, arn: string): string | undefined {
    const policy = this.getManagedPolicy(accountId, arn);
    if (!policy) return undefined;
    if (policy.kind === 'aws') return policy.record.document;
    return policy.record.versions.find((version) => version.versionId === policy.record.defaultVersionId)
      ?.document;
  }

  /** Attachment and boundary counts of a policy ARN in one account. */
  usage(accountId: string, arn: string): { attachments: number; boundaries: number } {
    let attachments = 0;
    let boundaries = 0;
    for (const role of this.t.roles.values()) {
      if (role.accountId !== accountId) continue;
      if (role.attachedPolicies.includes(arn)) attachments += 1;
      if (role.boundaryArn === arn) boundaries += 1;
    }
    for (const user of this.t.users.values()) {
      if (user.accountId !== accountId) continue;
      if (user.attachedPolicies.includes(arn)) attachments += 1;
      if (user.boundaryArn === arn) boundaries += 1;
    }
    return { attachments, boundaries };
  }

  /**
   * Whether a role or user ARN exists, for trust-policy principal resolution. ARNs in accounts the
   * sandbox does not hold are accepted: the sandbox cannot know them, as with a real outside account.
   */
  principalExists(arn: string): boolean {
    const match = /^arn:aws:iam::(\d{12}):(role|user)(\/(?:.*\/)?)([^/]+)$/.exec(arn);
    if (!match) return false;
    const [, accountId, kind, path, name] = match as unknown as [string, string, string, string, string];
    if (!this.isAccount(accountId)) return true;
    const entity = kind === 'role' ? this.getRole(accountId, name) : this.getUser(accountId, name);
    return entity !== undefined && entity.path === path && entity.arn === arn;
  }
}
