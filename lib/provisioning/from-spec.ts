import type { RoleSpec } from '@/lib/iam/role-spec';
import { trustPolicyText } from '@/lib/iam/trust-builder';
import type { RoleToProvision } from '@/lib/provisioning/plan';

/**
 * What a validated {@link RoleSpec} asks IAM for: the trust policy written out as the console would,
 * new customer managed policies at path `/`, empty descriptions left out. Pure.
 */
export function roleToProvision(spec: RoleSpec): RoleToProvision {
  return {
    accountId: spec.accountId,
    name: spec.name,
    path: spec.path,
    description: spec.description === '' ? null : spec.description,
    maxSessionDurationSeconds: spec.maxSessionDuration,
    trustPolicy: trustPolicyText(spec.trustedEntity),
    permissionsBoundaryArn: spec.permissionsBoundaryArn ?? null,
    managedPolicyArns: spec.managedPolicyArns,
    newPolicies: spec.newManagedPolicies.map((policy) => ({
      name: policy.name,
      path: '/',
      description: policy.description === '' ? null : policy.description,
      document: policy.document,
    })),
    inlinePolicies: spec.inlinePolicies.map((policy) => ({ name: policy.name, document: policy.document })),
    tags: spec.tags.map((tag) => ({ key: tag.key, value: tag.value })),
  };
}
