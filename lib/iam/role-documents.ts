import { newManagedPolicyArn, type RoleSpec } from '@/lib/iam/role-spec';
import { trustPolicyText } from '@/lib/iam/trust-builder';

/**
 * The policy documents of a role specification, each with the RoleSpec field it comes from, so
 * that analyses comparing two specifications (semantic-diff.ts, no-new-access.ts) can pair them
 * and point at them. Pure: the documents of managed policies attached by ARN come from a lookup
 * the caller supplies (AWS managed policies from their package, customer managed policies from
 * what the request recorded); a document the lookup does not know stays `undefined`.
 */

/** The document of a managed policy by ARN, or `undefined` when it is not known. */
export type PolicyDocumentLookup = (arn: string) => string | undefined;

export interface RoleDocument {
  /** Pairs a document across two specifications: `inline:NAME`, `managed:ARN`, `boundary`, `trust`. */
  key: string;
  /** RoleSpec field: `inlinePolicies.0.document`, `newManagedPolicies.1.document`, `managedPolicyArns.2`, … */
  field: string;
  kind: 'inline' | 'new-managed' | 'managed' | 'boundary' | 'trust';
  /** The policy's name (inline and new managed), its ARN (managed and boundary), or `Trust policy`. */
  name: string;
  arn?: string;
  /** The document text, or `undefined` when the lookup does not know it. */
  text: string | undefined;
}

export interface RoleDocuments {
  /** Inline, new managed and attached managed policies, in that order. */
  identity: RoleDocument[];
  boundary: RoleDocument | null;
  trust: RoleDocument;
}

/** The role's documents (see the module comment). Never throws. */
export function roleDocuments(spec: RoleSpec, lookup: PolicyDocumentLookup): RoleDocuments {
  const created = new Map(
    spec.newManagedPolicies.map((policy) => [
      newManagedPolicyArn(spec.accountId, policy.name),
      policy.document,
    ]),
  );
  const resolve = (arn: string) => created.get(arn) ?? lookup(arn);
  const identity: RoleDocument[] = [
    ...spec.inlinePolicies.map((policy, index): RoleDocument => ({
      key: `inline:${policy.name}`,
      field: `inlinePolicies.${index}.document`,
      kind: 'inline',
      name: policy.name,
      text: policy.document,
    })),
    ...spec.newManagedPolicies.map((policy, index): RoleDocument => {
      const arn = newManagedPolicyArn(spec.accountId, policy.name);
      return {
        key: `managed:${arn}`,
        field: `newManagedPolicies.${index}.document`,
        kind: 'new-managed',
        name: policy.name,
        arn,
        text: policy.document,
      };
    }),
    ...spec.managedPolicyArns.map((arn, index): RoleDocument => ({
      key: `managed:${arn}`,
      field: `managedPolicyArns.${index}`,
      kind: 'managed',
      name: arn,
      arn,
      text: resolve(arn),
    })),
  ];
  const boundaryArn = spec.permissionsBoundaryArn;
  return {
    identity,
    boundary:
      boundaryArn === undefined
        ? null
        : {
            key: 'boundary',
            field: 'permissionsBoundaryArn',
            kind: 'boundary',
            name: boundaryArn,
            arn: boundaryArn,
            text: resolve(boundaryArn),
          },
    trust: {
      key: 'trust',
      field: 'trustedEntity',
      kind: 'trust',
      name: 'Trust policy',
      text: trustPolicyText(spec.trustedEntity),
    },
  };
}
