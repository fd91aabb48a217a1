import type { Principal, PortalRoles } from '@/lib/auth/principal';
import { awsManagedPolicyDocument } from '@/lib/iam/aws-managed-policies';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { roleSpecSchema, type RoleSpecInput } from '@/lib/iam/role-spec';
import { assessRoleSpec, justificationsNeeded } from '@/lib/requests/assess';
import { flagKey } from '@/lib/wizard/state';

/** Builders for `lib/requests` tests: principals as `lib/auth` would build them, and role specs. */

export function principal(id: string, roles: Partial<PortalRoles> = {}): Principal {
  return {
    id,
    email: `${id}@acme.example`,
    name: id.charAt(0).toUpperCase() + id.slice(1),
    groups: [],
    roles: { requester: true, approver: null, admin: false, ...roles },
    sandboxIdentity: null,
  };
}

export const alice = principal('alice');
export const dave = principal('dave');
export const bob = principal('bob', { approver: 'all' });
export const ben = principal('ben', { approver: 'all' });
export const carol = principal('carol', { admin: true });
/** Approver for the development account only. */
export const pat = principal('pat', { approver: ['777788889999'] });

export const PRODUCTION = '444455556666';
export const DEVELOPMENT = '777788889999';
export const IDENTITY = '111122223333';

/**
 * The acknowledgement key of the privilege-escalation flag a role with one inline policy allowing
 * `iam:PassRole` and `lambda:CreateFunction` raises (the approvals tests' two-approval role).
 */
export const passRoleFlagKey = flagKey('privesc_passrole_compute', 'inlinePolicies.0.document');

export function policy(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function allow(action: string | string[], resource: string | string[] = '*'): Record<string, unknown> {
  return { Effect: 'Allow', Action: action, Resource: resource };
}

export function roleSpec(overrides: Partial<RoleSpecInput> = {}): RoleSpecInput {
  return {
    accountId: PRODUCTION,
    name: 'app-log-reader',
    description: 'Reads the application logs',
    trustedEntity: { type: 'aws_account', accountId: IDENTITY },
    inlinePolicies: [
      { name: 'read-logs', document: policy(allow('s3:GetObject', 'arn:aws:s3:::acme-logs/*')) },
    ],
    tags: [{ key: 'team', value: 'platform' }],
    ...overrides,
  };
}

/**
 * A create or change request's input with a justification for every security warning and risk
 * flag that submission requires one for (the organisation being the sandbox's three accounts).
 */
export async function justified<T extends { spec: RoleSpecInput }>(
  input: T,
): Promise<T & { flagJustifications: Record<string, string> }> {
  const parsed = roleSpecSchema.safeParse(input.spec);
  if (!parsed.success) return { ...input, flagJustifications: {} };
  const spec = parsed.data;
  const assessment = assessRoleSpec(
    spec,
    [IDENTITY, PRODUCTION, DEVELOPMENT],
    await loadCatalogue(),
    awsManagedPolicyDocument,
  );
  const needed = justificationsNeeded(assessment.findings, assessment.risks);
  return {
    ...input,
    flagJustifications: Object.fromEntries(needed.map(({ key }) => [key, 'Needed for the test'])),
  };
}
