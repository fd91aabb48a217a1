import 'server-only';
import { getTargetAccount } from '@/lib/accounts/accounts';
import { summarizeAccess, type AccessSummary } from '@/lib/iam/access-summary';
import { awsManagedPolicyDocument } from '@/lib/iam/aws-managed-policies';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { normalizePolicy, parsePolicyDocument, type NormalizedPolicy } from '@/lib/iam/policy';
import { newManagedPolicyArn, type RoleSpec } from '@/lib/iam/role-spec';
import { customerPolicyDocument, type AccountIam } from '@/lib/wizard/account-reads';

/** One permissions policy of a role, as the summary page's *Permissions* lists it. */
export interface RolePolicyView {
  name: string;
  /** `aws`: AWS managed; `created`: a customer managed policy Rolesmith created with the role; `customer`: one it found in the account; `inline`. */
  type: 'aws' | 'created' | 'customer' | 'inline';
  /** Managed policies: the ARN. */
  arn: string | null;
  /**
   * The document: AWS managed, created with the role and inline ones as Rolesmith knows them; a
   * customer managed one's default version when the account was read; null otherwise.
   */
  document: string | null;
  /** Why a customer managed policy's document is missing when the account was read; null otherwise. */
  unreadable: string | null;
  /** The policy's own access summary, when its document is known. */
  access: AccessSummary | null;
}

/** A role's permissions as the summary page shows them: each policy, and the access of all of them together. */
export interface RoleAccess {
  policies: RolePolicyView[];
  /** The access the known documents grant together (before the boundary). */
  access: AccessSummary;
  /** Customer managed policies whose documents are not known (not in the combined summary). */
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

/** How {@link summarizeRoleAccess} reads the account; without it, only what Rolesmith recorded. */
export interface RoleAccessOptions {
  /**
   * Reads the default version of each customer managed policy Rolesmith did not create
   * (GetPolicy, GetPolicyVersion, cached briefly), through this client: `provisionerIam` on the
   * summary page, the emulator's in tests.
   */
  accountIam?: AccountIam;
}

/** The document laid out as the page shows the others (IAM returns it as it was written). */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The default version's document of each customer managed ARN (laid out), or why it could not be read. */
async function readCustomerPolicies(
  accountId: string,
  arns: readonly string[],
  accountIam: AccountIam,
): Promise<Map<string, { document: string } | { unreadable: string }>> {
  const read = new Map<string, { document: string } | { unreadable: string }>();
  if (arns.length === 0) return read;
  const account = await getTargetAccount(accountId);
  await Promise.all(
    arns.map(async (arn) => {
      if (!account) {
        read.set(arn, { unreadable: `Account ${accountId} is no longer a target account.` });
        return;
      }
      const document = await customerPolicyDocument(account, arn, accountIam);
      read.set(
        arn,
        document.ok
          ? { document: prettyJson(document.value) }
          : { unreadable: `Could not read ${nameOfArn(arn)} from the account: ${document.message}` },
      );
    }),
  );
  return read;
}

/**
 * The permissions of a role's specification: its managed policies (AWS managed ones with the
 * documents of the installed policy package, those created with the role with their recorded
 * documents, other customer managed ones by ARN, with their default version's document when
 * `options.accountIam` reads the account) and inline policies, each with its own access summary,
 * and the combined access summary by service and access level. Apart from the account, reads only
 * the IAM catalogue and the AWS managed policies (once per process).
 */
export async function summarizeRoleAccess(
  spec: RoleSpec,
  options: RoleAccessOptions = {},
): Promise<RoleAccess> {
  const customerArns = spec.managedPolicyArns.filter((arn) => awsManagedPolicyDocument(arn) === undefined);
  const [catalogue, customer] = await Promise.all([
    loadCatalogue(),
    options.accountIam
      ? readCustomerPolicies(spec.accountId, customerArns, options.accountIam)
      : Promise.resolve(null),
  ]);
  const view = (policy: Omit<RolePolicyView, 'access' | 'unreadable'>, unreadable: string | null = null) => {
    const document = normalized(policy.document);
    return {
      ...policy,
      unreadable,
      access: document ? trimmed(summarizeAccess(document, catalogue)) : null,
    } satisfies RolePolicyView;
  };
  const policies: RolePolicyView[] = [
    ...spec.managedPolicyArns.map((arn) => {
      const document = awsManagedPolicyDocument(arn);
      if (document !== undefined) return view({ name: nameOfArn(arn), type: 'aws', arn, document });
      const read = customer?.get(arn);
      return view(
        {
          name: nameOfArn(arn),
          type: 'customer',
          arn,
          document: read && 'document' in read ? read.document : null,
        },
        read && 'unreadable' in read ? read.unreadable : null,
      );
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
