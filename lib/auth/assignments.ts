import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { authDb } from '@/lib/auth/db';
import {
  countAdminAssignmentsForUpdate,
  deleteAssignment,
  getAssignmentForUpdate,
  insertAssignment,
  listAssignmentAccountIds,
  listPortalRoleAssignments,
  type AssignmentRecord,
} from '@/lib/db/queries/auth';
import { transact } from '@/lib/db/transaction';
import { getEnv } from '@/lib/env';
import { fail, invalidInput, ok, type Result } from '@/lib/result';

/** A portal role granted to a person or to an identity-provider group. */
export type PortalRoleAssignment = AssignmentRecord;

const accountIdList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(/[\s,]+/)
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  )
  .refine((items) => items.every((item) => /^[0-9]{12}$/.test(item)), {
    message: 'Account ids are 12 digits each, separated by commas',
  });

export const grantAssignmentSchema = z
  .object({
    subjectKind: z.enum(['person', 'group'], { error: 'Choose a person or a group' }),
    subject: z
      .string()
      .trim()
      .min(1, 'Enter an e-mail address or a group name')
      .max(256, 'At most 256 characters'),
    role: z.enum(['approver', 'admin'], { error: 'Choose approver or admin' }),
    /** Empty: every account. Only for approvers. */
    accountIds: accountIdList,
  })
  .superRefine((input, context) => {
    if (input.subjectKind === 'person' && !/^[^@\s]+@[^@\s]+$/.test(input.subject)) {
      context.addIssue({
        code: 'custom',
        path: ['subject'],
        message: 'Enter an e-mail address such as alice@example.com',
      });
    }
    if (input.role === 'admin' && input.accountIds.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['accountIds'],
        message: 'Admins act on every account: leave this empty',
      });
    }
  });
export type GrantAssignmentInput = z.input<typeof grantAssignmentSchema>;

export const revokeAssignmentSchema = z.object({
  assignmentId: z.uuid({ error: 'Unknown assignment' }),
});
export type RevokeAssignmentInput = z.input<typeof revokeAssignmentSchema>;

function forbidden(): Result<never> {
  return fail('forbidden', 'Only admins manage portal roles.');
}

/** Lists every portal-role assignment, newest first. Admins only (`forbidden` otherwise). */
export async function listAssignments(principal: Principal): Promise<Result<PortalRoleAssignment[]>> {
  if (!principal.roles.admin) return forbidden();
  return ok(await listPortalRoleAssignments(await authDb()));
}

/**
 * Grants a portal role to a person (by e-mail, lower-cased) or to a group. Admins only. Returns
 * `invalid_input` with field errors for bad input, `conflict` when the same grant already exists.
 */
export async function grantAssignment(principal: Principal, input: unknown): Promise<Result<{ id: string }>> {
  if (!principal.roles.admin) return forbidden();
  const parsed = grantAssignmentSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const db = await authDb();
  const { subjectKind, role, accountIds } = parsed.data;
  const subject = subjectKind === 'person' ? parsed.data.subject.toLowerCase() : parsed.data.subject;
  const accounts = role === 'approver' && accountIds.length > 0 ? [...new Set(accountIds)].sort() : null;
  const existing = await listAssignmentAccountIds(db, { subjectKind, subject, role });
  if (existing.some((accountIds) => JSON.stringify(accountIds) === JSON.stringify(accounts))) {
    return fail('conflict', 'This role is already granted.');
  }
  const id = await insertAssignment(db, {
    subjectKind,
    subject,
    role,
    accountIds: accounts,
    grantedBy: principal.email,
  });
  return ok({ id });
}

/**
 * Revokes one assignment. Admins only. Takes effect on the affected people's next request.
 * Returns `not_found` for an unknown id and `conflict` when it would remove the last admin
 * assignment while no bootstrap admin exists (nobody would be left to manage the portal).
 */
export async function revokeAssignment(principal: Principal, input: unknown): Promise<Result<null>> {
  if (!principal.roles.admin) return forbidden();
  const parsed = revokeAssignmentSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const env = getEnv();
  const hasBootstrapAdmins = env.ROLESMITH_MODE === 'aws' && env.ROLESMITH_BOOTSTRAP_ADMINS.length > 0;
  const db = await authDb();
  return transact(db, async (tx) => {
    // Lock every admin assignment (in one order, so concurrent revokes cannot deadlock) before
    // counting them: two concurrent revokes of the last two would otherwise both count two.
    const admins = hasBootstrapAdmins ? null : await countAdminAssignmentsForUpdate(tx);
    const row = await getAssignmentForUpdate(tx, parsed.data.assignmentId);
    if (!row) return fail('not_found', 'This assignment no longer exists.');
    if (row.role === 'admin' && admins !== null && admins <= 1) {
      return fail('conflict', 'This is the last admin assignment: grant another admin first.');
    }
    await deleteAssignment(tx, row.id);
    return ok(null);
  });
}
