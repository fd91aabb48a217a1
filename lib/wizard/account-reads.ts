import 'server-only';
import { z } from 'zod';
import { getTargetAccount } from '@/lib/accounts/accounts';
import { getAccountClients } from '@/lib/aws/account-clients';
import type { IamAccountClient } from '@/lib/aws/iam-client';
import type { IdentityProviderRef } from '@/lib/aws/types';
import { getDb } from '@/lib/db/client';
import type { TargetAccount } from '@/lib/db/queries/accounts';
import { getRequestForRoleInStates } from '@/lib/db/queries/requests';
import { summarizeAccess, type ServiceAccess } from '@/lib/iam/access-summary';
import { getAwsManagedPolicies } from '@/lib/iam/aws-managed-policies';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { normalizePolicy, parsePolicyDocument } from '@/lib/iam/policy';
import {
  DEFAULT_MANAGED_POLICIES_PER_ROLE,
  MAX_MANAGED_POLICIES_PER_ROLE,
  roleNameSchema,
} from '@/lib/iam/role-spec';
import { accountIdSchema } from '@/lib/iam/trust-entity';
import { getGuardrails } from '@/lib/requests/guardrails-store';
import { OPEN_STATES } from '@/lib/requests/state-machine';
import { fail, invalidInput, ok, type Result } from '@/lib/result';
import { cachedRead } from '@/lib/wizard/read-cache';

/**
 * What the wizard reads of a target account: whether a role name is free, its managed policies
 * (AWS managed from the bundled data, customer managed from the account), one policy with its
 * access summary, and its identity providers. The account is read through the provisioner
 * (`lib/aws`: the emulator in sandbox mode, the provisioner role in aws mode), with the reads the
 * documented provisioner policy allows; lists are cached briefly per account.
 */

/** How the account's IAM is reached: the provisioner's clients by default; tests pass the emulator's. */
export type AccountIam = (account: TargetAccount) => Promise<IamAccountClient>;

/** The provisioner's IAM client of an account (the emulator in sandbox mode, the provisioner role in aws mode). */
export const provisionerIam: AccountIam = async (account) =>
  (
    await getAccountClients({
      accountId: account.id,
      provisionerRoleArn: account.provisionerRoleArn,
      externalId: account.externalId,
    })
  ).iam;

/** How long the account's role and policy lists are reused (the wizard asks as the person types). */
export const accountListTtlMs = 30_000;

/** The target account `accountId`: `invalid_input` for a malformed id, `not_found` when it is no target. */
async function resolveTarget(accountId: unknown): Promise<Result<TargetAccount>> {
  const parsed = accountIdSchema.safeParse(accountId);
  if (!parsed.success) return invalidInput(parsed.error, 'Check the account.', { prefix: 'accountId' });
  const account = await getTargetAccount(parsed.data);
  return account
    ? ok(account)
    : fail('not_found', `Account ${parsed.data} is not one of the portal’s target accounts.`);
}

export const roleNameQuerySchema = z.object({ name: roleNameSchema });

export interface RoleNameAvailability {
  name: string;
  available: boolean;
  /** Why it is taken: a role of the account (compared case-insensitively) or an open request. */
  takenBy?: 'role' | 'request';
  message: string;
}

/**
 * Whether `name` is free for a new role in the account: IAM's rules and the guardrails' prefix
 * as field errors (`invalid_input` under `name`), then, case-insensitively, no role of the
 * account (IAM role names are unique regardless of case) and no open Rolesmith request for the
 * same account has it. A wizard draft claims no name. `aws_error` when the account cannot be read.
 */
export async function checkRoleNameAvailability(
  accountId: unknown,
  input: unknown,
  accountIam: AccountIam = provisionerIam,
): Promise<Result<RoleNameAvailability>> {
  const target = await resolveTarget(accountId);
  if (!target.ok) return target;
  const parsed = roleNameQuerySchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { name } = parsed.data;
  const { guardrails } = await getGuardrails();
  if (guardrails.roleNamePrefix && !name.startsWith(guardrails.roleNamePrefix)) {
    return fail('invalid_input', 'Check the highlighted fields.', {
      name: [`Role name must start with ${guardrails.roleNamePrefix}`],
    });
  }
  const open = await getRequestForRoleInStates(await getDb(), target.value.id, name, OPEN_STATES);
  if (open) {
    return ok({
      name,
      available: false,
      takenBy: 'request',
      message: `A request for a role named ${name} is already open in this account.`,
    });
  }
  const roles = await listAccountRoleNames(target.value, accountIam);
  if (!roles.ok) return roles;
  const lower = name.toLowerCase();
  const existing = roles.value.find((role) => role.toLowerCase() === lower);
  if (existing) {
    return ok({
      name,
      available: false,
      takenBy: 'role',
      message: `The account already has a role named ${existing}.`,
    });
  }
  return ok({ name, available: true, message: `${name} is available.` });
}

function listAccountRoleNames(account: TargetAccount, accountIam: AccountIam): Promise<Result<string[]>> {
  return cachedRead(`roles:${account.id}`, accountListTtlMs, async () => {
    const listed = await (await accountIam(account)).listRoleNames();
    return listed.ok ? ok(listed.value.map((role) => role.name)) : listed;
  });
}

export interface ManagedPolicySummary {
  arn: string;
  name: string;
  type: 'aws' | 'customer';
  path: string;
  /** The bundled data carries no descriptions, and ListPolicies returns none: null when unknown. */
  description: string | null;
}

const searchPoliciesSchema = z.object({
  q: z
    .string()
    .trim()
    .max(128, 'Search at most 128 characters')
    .optional()
    .transform((value) => value ?? ''),
  type: z.enum(['aws', 'customer', 'all'], { error: 'Type must be aws or customer' }).default('all'),
  /** The ARN of the last policy of the previous page. */
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type SearchPoliciesInput = z.input<typeof searchPoliciesSchema>;

const typeRank = { customer: 0, aws: 1 } as const;

function policyTypeOfArn(arn: string): 'aws' | 'customer' {
  return arn.startsWith('arn:aws:iam::aws:') ? 'aws' : 'customer';
}

type SortKey = [number, number, string, string];

/**
 * Where a policy sorts for the query `q`: its name equal to `q` first, then names starting with
 * it, then the rest; customer managed before AWS managed; then by name. Computed from the ARN
 * alone, so that a cursor (the last ARN of a page) places itself.
 */
function sortKey(arn: string, q: string): SortKey {
  const name = (arn.split('/').pop() ?? '').toLowerCase();
  const query = q.toLowerCase();
  const match = query === '' ? 0 : name === query ? 0 : name.startsWith(query) ? 1 : 2;
  return [match, typeRank[policyTypeOfArn(arn)], name, arn];
}

function compareKeys(a: SortKey, b: SortKey): number {
  return a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2]) || a[3].localeCompare(b[3]);
}

function listCustomerPolicies(
  account: TargetAccount,
  accountIam: AccountIam,
): Promise<Result<ManagedPolicySummary[]>> {
  return cachedRead(`policies:${account.id}`, accountListTtlMs, async () => {
    const listed = await (await accountIam(account)).listLocalPolicies();
    if (!listed.ok) return listed;
    return ok(
      listed.value.map((policy) => ({
        arn: policy.arn,
        name: policy.name,
        type: 'customer' as const,
        path: policy.path,
        description: null,
      })),
    );
  });
}

function attachableAwsPolicies(): ManagedPolicySummary[] {
  return [...getAwsManagedPolicies().values()]
    .filter((policy) => policy.isAttachable)
    .map((policy) => ({
      arn: policy.arn,
      name: policy.policyName,
      type: 'aws' as const,
      path: policy.path,
      description: null,
    }));
}

/**
 * Managed policies the role may attach, filtered by every word of `q` in the name (case-
 * insensitive) and by `type`: an exact name first, then names starting with `q`, then the rest;
 * within each, customer managed ones of the account before AWS managed ones, by name; a page of `limit` (50) after `cursor` (keyset: the last ARN of the previous
 * page), with the cursor of the next page or null.
 */
export async function searchManagedPolicies(
  accountId: unknown,
  input: unknown,
  accountIam: AccountIam = provisionerIam,
): Promise<Result<{ policies: ManagedPolicySummary[]; total: number; nextCursor: string | null }>> {
  const target = await resolveTarget(accountId);
  if (!target.ok) return target;
  const parsed = searchPoliciesSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { q, type, cursor, limit } = parsed.data;
  const candidates: ManagedPolicySummary[] = [];
  if (type !== 'aws') {
    const customer = await listCustomerPolicies(target.value, accountIam);
    if (!customer.ok) return customer;
    candidates.push(...customer.value);
  }
  if (type !== 'customer') candidates.push(...attachableAwsPolicies());
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = candidates
    .filter((policy) =>
      words.every((word) => `${policy.name} ${policy.description ?? ''}`.toLowerCase().includes(word)),
    )
    .sort((a, b) => compareKeys(sortKey(a.arn, q), sortKey(b.arn, q)));
  const after = cursor ? sortKey(cursor, q) : null;
  const rest = after ? matches.filter((policy) => compareKeys(sortKey(policy.arn, q), after) > 0) : matches;
  const page = rest.slice(0, limit);
  return ok({
    policies: page,
    total: matches.length,
    nextCursor: rest.length > limit ? (page[page.length - 1]?.arn ?? null) : null,
  });
}

export interface ManagedPolicyDetails extends ManagedPolicySummary {
  /** The default version's document, as JSON text. */
  document: string;
  /** The console's policy summary: per service, the access levels granted (first {@link maxSummaryServices}). */
  access: {
    /** Without the granted action names and statements (AdministratorAccess would list every action). */
    services: Pick<
      ServiceAccess,
      'prefix' | 'name' | 'levels' | 'isFullAccess' | 'resources' | 'isConditional'
    >[];
    omittedServices: number;
    unrecognizedActions: string[];
  };
}

/** The access summary lists at most this many services (AdministratorAccess grants all ~400). */
export const maxSummaryServices = 50;

const policyRefSchema = z
  .string()
  .min(1, 'Enter a policy ARN or name')
  .max(2048, 'Policy ARN must be at most 2048 characters');

/**
 * One managed policy by ARN or name (an AWS managed one from the bundled data, a customer managed
 * one of the account through GetPolicy and GetPolicyVersion) with its document and access
 * summary. `not_found` for a policy of another account or one that does not exist.
 */
export async function getManagedPolicyDetails(
  accountId: unknown,
  arnOrName: unknown,
  accountIam: AccountIam = provisionerIam,
): Promise<Result<ManagedPolicyDetails>> {
  const target = await resolveTarget(accountId);
  if (!target.ok) return target;
  const parsed = policyRefSchema.safeParse(arnOrName);
  if (!parsed.success) return invalidInput(parsed.error, 'Check the policy.', { prefix: 'policy' });
  const ref = parsed.data;
  const missing = fail('not_found', `No managed policy ${ref} in this account.`);
  let summary: ManagedPolicySummary | undefined;
  let document: string | undefined;
  const awsPolicies = getAwsManagedPolicies();
  const aws = ref.startsWith('arn:')
    ? awsPolicies.get(ref)
    : [...awsPolicies.values()].find((policy) => policy.policyName === ref);
  if (aws) {
    summary = { arn: aws.arn, name: aws.policyName, type: 'aws', path: aws.path, description: null };
    document = aws.document;
  } else {
    const customer = await listCustomerPolicies(target.value, accountIam);
    if (!customer.ok) return customer;
    summary = customer.value.find((policy) =>
      ref.startsWith('arn:') ? policy.arn === ref : policy.name === ref,
    );
    if (!summary) return missing;
    const read = await customerPolicyDocument(target.value, summary.arn, accountIam);
    if (!read.ok) return read.code === 'not_found' ? missing : read;
    document = read.value;
  }
  const parsedDocument = parsePolicyDocument(document);
  const access: ManagedPolicyDetails['access'] = {
    services: [],
    omittedServices: 0,
    unrecognizedActions: [],
  };
  if (parsedDocument.ok) {
    const summarized = summarizeAccess(normalizePolicy(parsedDocument.value), await loadCatalogue());
    access.services = summarized.services
      .slice(0, maxSummaryServices)
      .map(({ prefix, name, levels, isFullAccess, resources, isConditional }) => ({
        prefix,
        name,
        levels,
        isFullAccess,
        resources,
        isConditional,
      }));
    access.omittedServices = Math.max(0, summarized.services.length - maxSummaryServices);
    access.unrecognizedActions = summarized.unrecognizedActions.slice(0, 50).map((item) => item.action);
  }
  return ok({ ...summary, document, access });
}

export type { IdentityProviderRef };

/** The account's OIDC and SAML identity providers (cached briefly). */
export async function listIdentityProviders(
  accountId: unknown,
  accountIam: AccountIam = provisionerIam,
): Promise<Result<{ providers: IdentityProviderRef[] }>> {
  const target = await resolveTarget(accountId);
  if (!target.ok) return target;
  const listed = await cachedRead(`providers:${target.value.id}`, accountListTtlMs, async () =>
    (await accountIam(target.value)).listIdentityProviders(),
  );
  return listed.ok ? ok({ providers: listed.value }) : listed;
}

/**
 * The default version's document of a customer managed policy of the account (GetPolicy, then
 * GetPolicyVersion), cached briefly: the wizard's preview reads it as the person types.
 */
export function customerPolicyDocument(
  account: TargetAccount,
  arn: string,
  accountIam: AccountIam = provisionerIam,
): Promise<Result<string>> {
  return cachedRead(`policy-document:${account.id}:${arn}`, accountListTtlMs, async () => {
    const iam = await accountIam(account);
    const policy = await iam.getPolicy(arn);
    if (!policy.ok) return policy;
    if (!policy.value.defaultVersionId) return fail('not_found', `No managed policy ${arn} in this account.`);
    return iam.getPolicyVersion(arn, policy.value.defaultVersionId);
  });
}

/**
 * How many managed policies a role of the account may have: the account's
 * `AttachedPoliciesPerRoleQuota` (GetAccountSummary, cached briefly), or IAM's default when it
 * cannot be read.
 */
export async function managedPoliciesQuota(
  account: TargetAccount,
  accountIam: AccountIam = provisionerIam,
): Promise<number> {
  // The default is kept too (a successful read of "unknown"), so that an account whose summary
  // cannot be read is not asked again on every keystroke.
  const read = await cachedRead(`quota:${account.id}`, accountListTtlMs, async () => {
    // An account that cannot be reached at all (no client) counts as one whose summary cannot be read.
    const summary = await accountIam(account)
      .then((iam) => iam.getAccountSummary())
      .catch(() => null);
    const quota = summary?.ok ? summary.value.attachedPoliciesPerRoleQuota : null;
    return ok(
      quota !== null && Number.isInteger(quota) && quota >= 1 && quota <= MAX_MANAGED_POLICIES_PER_ROLE
        ? quota
        : DEFAULT_MANAGED_POLICIES_PER_ROLE,
    );
  });
  return read.ok ? read.value : DEFAULT_MANAGED_POLICIES_PER_ROLE;
}

/**
 * {@link managedPoliciesQuota} of the account `accountId`, or IAM's default when it is no target
 * account: the one reading of the quota that the wizard's preview, the wizard's submit and
 * `lib/requests`' submission share, so that they agree on how many managed policies a role may have.
 */
export async function managedPoliciesQuotaOf(
  accountId: string,
  accountIam: AccountIam = provisionerIam,
): Promise<number> {
  const account = accountIdSchema.safeParse(accountId).success ? await getTargetAccount(accountId) : null;
  return account ? managedPoliciesQuota(account, accountIam) : DEFAULT_MANAGED_POLICIES_PER_ROLE;
}
