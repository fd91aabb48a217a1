import 'server-only';
import { z } from 'zod';
import { canApproveFor, type Principal } from '@/lib/auth/principal';
import { iamForAccount } from '@/lib/provisioning/account-iam';
import type { SubmissionReadOptions } from '@/lib/requests/account-policies';
import { checkRoleDrift, type IamFor } from '@/lib/requests/drift';
import type { RoleRequest } from '@/lib/requests/model';
import { createAndSubmitChangeFromLive, createAndSubmitChangePlannedFromLive } from '@/lib/requests/requests';
import { getRoleSummary, type RoleSummary } from '@/lib/requests/roles';
import { accountIdSchema } from '@/lib/iam/trust-entity';
import { roleNameSchema, type RoleSpec } from '@/lib/iam/role-spec';
import { fail, invalidInput, ok, type Result } from '@/lib/result';

/**
 * The two change requests the drift section offers: an approver's *Restore what Rolesmith
 * recorded* (the recorded spec, planned from the live role as read, so that provisioning makes
 * exactly the calls that undo the drift) and an owner's *Adopt the live state* (the live role as the
 * new record, its diff from the record, planned from the live role: no IAM write, only the verifying
 * reads).
 */

const driftRequestSchema = z.object({
  accountId: accountIdSchema,
  roleName: roleNameSchema,
  justification: z.string().trim().max(2000).optional(),
});

interface DriftRequestOptions extends SubmissionReadOptions {
  iamFor?: IamFor;
}

/** The role's drift, read now: the live role when it drifted and still exists; a refusal otherwise. */
async function driftedLive(
  principal: Principal,
  accountId: string,
  roleName: string,
  iamFor: IamFor,
): Promise<Result<{ live: RoleSpec }>> {
  const check = await checkRoleDrift(principal, accountId, roleName, iamFor);
  if (!check.ok) return check;
  const drift = check.value;
  if (drift.state === 'unknown') return fail('conflict', drift.reason);
  if (drift.state === 'matches')
    return fail(
      'conflict',
      'The role matches what Rolesmith recorded: there is nothing to restore or adopt.',
    );
  if (drift.live === null)
    return fail(
      'conflict',
      'The role was deleted outside Rolesmith: a change cannot bring it back. Request a new role instead.',
    );
  return ok({ live: drift.live });
}

/**
 * The input parsed, the role the principal may see (`not_found` otherwise; for a restore, an
 * approver of its account, `forbidden` otherwise) and its live state, read now.
 */
async function loadDrifted(
  principal: Principal,
  input: unknown,
  options: DriftRequestOptions,
  isRestore: boolean,
): Promise<Result<{ role: RoleSummary; live: RoleSpec; justification: string | undefined }>> {
  const parsed = driftRequestSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { accountId, roleName, justification } = parsed.data;
  if (isRestore && !canApproveFor(principal, accountId))
    return fail('forbidden', 'Only approvers for the role’s account can restore it');
  const role = await getRoleSummary(principal, accountId, roleName);
  if (!role.ok) return role;
  const drifted = await driftedLive(principal, accountId, roleName, options.iamFor ?? iamForAccount);
  if (!drifted.ok) return drifted;
  return ok({ role: role.value, live: drifted.value.live, justification });
}

/**
 * An approver's restore: a change request whose spec is the role as recorded and whose base is the
 * live role as read. Approvers for the role's account and admins only (`forbidden` otherwise); the
 * role's users stay those of its record.
 */
export async function requestDriftRestore(
  principal: Principal,
  input: unknown,
  options: DriftRequestOptions = {},
): Promise<Result<RoleRequest>> {
  const drifted = await loadDrifted(principal, input, options, true);
  if (!drifted.ok) return drifted;
  const { role, live, justification } = drifted.value;
  return createAndSubmitChangeFromLive(
    principal,
    {
      kind: 'change',
      spec: role.spec,
      justification: justification || 'Restore what Rolesmith recorded (undo the drift)',
      roleUsers: role.roleUsers,
    },
    live,
    options,
  );
}

/**
 * An owner's adoption: a change request whose spec is the live role as read (the record catches
 * up with IAM), shown as a diff from the record and planned from the live role, so that
 * provisioning writes nothing. Whoever may see the role (`not_found` otherwise).
 */
export async function requestDriftAdopt(
  principal: Principal,
  input: unknown,
  options: DriftRequestOptions = {},
): Promise<Result<RoleRequest>> {
  const drifted = await loadDrifted(principal, input, options, false);
  if (!drifted.ok) return drifted;
  const { role, live, justification } = drifted.value;
  return createAndSubmitChangePlannedFromLive(
    principal,
    {
      kind: 'change',
      spec: live,
      justification: justification || 'Adopt the live state of the role as Rolesmith’s record',
      roleUsers: role.roleUsers,
    },
    live,
    options,
  );
}
