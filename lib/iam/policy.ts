import { z } from 'zod';
import { fail, ok, type Result } from '@/lib/result';

/**
 * The IAM policy document model: zod schemas that accept documents exactly as IAM does, keeping
 * the author's forms (a string or an array, one statement or a list), and a normaliser that gives
 * the array form every analysis works on.
 *
 * Grammar: IAM User Guide, "Grammar of the IAM JSON policy language"
 * (reference_policies_grammar) and "IAM JSON policy element reference".
 */

/** The two Version values IAM knows; an absent Version means `2008-10-17` for evaluation. */
export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;
export type PolicyVersion = (typeof POLICY_VERSIONS)[number];

/** The principal types a policy may name inside `Principal`/`NotPrincipal`. */
export const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** A value the author may write as one string or a list of strings. */
export const stringOrStringsSchema = z.union([z.string(), z.array(z.string())]);
export type StringOrStrings = z.infer<typeof stringOrStringsSchema>;

/**
 * `Principal`: `"*"` or an object naming one or more principal types, each a string or a list.
 * IAM rejects an empty principal object, and principal types other than the four known ones.
 */
export const principalSchema = z.union([
  z.literal('*'),
  z
    .strictObject({
      AWS: stringOrStringsSchema.optional(),
      Service: stringOrStringsSchema.optional(),
      Federated: stringOrStringsSchema.optional(),
      CanonicalUser: stringOrStringsSchema.optional(),
    })
    .refine(
      (value) => Object.keys(value).length > 0,
      'Name at least one principal type (AWS, Service, Federated or CanonicalUser).',
    ),
]);
export type Principal = z.infer<typeof principalSchema>;

/**
 * A condition value as written. IAM accepts JSON strings, numbers and booleans
 * (`"Bool": {"aws:SecureTransport": false}`), alone or in a list.
 */
export const conditionValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);
export type ConditionValue = z.infer<typeof conditionValueSchema>;

/** `Condition`: operator → condition key → value or values. */
export const conditionBlockSchema = z.record(z.string(), z.record(z.string(), conditionValueSchema));
export type ConditionBlock = z.infer<typeof conditionBlockSchema>;

/** One statement as IAM accepts it. `Effect` is case-sensitive (IAM's legacy parser rejects `allow`). */
export const policyStatementSchema = z
  .strictObject({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Principal: principalSchema.optional(),
    NotPrincipal: principalSchema.optional(),
    Action: stringOrStringsSchema.optional(),
    NotAction: stringOrStringsSchema.optional(),
    Resource: stringOrStringsSchema.optional(),
    NotResource: stringOrStringsSchema.optional(),
    Condition: conditionBlockSchema.optional(),
  })
  .superRefine((statement, context) => {
    const exclusive = [
      ['Principal', 'NotPrincipal'],
      ['Action', 'NotAction'],
      ['Resource', 'NotResource'],
    ] as const;
    for (const [a, b] of exclusive) {
      if (statement[a] !== undefined && statement[b] !== undefined) {
        context.addIssue({
          code: 'custom',
          path: [b],
          message: `Use either ${a} or ${b} in a statement, not both.`,
        });
      }
    }
    if (statement.Action === undefined && statement.NotAction === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['Action'],
        message: 'Add an Action (or NotAction) to the statement.',
      });
    }
  });
export type PolicyStatement = z.infer<typeof policyStatementSchema>;

/**
 * A policy document as IAM accepts it. Only `Version`, `Id` and `Statement` may appear at the
 * top level; `Statement` is one statement object or a non-empty list of them.
 */
export const policyDocumentSchema = z.strictObject({
  Version: z.enum(POLICY_VERSIONS).optional(),
  Id: z.string().optional(),
  Statement: z.union([
    policyStatementSchema,
    z.array(policyStatementSchema).min(1, 'Add at least one statement.'),
  ]),
});
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

/** Principals in array form; `'*'` stands for `"Principal": "*"` (everyone). */
export type NormalizedPrincipal =
  { AWS: string[]; Service: string[]; Federated: string[]; CanonicalUser: string[] } | '*';

/** One condition test: `operator` as written (with any `ForAllValues:` prefix and `IfExists` suffix). */
export interface NormalizedCondition {
  operator: string;
  key: string;
  /** Values as strings (IAM compares the JSON literals `true` and `10` as the strings `"true"`, `"10"`). */
  values: string[];
}

/** One statement in array form. Absent elements stay `undefined` so that `Action` and `NotAction` stay apart. */
export interface NormalizedStatement {
  /** Position of the statement in the document (0 when `Statement` is a single object). */
  index: number;
  sid: string | undefined;
  effect: 'Allow' | 'Deny';
  principal: NormalizedPrincipal | undefined;
  notPrincipal: NormalizedPrincipal | undefined;
  action: string[] | undefined;
  notAction: string[] | undefined;
  resource: string[] | undefined;
  notResource: string[] | undefined;
  conditions: NormalizedCondition[];
}

export interface NormalizedPolicy {
  version: PolicyVersion | undefined;
  id: string | undefined;
  statements: NormalizedStatement[];
}

function toArray(value: StringOrStrings | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : [...value];
}

/** Normalises a `Principal`/`NotPrincipal` value to the array form. */
export function normalizePrincipal(principal: Principal | undefined): NormalizedPrincipal | undefined {
  if (principal === undefined) return undefined;
  if (principal === '*') return '*';
  return {
    AWS: toArray(principal.AWS) ?? [],
    Service: toArray(principal.Service) ?? [],
    Federated: toArray(principal.Federated) ?? [],
    CanonicalUser: toArray(principal.CanonicalUser) ?? [],
  };
}

/** Normalises a `Condition` block into a flat list of tests, in document order. */
export function normalizeConditions(block: ConditionBlock | undefined): NormalizedCondition[] {
  const conditions: NormalizedCondition[] = [];
  if (block === undefined) return conditions;
  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, value] of Object.entries(keys)) {
      const list = Array.isArray(value) ? value : [value];
      conditions.push({ operator, key, values: list.map((item) => String(item)) });
    }
  }
  return conditions;
}

/**
 * Gives the array form of a parsed policy document for analysis: every string-or-list element
 * becomes a list, `Statement` becomes a list whose items keep their original index, principals get
 * all four types, and conditions become `{ operator, key, values }` tests. Never fails on a
 * document that passed `policyDocumentSchema`.
 */
export function normalizePolicy(document: PolicyDocument): NormalizedPolicy {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return {
    version: document.Version,
    id: document.Id,
    statements: statements.map((statement, index) => ({
      index,
      sid: statement.Sid,
      effect: statement.Effect,
      principal: normalizePrincipal(statement.Principal),
      notPrincipal: normalizePrincipal(statement.NotPrincipal),
      action: toArray(statement.Action),
      notAction: toArray(statement.NotAction),
      resource: toArray(statement.Resource),
      notResource: toArray(statement.NotResource),
      conditions: normalizeConditions(statement.Condition),
    })),
  };
}

/**
 * Parses policy text into the author's form. Returns `invalid_input` with a message naming the
 * first problem when the text is not JSON or not a document IAM would accept structurally; use
 * `validatePolicy` for positioned findings.
 */
export function parsePolicyDocument(text: string): Result<PolicyDocument> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(
      'invalid_input',
      `The policy is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = policyDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return fail('invalid_input', `${issue?.message ?? 'The policy document is not valid'}${where}.`);
  }
  return ok(parsed.data);
}
