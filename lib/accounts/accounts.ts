import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import {
  deleteTargetAccount,
  getRequestCountForAccount,
  getTargetAccount as getTargetAccountRow,
  getTargetAccountIdByAlias,
  insertTargetAccounts,
  listTargetAccountDetails,
  listTargetAccounts as listTargetAccountRows,
  updateTargetAccount,
  type TargetAccount,
  type TargetAccountDetails,
} from '@/lib/db/queries/accounts';
import type { Db } from '@/lib/db/schema';
import { transact } from '@/lib/db/transaction';
import { CONSOLE_SWITCH_ROLE_COLORS, normalizeSwitchRoleColor } from '@/lib/iam/switch-role-palette';
import { accountIdSchema, externalIdSchema } from '@/lib/iam/trust-entity';
import { fail, invalidInput, ok, type Result } from '@/lib/result';

export type { TargetAccount, TargetAccountDetails };

export const targetAccountSchema = z.object({
  id: accountIdSchema,
  alias: z
    .string()
    .trim()
    .min(1, { error: 'Enter an alias', abort: true })
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
    // An earlier console colour (a form loaded before the palette changed) becomes today's.
    .transform(normalizeSwitchRoleColor)
    .pipe(
      z.enum(CONSOLE_SWITCH_ROLE_COLORS, {
        // The console's switch-role page shows only its own five colours; the link drops any other.
        error: `Choose one of the console's switch-role colours: ${CONSOLE_SWITCH_ROLE_COLORS.join(', ')}`,
      }),
    ),
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
  /**
   * `create` refuses an id that exists (the add form), `update` an id that does not (the edit
   * form); absent, the account is created or replaced.
   */
  intent: z.enum(['create', 'update']).optional(),
});

export type TargetAccountInput = z.input<typeof targetAccountSchema>;

export const removeTargetAccountSchema = z.object({ id: accountIdSchema });
export type RemoveTargetAccountInput = z.input<typeof removeTargetAccountSchema>;

const invalidFields = 'Check the highlighted fields.';

function forbidden(): Result<never> {
  return fail('forbidden', 'Only admins can change target accounts');
}

/** What every signed-in person may know of a target account (the wizard lists them). */
export type PublicTargetAccount = Pick<TargetAccount, 'id' | 'alias' | 'environment' | 'color'>;

/**
 * Every target account, by alias, without how Rolesmith reaches it (the provisioner role and its
 * external ID are for admins and `lib/aws` only): everyone signed in may see these.
 */
export async function listTargetAccounts(db?: Db): Promise<PublicTargetAccount[]> {
  const accounts = await listTargetAccountRows(db ?? (await getDb()));
  return accounts.map(({ id, alias, environment, color }) => ({ id, alias, environment, color }));
}

/** One target account, or null. */
export async function getTargetAccount(id: string, db?: Db): Promise<TargetAccount | null> {
  return getTargetAccountRow(db ?? (await getDb()), id);
}

/**
 * Every target account with how Rolesmith reaches it and how many requests name it, by alias.
 * Admins only: `forbidden` for others.
 */
export async function listTargetAccountsForAdmin(
  principal: Principal,
): Promise<Result<TargetAccountDetails[]>> {
  if (!principal.roles.admin) return forbidden();
  return ok(await listTargetAccountDetails(await getDb()));
}

/** One target account for the edit form. Admins only: `forbidden` for others, `not_found` for an unknown id. */
export async function getTargetAccountForAdmin(
  principal: Principal,
  id: string,
): Promise<Result<TargetAccount>> {
  if (!principal.roles.admin) return forbidden();
  const parsed = accountIdSchema.safeParse(id);
  const account = parsed.success ? await getTargetAccountRow(await getDb(), parsed.data) : null;
  return account ? ok(account) : fail('not_found', `Account ${id} is not a target account`);
}

/**
 * Creates or updates a target account (admins only). Returns `forbidden` for others,
 * `invalid_input` with field errors (also when the provisioner role is in another account than
 * the target), `conflict` when the alias belongs to another account or, with intent `create`,
 * when the account exists already, and `not_found` with intent `update` for an unknown account.
 * Nothing is written unless it returns ok.
 */
export async function saveTargetAccount(
  principal: Principal,
  input: unknown,
): Promise<Result<TargetAccount>> {
  if (!principal.roles.admin) return forbidden();
  const parsed = targetAccountSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, invalidFields);
  const { intent, ...account } = parsed.data;
  const roleAccount = account.provisionerRoleArn?.split(':')[4];
  if (roleAccount !== undefined && roleAccount !== account.id) {
    return fail('invalid_input', invalidFields, {
      provisionerRoleArn: [
        `The provisioner role must be in account ${account.id} (this ARN is in account ${roleAccount})`,
      ],
    });
  }
  if (account.externalId !== null && account.provisionerRoleArn === null) {
    return fail('invalid_input', invalidFields, {
      externalId: ['An external ID is only used with a provisioner role: enter the role ARN or clear this'],
    });
  }
  return transact(await getDb(), async (tx) => {
    const clash = await getTargetAccountIdByAlias(tx, account.alias, account.id);
    if (clash) {
      return fail('conflict', `Alias ${account.alias} is already used by account ${clash}`, {
        alias: ['Choose another alias'],
      });
    }
    if (intent !== 'update') {
      const [inserted] = await insertTargetAccounts(tx, [account]);
      if (inserted) return ok(inserted);
      if (intent === 'create') {
        return fail('conflict', `Account ${account.id} is already a target account; edit it instead`, {
          id: ['This account is already in the list'],
        });
      }
    }
    const updated = await updateTargetAccount(tx, account);
    return updated
      ? ok(updated)
      : fail('not_found', `Account ${account.id} is no longer a target account; add it again`);
  });
}

/**
 * Removes a target account that no request names (admins only). Returns `forbidden` for others,
 * `not_found` for an unknown account, and `conflict` when requests name it (their history and
 * the roles provisioned there must stay attributable).
 */
export async function removeTargetAccount(principal: Principal, input: unknown): Promise<Result<null>> {
  if (!principal.roles.admin) return forbidden();
  const parsed = removeTargetAccountSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, 'Unknown account');
  const { id } = parsed.data;
  return transact(await getDb(), async (tx) => {
    // Locking the account keeps a request from being submitted for it until this commits.
    const account = await getTargetAccountRow(tx, id, { lock: true });
    if (!account) return fail('not_found', `Account ${id} is not a target account`);
    const requests = await getRequestCountForAccount(tx, id);
    if (requests > 0) {
      return fail(
        'conflict',
        `${account.alias} cannot be removed: ${requests} request${requests === 1 ? ' names' : 's name'} it. Accounts with requests stay for the audit trail.`,
      );
    }
    await deleteTargetAccount(tx, id);
    return ok(null);
  });
}
