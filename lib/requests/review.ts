import 'server-only';
import { summarizeAccess, type AccessSummary } from '@/lib/iam/access-summary';
import { awsManagedPolicyDocument } from '@/lib/iam/aws-managed-policies';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { normalizePolicy, parsePolicyDocument, type NormalizedPolicy } from '@/lib/iam/policy';
import type { RoleSpec } from '@/lib/iam/role-spec';
import { trustPolicyText } from '@/lib/iam/trust-builder';
import { describeWhoCanAssume } from '@/lib/iam/who-can-assume';
import { policyNameOfArn, policyTypeOfArn, type ManagedPolicyType } from '@/lib/wizard/permissions';

/** An attached managed policy as the review shows it. */
export interface ReviewedManagedPolicy {
  arn: string;
  name: string;
  type: ManagedPolicyType;
  /** The document when the portal knows it without reading the account (AWS managed policies). */
  document: string | null;
}

/** What the review of a RoleSpec shows beyond the spec itself, computed on the server. */
export interface SpecReview {
  trustPolicy: string;
  whoCanAssume: string;
  /** Access by service and access level over every permissions policy whose document is known. */
  accessSummary: AccessSummary;
  managedPolicies: ReviewedManagedPolicy[];
  /** Customer managed policies are read from the account, so they are not in the summary. */
  hasUnsummarizedPolicies: boolean;
}

function normalized(text: string | null | undefined): NormalizedPolicy | null {
  if (!text) return null;
  const result = parsePolicyDocument(text);
  return result.ok ? normalizePolicy(result.value) : null;
}

/**
 * The review of a role specification as it will be created: the trust policy with the
 * who-can-assume sentence, the access summary (the console's policy summary) over its inline
 * policies, new managed policies and attached AWS managed policies, and each attached managed
 * policy with its document when it is bundled. Reads no account (customer managed policies' JSON
 * is fetched by the browser on demand), so it is quick enough for every page view.
 */
export async function reviewRoleSpec(spec: RoleSpec): Promise<SpecReview> {
  const catalogue = await loadCatalogue();
  const trustPolicy = trustPolicyText(spec.trustedEntity);
  const managedPolicies = spec.managedPolicyArns.map((arn): ReviewedManagedPolicy => ({
    arn,
    name: policyNameOfArn(arn),
    type: policyTypeOfArn(arn),
    document: awsManagedPolicyDocument(arn) ?? null,
  }));
  const policies = [
    ...managedPolicies.map((policy) => normalized(policy.document)),
    ...spec.newManagedPolicies.map((policy) => normalized(policy.document)),
    ...spec.inlinePolicies.map((policy) => normalized(policy.document)),
  ].filter((policy): policy is NormalizedPolicy => policy !== null);
  return {
    trustPolicy,
    whoCanAssume: describeWhoCanAssume(trustPolicy, { ownAccountId: spec.accountId }),
    accessSummary:
      policies.length > 0 ? summarizeAccess(policies, catalogue) : { services: [], unrecognizedActions: [] },
    managedPolicies,
    hasUnsummarizedPolicies: managedPolicies.some((policy) => policy.document === null),
  };
}
