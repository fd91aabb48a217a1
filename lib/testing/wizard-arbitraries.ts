import fc from 'fast-check';
import type { RoleSpecInput } from '@/lib/iam/role-spec';
import { emptyWizardState, type WizardState } from '@/lib/wizard/state';

/**
 * fast-check arbitraries for the create-role wizard's robustness tests (Vitest and Playwright):
 * valid wizard states and role specs as the sandbox accepts them, and mutators that break one
 * thing about a valid input (wrong type, empty, oversized, odd characters, unknown or prototype
 * keys, deep nesting, huge arrays). Test-only; client-safe imports only.
 */

/** The sandbox's target accounts (lib/sandbox/seed-data.ts). */
export const TARGET_ACCOUNTS = ['111122223333', '444455556666', '777788889999'] as const;
/** Northwind: an outside account the default guardrails allow roles to trust. */
export const TRUSTED_OUTSIDE_ACCOUNT = '123456789012';

const PRESET_IDS = ['ec2', 'lambda', 'lambda-edge', 'ecs-tasks', 'glue', 'codebuild', 'backup'] as const;
const AWS_MANAGED = [
  'arn:aws:iam::aws:policy/ReadOnlyAccess',
  'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  'arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess',
  'arn:aws:iam::aws:policy/AWSLambda_ReadOnlyAccess',
  'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
] as const;
const READ_ACTIONS = [
  's3:GetObject',
  's3:ListBucket',
  'lambda:ListFunctions',
  'lambda:ListTags',
  'lambda:InvokeFunction',
  'lambda:UpdateFunctionCode',
  'logs:GetLogEvents',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'sqs:ReceiveMessage',
  'cloudwatch:GetMetricData',
] as const;

const iamNameChars = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-'.split(''),
);
const iamName = (maxLength: number) => fc.string({ unit: iamNameChars, minLength: 1, maxLength });
const lowerWord = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')),
  minLength: 1,
  maxLength: 12,
});
const accountId = fc.constantFrom(...TARGET_ACCOUNTS);
const tagChars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 _.:/=+-@'.split(''));

/** A valid identity policy document (pretty-printed or compact). */
export const identityPolicyDocument: fc.Arbitrary<string> = fc
  .record({
    statements: fc.array(
      fc.record({
        actions: fc.uniqueArray(fc.constantFrom(...READ_ACTIONS), { minLength: 1, maxLength: 4 }),
        resource: fc.constant('*'),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    pretty: fc.boolean(),
  })
  .map(({ statements, pretty }) =>
    JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: statements.map((statement) => ({
          Effect: 'Allow',
          Action: statement.actions,
          Resource: statement.resource,
        })),
      },
      null,
      pretty ? 2 : undefined,
    ),
  );

/** A valid trust policy document (an account principal, or a service). */
export const trustPolicyDocument: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...TARGET_ACCOUNTS, TRUSTED_OUTSIDE_ACCOUNT).map((account) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
      ],
    }),
  ),
  fc.constantFrom('ec2.amazonaws.com', 'lambda.amazonaws.com').map((service) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
    }),
  ),
);

const tags = fc.uniqueArray(
  fc.record({
    key: fc.string({ unit: tagChars, minLength: 1, maxLength: 20 }).filter((key) => {
      const lower = key.toLowerCase();
      // As typed in a text box: no blanks around it (the wizard trims them).
      return key.trim() === key && !lower.startsWith('aws:') && !lower.startsWith('rolesmith:');
    }),
    value: fc.string({ unit: tagChars, maxLength: 30 }).map((value) => value.trim()),
  }),
  { maxLength: 5, selector: (tag) => tag.key.toLowerCase() },
);

/** A valid wizard state: one card filled in as a person would, the others as they were left. */
export const validWizardState: fc.Arbitrary<WizardState> = fc
  .record({
    accountId,
    entity: fc.constantFrom('aws_account', 'aws_service', 'web_identity', 'saml', 'custom' as const),
    awsAccount: fc.record({
      which: fc.constantFrom('this' as const, 'other' as const),
      accountId: fc.constantFrom(...TARGET_ACCOUNTS, TRUSTED_OUTSIDE_ACCOUNT),
      requireExternalId: fc.boolean(),
      externalId: fc.string({ unit: iamNameChars, minLength: 2, maxLength: 40 }),
      requireMfa: fc.boolean(),
    }),
    awsService: fc.record({
      presetIds: fc.uniqueArray(fc.constantFrom(...PRESET_IDS), { minLength: 1, maxLength: 2 }),
      otherPrincipals: fc.constantFrom('', 'states.amazonaws.com', 'events.amazonaws.com\nsns.amazonaws.com'),
      tagSession: fc.boolean(),
    }),
    provider: fc.constantFrom('cognito', 'amazon', 'facebook', 'google', 'oidc', 'github_actions' as const),
    poolSuffix: fc.uuid(),
    appId: lowerWord,
    organization: fc.string({
      unit: iamNameChars.filter((c) => /[A-Za-z0-9_.-]/.test(c)),
      minLength: 1,
      maxLength: 20,
    }),
    repository: fc.constantFrom('', 'app', 'infra.repo'),
    branch: fc.constantFrom('', 'main', 'release/1.0'),
    samlAccess: fc.constantFrom('console' as const, 'programmatic' as const),
    customDocument: trustPolicyDocument,
    managedPolicyArns: fc.uniqueArray(fc.constantFrom(...AWS_MANAGED), { maxLength: 3 }),
    customPolicies: fc.uniqueArray(
      fc.record({
        id: fc.uuid(),
        kind: fc.constantFrom('inline' as const, 'managed' as const),
        name: iamName(40),
        description: fc.string({ unit: tagChars, maxLength: 40 }),
        document: identityPolicyDocument,
        editor: fc.constantFrom('visual' as const, 'json' as const),
      }),
      { maxLength: 3, selector: (policy) => policy.name.toLowerCase() },
    ),
    name: iamName(50),
    description: fc.string({ unit: tagChars, maxLength: 60 }),
    maxSessionHours: fc.integer({ min: 1, max: 12 }).map(String),
    tags,
    justification: fc
      .string({ unit: tagChars, minLength: 1, maxLength: 80 })
      .filter((text) => text.trim() !== ''),
  })
  .map((picked) => {
    const state = emptyWizardState(picked.accountId);
    const account = picked.accountId;
    state.entity = picked.entity;
    state.awsAccount = picked.awsAccount;
    state.awsService = picked.awsService;
    state.webIdentity = {
      ...state.webIdentity,
      provider: picked.provider,
      identityPoolId: `us-east-1:${picked.poolSuffix}`,
      appId: picked.appId,
      audience: picked.appId,
      providerArn:
        picked.provider === 'oidc' || picked.provider === 'github_actions'
          ? `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`
          : '',
      audiences: 'sts.amazonaws.com',
      subjects: `repo:${picked.organization}/app:ref:refs/heads/main`,
      organization: picked.organization,
      repository: picked.repository,
      branch: picked.branch,
    };
    state.saml = {
      providerArn: `arn:aws:iam::${account}:saml-provider/AcmeOkta`,
      access: picked.samlAccess,
      attributeConditions:
        picked.samlAccess === 'programmatic' ? [{ key: 'SAML:sub', value: 'alice@acme.example' }] : [],
    };
    state.custom = { document: picked.customDocument };
    state.managedPolicyArns = picked.managedPolicyArns;
    state.customPolicies = picked.customPolicies;
    state.name = picked.name;
    state.description = picked.description;
    state.maxSessionHours = picked.maxSessionHours;
    state.tags = picked.tags;
    state.justification = picked.justification;
    return state;
  });

let uniqueCounter = 0;
/** A name no other generated spec of this process has (open requests claim their role name). */
export function uniqueRoleName(stem: string): string {
  uniqueCounter += 1;
  return `${stem.slice(0, 40)}-${process.pid}-${uniqueCounter}`.slice(0, 64);
}

/** A valid `RoleSpec` input for a sandbox target account under the default guardrails. */
export const validRoleSpec: fc.Arbitrary<RoleSpecInput> = fc
  .record({
    accountId,
    stem: iamName(30),
    description: fc.string({ unit: tagChars, maxLength: 60 }),
    trust: fc.oneof(
      fc.record({
        type: fc.constant('aws_account' as const),
        accountId: fc.constantFrom(...TARGET_ACCOUNTS, TRUSTED_OUTSIDE_ACCOUNT),
        requireMfa: fc.boolean(),
      }),
      fc.record({
        type: fc.constant('aws_service' as const),
        services: fc.uniqueArray(
          fc.constantFrom('ec2.amazonaws.com', 'lambda.amazonaws.com', 'glue.amazonaws.com'),
          {
            minLength: 1,
            maxLength: 2,
          },
        ),
        tagSession: fc.boolean(),
      }),
    ),
    maxSessionDuration: fc.integer({ min: 3600, max: 43200 }),
    managedPolicyArns: fc.uniqueArray(fc.constantFrom(...AWS_MANAGED), { maxLength: 3 }),
    inlinePolicies: fc.uniqueArray(fc.record({ name: iamName(40), document: identityPolicyDocument }), {
      maxLength: 2,
      selector: (policy) => policy.name,
    }),
    tags,
  })
  .map(({ stem, trust, ...rest }) => ({ ...rest, name: uniqueRoleName(stem), trustedEntity: trust }));

// ---------------------------------------------------------------------------------------------
// Mutators
// ---------------------------------------------------------------------------------------------

type Json = unknown;
export type Path = (string | number)[];

/** Characters and strings that break naive handling: NUL, lone surrogates, bidi, markup, emoji. */
export const oddStrings = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil',
  '\u200b',
  '\ufeff',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  "'; drop table requests; --",
  '%00',
  '\r\n',
  '\t',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '🙂',
  '👩‍👩‍👧‍👦',
  'ǅ Ⅻ é',
  ' ',
  '',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '0',
  '-1',
  '12',
  '1e309',
  'NaN',
  '0x10',
  '１２',
] as const;

/** A string of 10,000 to 300,000 UTF-16 units of one repeated character (possibly multi-unit). */
export const oversizedString: fc.Arbitrary<string> = fc
  .record({
    length: fc.integer({ min: 10_000, max: 300_000 }),
    char: fc.constantFrom('x', 'é', '🙂', '\u0000', ' ', '"', '\\', 'a,'),
  })
  .map(({ length, char }) => char.repeat(Math.ceil(length / char.length)));

/** Objects or arrays nested `depth` (40 to 2,000) deep, built without recursion. */
export const deeplyNested: fc.Arbitrary<Json> = fc
  .record({ depth: fc.integer({ min: 40, max: 2_000 }), kind: fc.constantFrom('object', 'array', 'mixed') })
  .map(({ depth, kind }) => {
    let value: Json = 'bottom';
    for (let level = 0; level < depth; level += 1) {
      const asArray = kind === 'array' || (kind === 'mixed' && level % 2 === 0);
      value = asArray ? [value] : { a: value };
    }
    return value;
  });

/** Arrays of 1,000 to 20,000 items. */
export const hugeArray: fc.Arbitrary<Json> = fc
  .record({
    length: fc.integer({ min: 1_000, max: 20_000 }),
    item: fc.constantFrom<Json>('x', 0, {}, null, ['x']),
  })
  .map(({ length, item }) => Array.from({ length }, () => item));

/** A wrong or hostile value for any field. */
export const badValue: fc.Arbitrary<Json> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 1e308, -0, 2 ** 53, [], {}, [null], {
      a: 1,
    }),
  },
  { weight: 4, arbitrary: fc.constantFrom<Json>(...oddStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }) },
  { weight: 2, arbitrary: oversizedString },
  { weight: 1, arbitrary: deeplyNested },
  { weight: 1, arbitrary: hugeArray },
);

/** Keys that a careless merge turns into prototype pollution, and plain unknown keys. */
export const oddKeys = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'),
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.constantFrom('x'.repeat(10_000), '\u0000', '🙂', 'a.b', '0', '-1', ''),
);

export type MutationKind = 'replace' | 'delete' | 'unknown_key' | 'wrap_in_array' | 'prototype_keys';

export interface Mutation {
  kind: MutationKind;
  path: Path;
  /** For `replace`: the value put there; for key mutations: the key added. */
  detail: string;
}

export interface Mutated {
  input: Json;
  mutation: Mutation;
}

/** Every path of a JSON value, the root (`[]`) first. */
export function pathsOf(value: Json, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...prefix, index])));
  else if (value !== null && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) paths.push(...pathsOf(child, [...prefix, key]));
  return paths;
}

function setOwn(target: Record<string | number, Json> | Json[], key: string | number, value: Json): void {
  // defineProperty makes `__proto__` an own key, as JSON.parse would, rather than setting the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function containerAt(root: Json, path: Path): Json {
  let node = root;
  for (const key of path) node = (node as Record<string | number, Json>)[key];
  return node;
}

function describe(value: Json): string {
  if (typeof value === 'string') return value.length > 40 ? `string(${value.length})` : JSON.stringify(value);
  if (Array.isArray(value)) return `array(${value.length})`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return JSON.stringify(value) ?? 'undefined';
}

/** Applies one mutation to a deep copy of `valid` (which must be plain JSON). */
export function mutate(
  valid: Json,
  choice: { pathIndex: number; kind: MutationKind; value: Json; key: string },
): Mutated {
  const copy = JSON.parse(JSON.stringify(valid)) as Json;
  const paths = pathsOf(copy);
  const path = paths[choice.pathIndex % paths.length] ?? [];
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const target = containerAt(copy, path);
  const isObject = target !== null && typeof target === 'object' && !Array.isArray(target);
  let kind = choice.kind;
  if ((kind === 'unknown_key' || kind === 'prototype_keys') && !isObject) kind = 'replace';
  if ((kind === 'delete' || kind === 'wrap_in_array') && last === undefined) kind = 'replace';
  if (kind === 'replace' && last === undefined) {
    return { input: choice.value, mutation: { kind, path, detail: describe(choice.value) } };
  }
  const parent = containerAt(copy, parentPath) as Record<string | number, Json>;
  switch (kind) {
    case 'replace':
      setOwn(parent, last as string | number, choice.value);
      return { input: copy, mutation: { kind, path, detail: describe(choice.value) } };
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last as string];
      return { input: copy, mutation: { kind, path, detail: '' } };
    case 'wrap_in_array':
      setOwn(parent, last as string | number, [target]);
      return { input: copy, mutation: { kind, path, detail: '' } };
    case 'unknown_key':
      setOwn(target as Record<string, Json>, choice.key, choice.value);
      return { input: copy, mutation: { kind, path, detail: describe(choice.key) } };
    case 'prototype_keys': {
      const polluter = JSON.parse(
        '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}',
      ) as Record<string, Json>;
      for (const [key, value] of Object.entries(polluter)) setOwn(target as Record<string, Json>, key, value);
      return { input: copy, mutation: { kind, path, detail: '__proto__, constructor, prototype' } };
    }
  }
}

/** `valid` with exactly one thing broken. */
export function mutated(valid: fc.Arbitrary<Json>): fc.Arbitrary<Mutated> {
  return fc
    .record({
      valid,
      pathIndex: fc.nat(),
      kind: fc.constantFrom<MutationKind>(
        'replace',
        'replace',
        'replace',
        'replace',
        'delete',
        'unknown_key',
        'wrap_in_array',
        'prototype_keys',
      ),
      value: badValue,
      key: oddKeys,
    })
    .map(({ valid: base, ...choice }) => shortPrint(mutate(base, choice)));
}

/** A short text of any input for messages (the first 300 characters of its JSON, and its length). */
export function preview(input: unknown): string {
  try {
    const text = JSON.stringify(input) ?? String(input);
    return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
  } catch {
    return String(input);
  }
}

/** Makes fast-check print `value` (e.g. a counterexample of 300,000 characters) as {@link preview} does. */
export function shortPrint<T extends object>(value: T): T {
  return Object.defineProperty(value, fc.toStringMethod, { value: () => preview(value), enumerable: false });
}

/** Whether a prototype was polluted by anything the test ran. */
export function prototypeIsPolluted(): boolean {
  return (
    Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted') ||
    ({} as Record<string, unknown>).polluted !== undefined ||
    ([] as unknown as Record<string, unknown>).polluted !== undefined
  );
}

/** Arbitrary values of any type for a whole input (wrong type at the top). */
export const anyInput: fc.Arbitrary<Json> = fc.oneof(
  badValue,
  fc.jsonValue({ maxDepth: 4 }),
  fc.object({ maxDepth: 3 }),
  fc.constant(undefined),
);

// ---------------------------------------------------------------------------------------------
// HTTP probes of the wizard's route handlers
// ---------------------------------------------------------------------------------------------

/** The wizard's read routes, by the name of their folder under `app/api`. */
export type WizardRoute =
  | 'services'
  | 'service'
  | 'validate'
  | 'roleName'
  | 'policies'
  | 'policy'
  | 'identityProviders'
  | 'drafts'
  | 'draft'
  | 'preview';

/** One request to a wizard route: its dynamic segments (decoded), its query, and a POST's body. */
export interface RouteProbe {
  route: WizardRoute;
  method: 'GET' | 'POST';
  /** Path with segments and query encoded, e.g. `/api/accounts/444455556666/role-name?name=x`. */
  path: string;
  params: Record<string, string | string[]>;
  body?: string;
}

/** A generated value as a query string: an object's entries (values as text), anything else as `q`. */
export function queryOf(value: unknown): string {
  const search = new URLSearchParams();
  const text = (item: unknown) => (typeof item === 'string' ? item : (JSON.stringify(item) ?? 'undefined'));
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) search.append(key, text(item).slice(0, 4_000));
  } else {
    search.append('q', text(value).slice(0, 4_000));
  }
  return search.toString();
}

/** A value as one path segment: text, at most 2,000 characters, well-formed (a URL cannot carry a lone surrogate). */
const segmentOf = (value: unknown): string =>
  Buffer.from(
    (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined')).slice(0, 2_000),
    'utf8',
  ).toString('utf8') || 'x';

/** Raw query strings and bodies a careless client (or an attacker) sends. */
const rawQueries = fc.constantFrom(
  '%',
  'q=%zz',
  'q=%00',
  'q=%ED%A0%80',
  'limit=1e3',
  'limit=-1&limit=5',
  'q=a&q=b&type=customer&type=aws',
  '__proto__[polluted]=1',
  'constructor.prototype.polluted=1',
  'cursor=' + 'arn:aws:iam::aws:policy/'.repeat(100),
);
const rawBodies = fc.constantFrom(
  '',
  'null',
  '[]',
  '{',
  '{"kind":"identity","document":',
  '"just a string"',
  '{"__proto__":{"polluted":"yes"},"kind":"identity","document":"{}"}',
  '['.repeat(20_000) + ']'.repeat(20_000),
  '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
  JSON.stringify({ kind: 'identity', document: 'x'.repeat(97 * 1024) }),
  JSON.stringify({ kind: 'trust', document: '\u0000'.repeat(1_000) }),
  '\ufeff{"kind":"identity","document":"{}"}',
);

/** A request to one of the wizard's read routes: valid, one thing broken, or raw. */
export function routeProbe(options: { accountId: string; draftId: string }): fc.Arbitrary<RouteProbe> {
  const account = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<unknown>(...TARGET_ACCOUNTS) },
    {
      weight: 2,
      arbitrary: badValue.map((value) => (typeof value === 'string' ? value.slice(0, 2_000) : value)),
    },
  );
  const mutatedQuery = (valid: fc.Arbitrary<Json>) =>
    fc.oneof(
      { weight: 2, arbitrary: valid.map((value) => queryOf(value)) },
      { weight: 5, arbitrary: mutated(valid).map(({ input }) => queryOf(input)) },
      { weight: 1, arbitrary: rawQueries },
    );
  const get = (route: WizardRoute, base: string, params: Record<string, string | string[]>, query = '') =>
    shortPrint<RouteProbe>({ route, method: 'GET', path: `${base}${query ? `?${query}` : ''}`, params });
  const validateBody = fc.oneof(
    {
      weight: 2,
      arbitrary: identityPolicyDocument.map((document) => JSON.stringify({ kind: 'identity', document })),
    },
    {
      weight: 5,
      arbitrary: mutated(
        fc.record({
          kind: fc.constantFrom('identity', 'trust', 'boundary'),
          document: fc.oneof(identityPolicyDocument, trustPolicyDocument),
          accountId: fc.constantFrom(...TARGET_ACCOUNTS),
        }),
      ).map(({ input }) => {
        try {
          return JSON.stringify(input) ?? 'undefined';
        } catch {
          return '[';
        }
      }),
    },
    { weight: 2, arbitrary: rawBodies },
  );
  return fc.oneof(
    mutatedQuery(
      fc.record({ q: fc.constantFrom('s3', 'lambda', ''), limit: fc.constantFrom('5', '20') }),
    ).map((query) => get('services', '/api/iam/services', {}, query)),
    fc
      .oneof(fc.constantFrom<unknown>('s3', 'lambda', 'iam'), badValue)
      .map(segmentOf)
      .map((prefix) => get('service', `/api/iam/services/${encodeURIComponent(prefix)}`, { prefix })),
    validateBody.map((body) =>
      shortPrint<RouteProbe>({
        route: 'validate',
        method: 'POST',
        path: '/api/iam/validate',
        params: {},
        body,
      }),
    ),
    fc
      .tuple(
        account.map(segmentOf),
        mutatedQuery(fc.record({ name: fc.constantFrom('app-reader', 'DemoReadOnly') })),
      )
      .map(([id, query]) =>
        get('roleName', `/api/accounts/${encodeURIComponent(id)}/role-name`, { id }, query),
      ),
    fc
      .tuple(
        account.map(segmentOf),
        mutatedQuery(
          fc.record({ q: fc.constantFrom('read', ''), type: fc.constantFrom('aws', 'customer', 'all') }),
        ),
      )
      .map(([id, query]) =>
        get('policies', `/api/accounts/${encodeURIComponent(id)}/policies`, { id }, query),
      ),
    fc
      .tuple(
        account.map(segmentOf),
        fc
          .oneof(
            fc.constantFrom<unknown>('ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
            badValue,
          )
          .map(segmentOf),
      )
      .map(([id, policy]) =>
        get('policy', `/api/accounts/${encodeURIComponent(id)}/policies/${encodeURIComponent(policy)}`, {
          id,
          policy: [policy],
        }),
      ),
    account
      .map(segmentOf)
      .map((id) =>
        get('identityProviders', `/api/accounts/${encodeURIComponent(id)}/identity-providers`, { id }),
      ),
    fc.constant(null).map(() => get('drafts', '/api/wizard/drafts', {})),
    fc
      .oneof(
        { weight: 2, arbitrary: validWizardState.map((state) => JSON.stringify({ state })) },
        {
          weight: 5,
          arbitrary: mutated(validWizardState).map(({ input }) => {
            try {
              return JSON.stringify({ state: input }) ?? '{}';
            } catch {
              return '{"state":';
            }
          }),
        },
        { weight: 1, arbitrary: rawBodies },
      )
      .map((body) =>
        shortPrint<RouteProbe>({
          route: 'preview',
          method: 'POST',
          path: '/api/wizard/preview',
          params: {},
          body,
        }),
      ),
    fc
      .oneof(fc.constant<unknown>(options.draftId), fc.uuid(), badValue)
      .map(segmentOf)
      .map((id) => get('draft', `/api/wizard/drafts/${encodeURIComponent(id)}`, { id })),
  );
}

/**
 * The fields of a wizard-draft save as a form posts them (`saveWizardDraftAction`): valid, or one
 * thing broken (values become text, as a browser sends them; odd field names included).
 */
export const draftFormFields: fc.Arbitrary<Record<string, string>> = fc
  .oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        step: fc.constantFrom('trust', 'permissions', 'review'),
        title: fc.string({ unit: tagChars, maxLength: 40 }),
        accountId: fc.constantFrom(...TARGET_ACCOUNTS),
        state: validWizardState.map((state) => JSON.stringify(state)),
      }),
    },
    {
      weight: 6,
      arbitrary: mutated(
        fc.record({
          step: fc.constantFrom('trust', 'permissions', 'review'),
          title: fc.string({ unit: tagChars, maxLength: 40 }),
          accountId: fc.constantFrom(...TARGET_ACCOUNTS),
          state: validWizardState.map((state) => JSON.stringify(state)),
        }),
      ).map(({ input }) => input),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        step: fc.constant('trust'),
        state: fc.constant('{}'),
        odd: fc.constantFrom(
          '__proto__.polluted',
          'constructor.prototype.polluted',
          'tags.99999.key',
          'a..b',
          '$ACTION_ID_x',
        ),
      }),
    },
  )
  .map((input) => {
    const fields: Record<string, string> = {};
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      fields.state = typeof input === 'string' ? input.slice(0, 400_000) : (JSON.stringify(input) ?? '');
      return shortPrint(fields);
    }
    const record = input as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (key === 'odd') fields[String(value)] = 'yes';
      else fields[key] = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
    }
    return shortPrint(fields);
  });

/**
 * The fields of the wizard's Submit as a form posts them (`submitWizardAction`): the state as
 * JSON text, valid (a unique role name) or with one thing broken, and sometimes a broken draft id.
 */
export const submitFormFields: fc.Arbitrary<Record<string, string>> = fc
  .record({
    state: fc.oneof(
      {
        weight: 1,
        arbitrary: validWizardState.map((state) => ({ ...state, name: uniqueRoleName(state.name) })),
      },
      {
        weight: 3,
        arbitrary: mutated(
          validWizardState.map((state) => ({ ...state, name: uniqueRoleName(state.name) })),
        ).map(({ input }) => input),
      },
    ),
    draftId: fc.oneof(fc.constant(''), fc.uuid(), fc.constantFrom(...oddStrings)),
  })
  .map(({ state, draftId }) => {
    let text: string;
    try {
      text = JSON.stringify(state) ?? 'undefined';
    } catch {
      text = '{';
    }
    return shortPrint({ state: text, ...(draftId === '' ? {} : { draftId }) });
  });
