import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import { getDb } from '@/lib/db/client';
import { getUser } from '@/lib/db/queries/auth';
import {
  listRoleListRecords,
  type RoleListRecord,
  type RoleListVisibility,
} from '@/lib/db/queries/roles-list';
import type { Db } from '@/lib/db/schema';
import { trustedEntitySchema, type TrustedEntity } from '@/lib/iam/trust-entity';
import { invalidInput, ok, type Result } from '@/lib/result';
import { decodeKeysetCursor, encodeKeysetCursor } from '@/lib/search-params';

/** The trusted entity types a role can be filtered by (the wizard's cards). */
export const TRUSTED_ENTITY_TYPES = ['aws_account', 'aws_service', 'web_identity', 'saml', 'custom'] as const;
export type TrustedEntityType = (typeof TRUSTED_ENTITY_TYPES)[number];

/** The drift filter: the last check's outcome, or no check of the role as recorded yet. */
export const DRIFT_FILTERS = ['drifted', 'matches', 'unknown', 'unchecked'] as const;
export type DriftFilter = (typeof DRIFT_FILTERS)[number];

/** An empty or absent search parameter means "no filter". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    const text: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
    return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
  }, schema.optional());

/** The roles list's filters and page, as they come from the URL's search parameters. */
export const roleListQuerySchema = z.object({
  account: optional(z.string().regex(/^\d{12}$/, 'Choose an account from the list')),
  type: optional(z.enum(TRUSTED_ENTITY_TYPES, { error: 'Choose a trusted entity type from the list' })),
  owner: optional(z.string().max(256, 'At most 256 characters')),
  drift: optional(z.enum(DRIFT_FILTERS, { error: 'Choose a drift state from the list' })),
  /** Keyset cursor: the last role of the previous page. */
  after: optional(z.string().max(1024)),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type RoleListQuery = z.input<typeof roleListQuerySchema>;

/** A role in the list. */
export interface RoleListItem extends Omit<RoleListRecord, 'trustedEntity' | 'id'> {
  /** The record's trusted entity, or `null` if it no longer parses (shown as unknown). */
  trustedEntity: TrustedEntity | null;
}

export interface RoleListPage {
  roles: RoleListItem[];
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: string | null;
}

/** As `canViewRole` (lib/requests/roles.ts): a role user is matched on the person's verified e-mail. */
async function visibility(db: Db, principal: Principal): Promise<RoleListVisibility> {
  if (principal.roles.admin || principal.roles.approver === 'all') return 'all';
  const user = await getUser(db, principal.id);
  return {
    requesterId: principal.id,
    verifiedEmail: user?.emailVerified ? user.email : null,
    accountIds: principal.roles.approver ?? [],
  };
}

/**
 * The live roles Rolesmith provisioned that the principal may see — those they own (requested
 * first; a later change by someone else does not move them), those they were named a user of (on their verified e-mail), and, for approvers and admins, those of their accounts — across
 * accounts, by name, filtered by account, trusted entity type, owner (the owner or a role user) and
 * drift (the last check of the role as recorded), one keyset page at a time. `invalid_input` with
 * field errors keyed `account`, `type`, `owner`, `drift` for bad filters; a cursor that does not
 * decode gives the first page.
 */
export async function listRoles(principal: Principal, input: unknown = {}): Promise<Result<RoleListPage>> {
  const parsed = roleListQuerySchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, 'Check the filters.');
  const { account, type, owner, drift, after, pageSize } = parsed.data;
  const cursor = after ? decodeKeysetCursor(after) : null;
  const db = await getDb();
  const records = await listRoleListRecords(db, {
    visibleTo: await visibility(db, principal),
    filters: { accountId: account, entityType: type, owner, drift },
    after: cursor ? { name: String(cursor[0]), id: cursor[1] } : null,
    limit: pageSize + 1,
  });
  const page = records.slice(0, pageSize);
  const last = page.at(-1);
  return ok({
    roles: page.map(({ id: _id, trustedEntity, ...record }) => {
      const entity = trustedEntitySchema.safeParse(trustedEntity);
      return { ...record, trustedEntity: entity.success ? entity.data : null };
    }),
    nextAfter:
      records.length > pageSize && last ? encodeKeysetCursor(last.roleName.toLowerCase(), last.id) : null,
  });
}
