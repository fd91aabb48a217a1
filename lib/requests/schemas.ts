import { z } from 'zod';
import { isStorableText, unstorableTextMessage } from '@/lib/iam/storable-text';
import { roleNameSchema } from '@/lib/iam/role-spec';
import { accountIdSchema } from '@/lib/iam/trust-entity';
import { REQUEST_STATES } from '@/lib/requests/state-machine';

/**
 * Input schemas of the `lib/requests` functions. They accept what server actions pass (FormData
 * strings are coerced); a RoleSpec is parsed separately with `lib/iam`'s schema, so that its
 * errors come back keyed by RoleSpec field.
 */

const requestId = z.string({ error: 'Request id is required' }).uuid('Request id is not valid');
const version = z.coerce.number({ error: 'Version is required' }).int().min(1);
/** A decision's comment (or a cancellation's reason): at most 2000 characters PostgreSQL can store. */
const decisionText = (what: string) =>
  z
    .string()
    .trim()
    .max(2000, `${what} must be at most 2000 characters`)
    .refine(isStorableText, `${what} ${unstorableTextMessage}`);
export const justificationSchema = z
  .string({ error: 'Explain why the role is needed' })
  .trim()
  .min(1, 'Explain why the role is needed')
  .max(2000, 'Justification must be at most 2000 characters')
  .refine(isStorableText, `Justification ${unstorableTextMessage}`);

/** A spec as JSON text (from a form field) or as an object. */
const specInput = z.unknown().transform((value, ctx) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'The role specification is not valid JSON' });
    return z.NEVER;
  }
});

/** The most people a request may name as the role's users (besides the requester). */
export const maxRoleUsers = 20;

/**
 * The requester's justification of each security warning and risk flag, keyed by flag key
 * (`code@field#pointer`); blank ones are dropped.
 */
export const flagJustificationsSchema = z
  .record(
    z.string().max(2000, 'Flag key is too long').refine(isStorableText, `Flag key ${unstorableTextMessage}`),
    z
      .string()
      .trim()
      .max(2000, 'A justification must be at most 2000 characters')
      .refine(isStorableText, `A justification ${unstorableTextMessage}`),
  )
  .refine((record) => Object.keys(record).length <= 500, 'At most 500 justifications')
  .transform((record) => Object.fromEntries(Object.entries(record).filter(([, text]) => text !== '')));

/** The people besides the requester who will use the role: e-mail addresses, lower-cased, each once. */
/** E-mail addresses typed in one box: one per line (commas and semicolons also separate). */
export function splitRoleUsers(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

export const roleUsersSchema = z.preprocess(
  (value: unknown): unknown => (typeof value === 'string' ? splitRoleUsers(value) : value),
  z
    .array(
      z
        .string({ error: 'Enter an e-mail address' })
        .trim()
        .toLowerCase()
        .pipe(z.email('Enter a valid e-mail address, e.g. dana@example.com')),
    )
    .transform((list) => [...new Set(list)])
    .refine((list) => list.length <= maxRoleUsers, `Name at most ${maxRoleUsers} people`),
);

const requestExtras = {
  flagJustifications: flagJustificationsSchema.optional(),
  roleUsers: roleUsersSchema.optional(),
  /** A rejected request of the same requester this one starts again from. */
  fromRequestId: z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    requestId.optional(),
  ),
};

export const createDraftSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('create'),
    spec: specInput,
    justification: justificationSchema,
    ...requestExtras,
  }),
  z.object({
    kind: z.literal('change'),
    spec: specInput,
    justification: justificationSchema,
    ...requestExtras,
  }),
  z.object({
    kind: z.literal('delete'),
    accountId: accountIdSchema,
    roleName: roleNameSchema,
    justification: justificationSchema,
  }),
]);
export type CreateDraftInput = z.input<typeof createDraftSchema>;

export const submitRequestSchema = z.object({ requestId, expectedVersion: version.optional() });
export type SubmitRequestInput = z.input<typeof submitRequestSchema>;

export const updateRequestSchema = z.object({
  requestId,
  expectedVersion: version,
  spec: specInput.optional(),
  justification: justificationSchema.optional(),
  flagJustifications: flagJustificationsSchema.optional(),
  roleUsers: roleUsersSchema.optional(),
});
export type UpdateRequestInput = z.input<typeof updateRequestSchema>;

export const cancelRequestSchema = z.object({
  requestId,
  reason: decisionText('Reason').optional(),
});
export type CancelRequestInput = z.input<typeof cancelRequestSchema>;

/**
 * The keys an approver acknowledges (`flagKey`s): a list, as `formData.getAll('acknowledged')`
 * gives it, or one string. Never split on commas: a key may contain them (a field or pointer).
 * Empty strings are dropped (an empty hidden input).
 */
const acknowledgedKeys = z.preprocess(
  (value: unknown): unknown => {
    const list = value === undefined ? [] : typeof value === 'string' ? [value] : value;
    return Array.isArray(list) ? list.filter((key) => key !== '') : list;
  },
  z
    .array(
      z.string({ error: 'Each acknowledgement must be text' }).max(2048, 'An acknowledgement is too long'),
    )
    .max(1000, 'Too many acknowledgements'),
);

export const approveRequestSchema = z.object({
  requestId,
  /** SHA-256 of the specification the approver saw. */
  specSha256: z
    .string({ error: 'The approved specification is missing' })
    .regex(/^[0-9a-f]{64}$/, 'The approved specification hash is not valid'),
  /**
   * The version the approver loaded. An edit that keeps the spec (e.g. the justification) makes a
   * new version with the same hash: pass it so that such a change is refused too.
   */
  expectedVersion: version.optional(),
  comment: decisionText('Comment').default(''),
  /**
   * Keys (`flagKey(code, field, pointer)`) of the security warnings and critical or high risk
   * flags the approver acknowledges, one by one: see `acknowledgementItems` in assess.ts.
   */
  acknowledged: acknowledgedKeys,
});
export type ApproveRequestInput = z.input<typeof approveRequestSchema>;

export const rejectRequestSchema = z.object({
  requestId,
  comment: z
    .string({ error: 'Say why you reject the request' })
    .trim()
    .min(1, 'Say why you reject the request')
    .max(2000, 'Comment must be at most 2000 characters')
    .refine(isStorableText, `Comment ${unstorableTextMessage}`),
});
export type RejectRequestInput = z.input<typeof rejectRequestSchema>;

export const retryRequestSchema = z.object({
  requestId,
  comment: decisionText('Comment').optional(),
});
export type RetryRequestInput = z.input<typeof retryRequestSchema>;

export const listRequestsSchema = z.object({
  /** `mine`: my requests; `to_approve`: pending requests I may approve (not mine); `all`: everything I may see. */
  scope: z.enum(['mine', 'to_approve', 'all']).default('all'),
  state: z.enum(REQUEST_STATES as [string, ...string[]]).optional(),
  accountId: accountIdSchema.optional(),
  kind: z.enum(['create', 'change', 'delete']).optional(),
  /** Keyset cursor: the page after (older than) this token, from a previous page's `nextBefore`. */
  before: z.string().max(512).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListRequestsInput = z.input<typeof listRequestsSchema>;
