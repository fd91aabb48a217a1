import 'server-only';
import { summarizeAccess, type AccessSummary } from '@/lib/iam/access-summary';
import { awsManagedPolicyDocument } from '@/lib/iam/aws-managed-policies';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { normalizePolicy, parsePolicyDocument, type NormalizedPolicy } from '@/lib/iam/policy';
import { newManagedPolicyArn, type RoleSpec } from '@/lib/iam/role-spec';

/** One permissions policy of a role, as the summary page's *Permissions* lists it. */
export interface RolePolicyView {
  name: string;
  /** `aws`: AWS managed; `created`: a customer managed policy Rolesmith created with the role; `customer`: one it found in the account; `inline`. */
  type: 'aws' | 'created' | 'customer' | 'inline';
  /** Managed policies: the ARN. */
  arn: string | null;
  /** The document when Rolesmith knows it (AWS managed, created with the role, inline); null otherwise. */
  document: string | null;
  /** The policy's own access summary, when its document is known. */
  access: AccessSummary | null;
}

/** A role's permissions as the summary page shows them: each policy, and the access of all of them together. */
export interface RoleAccess {
  policies: RolePolicyView[];
  /** The access the known documents grant together (before the boundary). */
  access: AccessSummary;
  /** Customer managed policies whose documents Rolesmith did not record (not in the combined summary). */
  unknownPolicies: string[];
}

/** At most this many actions per service are kept (the page shows levels, not every action). */
const maxActionsPerService = 20;

function trimmed(summary: AccessSummary): AccessSummary {
  return {
    services: summary.services.map((service) => ({
      ...service,
      actions: service.actions.slice(0, maxActionsPerService),
    })),
    unrecognizedActions: summary.unrecognizedActions.slice(0, 50),
  };
}

function normalized(document: string | null): NormalizedPolicy | null {
  if (document === null) return null;
  const parsed = parsePolicyDocument(document);
  return parsed.ok ? normalizePolicy(parsed.value) : null;
}

const nameOfArn = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/**
 * The permissions of a role's specification: its managed policies (AWS managed ones with the
 * documents of the installed policy package, those created with the role with their recorded
 * documents, other customer managed ones by ARN only) and inline policies, each with its own
 * access summary, and the combined access summary by service and access level. Pure apart from
 * reading the IAM catalogue and the AWS managed policies once per process.
 */
export async function summarizeRoleAccess(spec: RoleSpec): Promise<RoleAccess> {
  const catalogue = await loadCatalogue();
  const view = (policy: Omit<RolePolicyView, 'access'>): RolePolicyView => {
    const document = normalized(policy.document);
    return { ...policy, access: document ? trimmed(summarizeAccess(document, catalogue)) : null };
  };
  const policies = [
    ...spec.managedPolicyArns.map((arn) => {
      const document = awsManagedPolicyDocument(arn) ?? null;
      return view({ name: nameOfArn(arn), type: document ? 'aws' : 'customer', arn, document });
    }),
    ...spec.newManagedPolicies.map((policy) =>
      view({
        name: policy.name,
        type: 'created',
        arn: newManagedPolicyArn(spec.accountId, policy.name),
        document: policy.document,
      }),
    ),
    ...spec.inlinePolicies.map((policy) =>
      view({ name: policy.name, type: 'inline', arn: null, document: policy.document }),
    ),
  ];
  const known = policies
    .map((policy) => normalized(policy.document))
    .filter((policy): policy is NormalizedPolicy => policy !== null);
  return {
    policies,
    access: trimmed(summarizeAccess(known, catalogue)),
    unknownPolicies: policies.filter((policy) => policy.document === null).map((policy) => policy.name),
  };
}
