import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import type { Db } from '@/lib/db/schema';
import type { TargetAccountRow } from '@/lib/db/tables/core';
import { accountIdSchema, externalIdSchema } from '@/lib/iam/trust-entity';
import { fail, ok, type Result } from '@/lib/result';

/** An AWS account in which Rolesmith creates roles. */
export interface TargetAccount {
  id: string;
  alias: string;
  environment: string;
  /** Switch-role colour, six hex digits without `#`. */
  color: string;
  /** aws mode: the role Rolesmith assumes there (null: the portal's own account, or sandbox mode). */
  provisionerRoleArn: string | null;
  externalId: string | null;
}

export const targetAccountSchema = z.object({
  id: accountIdSchema,
  alias: z
    .string()
    .trim()
    .min(1, 'Enter an alias')
    .max(63, 'Alias must be at most 63 characters')
    .regex(
      /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
      'Alias may contain only lower-case letters, digits and hyphens',
    ),
  environment: z
    .string()
    .trim()
    .min(1, 'Enter the environment, e.g. production')
    .max(40, 'Environment must be at most 40 characters'),
  color: z
    .string()
    .trim()
    .transform((value) => value.replace(/^#/, '').toUpperCase())
    .pipe(z.string().regex(/^[0-9A-F]{6}$/, 'Colour must be six hex digits, e.g. F2B0A9')),
  provisionerRoleArn: z
    .string()
    .trim()
    .regex(
      /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@/-]+$/,
      'Provisioner role must be a role ARN such as arn:aws:iam::444455556666:role/RolesmithProvisioner',
    )
    .nullable()
    .default(null)
    .or(z.literal('').transform(() => null)),
  externalId: externalIdSchema
    .nullable()
    .default(null)
    .or(z.literal('').transform(() => null)),
});

export type TargetAccountInput = z.input<typeof targetAccountSchema>;

function toTargetAccount(row: TargetAccountRow): TargetAccount {
  return {
    id: row.id,
    alias: row.alias,
    environment: row.environment,
    color: row.color,
    provisionerRoleArn: row.provisioner_role_arn,
    externalId: row.external_id,
  };
}

/** Every target account, by alias. Everyone signed in may see them (the wizard lists them). */
export async function listTargetAccounts(db?: Db): Promise<TargetAccount[]> {
  const rows = await (db ?? (await getDb()))
    .selectFrom('target_accounts')
    .selectAll()
    .orderBy('alias')
    .execute();
  return rows.map(toTargetAccount);
}

/** One target account, or null. */
export async function getTargetAccount(id: string, db?: Db): Promise<TargetAccount | null> {
  const row = await (db ?? (await getDb()))
    .selectFrom('target_accounts')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toTargetAccount(row) : null;
}

/**
 * Creates or updates a target account (admins only). Returns `forbidden` for others,
 * `invalid_input` with field errors (also when the provisioner role is in another account than
 * the target), or `conflict` when the alias belongs to another account.
 */
export async function saveTargetAccount(
  principal: Principal,
  input: unknown,
): Promise<Result<TargetAccount>> {
  if (!principal.roles.admin) return fail('forbidden', 'Only admins can change target accounts');
  const parsed = targetAccountSchema.safeParse(input);
  if (!parsed.success) {
    return fail('invalid_input', 'Check the highlighted fields.', z.flattenError(parsed.error).fieldErrors);
  }
  const account = parsed.data;
  const roleAccount = account.provisionerRoleArn?.split(':')[4];
  if (roleAccount !== undefined && roleAccount !== account.id) {
    return fail('invalid_input', 'Check the highlighted fields.', {
      provisionerRoleArn: [
        `The provisioner role must be in account ${account.id} (this ARN is in account ${roleAccount})`,
      ],
    });
  }
  const db = await getDb();
  const clash = await db
    .selectFrom('target_accounts')
    .select('id')
    .where('alias', '=', account.alias)
    .where('id', '!=', account.id)
    .executeTakeFirst();
  if (clash)
    return fail('conflict', `Alias ${account.alias} is already used by account ${clash.id}`, {
      alias: ['Choose another alias'],
    });
  const row = await db
    .insertInto('target_accounts')
    .values({
      id: account.id,
      alias: account.alias,
      environment: account.environment,
      color: account.color,
      provisioner_role_arn: account.provisionerRoleArn,
      external_id: account.externalId,
    })
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet({
        alias: account.alias,
        environment: account.environment,
        color: account.color,
        provisioner_role_arn: account.provisionerRoleArn,
        external_id: account.externalId,
        updated_at: new Date(),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return ok(toTargetAccount(row));
}
