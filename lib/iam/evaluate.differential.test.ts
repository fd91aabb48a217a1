/**
 * Differential test: generated policies × requests decided by our evaluator and by the
 * independent simulator `@cloud-copilot/iam-simulate` (AGPL, a devDependency: imported only here,
 * never by shipped code). Any disagreement fails the test and prints the case.
 *
 * The generator is seeded, so a failure reproduces. Shapes where we believe the simulator departs
 * from AWS are not generated; each is listed below with the AWS documentation behind our answer:
 *
 * 1. `ForAnyValue:…IfExists` with the key absent. The simulator ignores `IfExists` under a set
 *    operator and answers false; AWS says an `…IfExists` operator "evaluates to true" when the key
 *    is absent (reference_policies_elements_condition_operators.html#Conditions_IfExists). We
 *    answer true.
 * 2. A `Date*` condition comparing epoch seconds with ISO 8601 text. The simulator compares epoch
 *    seconds with milliseconds; AWS accepts either form on either side
 *    (reference_policies_elements_condition_operators.html#Conditions_Date). We convert both to
 *    milliseconds. Generated date keys use one form consistently.
 * 3. The account root user. The simulator applies identity policies to it; AWS: "the root user has
 *    full access to all AWS services and resources in the account" (id_root-user.html), subject
 *    only to explicit denies in resource policies (and SCPs). We allow it in its own account.
 * 4. Web-identity / SAML callers matched by an `"AWS": "<account>"` principal (Allow, Deny or
 *    NotPrincipal). The simulator reads the provider ARN as an IAM principal of that account; AWS
 *    matches federated callers only through `Federated`, `*` (reference_policies_elements_principal.html,
 *    "Federated user principals"). Federated callers here meet only Federated, Service and `*` principals.
 * 5. Callers that are services, web identities or anonymous never carry identity policies or a
 *    permissions boundary here: in AWS they have none (the simulator would evaluate them anyway).
 * 6. A bare IP address (no `/prefix`) in `IpAddress`/`NotIpAddress`: the simulator compares text
 *    and answers `NotIpAddress` false for an address of the other family; AWS reads a bare address
 *    as a /32 (or /128) block. Policies here always use CIDR notation.
 * 7. An IPv4 block with prefix `/0` (`0.0.0.0/0`). The simulator builds its mask as `-1 << 32`,
 *    which JavaScript reads as `-1 << 0`, so `/0` behaves as `/32`; a `/0` block holds every
 *    address (RFC 4632, which reference_policies_elements_condition_operators.html#Conditions_IPAddress
 *    cites for the CIDR format). `/1` blocks are generated instead.
 * 8. A policy variable that cannot be resolved inside `NotResource`. The simulator reads the entry
 *    as matching nothing, so NotResource matches and the statement applies; AWS: "If AWS cannot
 *    resolve a variable this might cause the entire statement to be invalid"
 *    (reference_policies_variables.html), so we let such a statement match nothing. Only
 *    Resource entries carry variables here.
 * Shapes that are merely outside the simulator's model (it splits a resource's type from its id
 * and forbids wildcards before the first `/`; `.` in Action patterns is a regex wildcard there;
 * `*:*` as an Action matches nothing there, where we read the `*` service as a wildcard, which no
 * AWS page we found settles) are also not generated.
 */
import { runUnsafeSimulation, anonymousPrincipal } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import {
  compilePolicyOrThrow,
  evaluate,
  type ContextValue,
  type Decision,
  type RequestPrincipal,
} from './evaluate';

const A = '111122223333';
const B = '444455556666';
const CASES = 12_000;
const SEED = 0x5eed_2026;

/** mulberry32: small, fast, seedable. */
function rng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const chance = (p: number) => next() < p;
  const some = <T>(list: readonly T[], min: number, max: number): T[] => {
    const count = min + int(max - min + 1);
    return Array.from({ length: count }, () => pick(list));
  };
  return { next, int, pick, chance, some };
}
type Rng = ReturnType<typeof rng>;

type Family = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn';

interface KeySpec {
  key: string;
  family: Family;
  /** Request values. */
  values: readonly string[];
  /** Policy values (patterns, variables, …). */
  policy: readonly string[];
  multi?: boolean;
}

const ROLE_ARN = `arn:aws:iam::${A}:role/ops/Admin`;
const PROVIDER = `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`;

const stringPolicy = [
  'dev',
  'ops',
  'Dev',
  'd?v',
  '*',
  'o*',
  '${aws:username}',
  '${aws:PrincipalTag/team}',
  "${aws:PrincipalTag/team, 'dev'}",
  "${aws:RequestTag/env, 'ops'}",
];
const keys: readonly KeySpec[] = [
  {
    key: 'aws:PrincipalTag/team',
    family: 'string',
    values: ['dev', 'ops', 'Dev', 'sec'],
    policy: stringPolicy,
  },
  {
    key: 'aws:RequestTag/env',
    family: 'string',
    values: ['prod', 'test', 'ops'],
    policy: ['prod', 'test', 'p*', 'PROD', '${aws:PrincipalTag/team}'],
  },
  {
    key: 'aws:TagKeys',
    family: 'string',
    values: ['env', 'team', 'owner', 'Env'],
    policy: ['env', 'team', 'e*', 'ENV', 'owner'],
    multi: true,
  },
  {
    key: 'sts:ExternalId',
    family: 'string',
    values: ['abc-123', 'xyz', 'ABC-123'],
    policy: ['abc-123', 'abc-*', 'xyz', 'a?c-123'],
  },
  {
    key: 'aws:username',
    family: 'string',
    values: ['alice', 'bob'],
    policy: ['alice', 'bob', 'al*', 'ALICE', '${aws:PrincipalTag/team}'],
  },
  {
    key: 'sts:SourceIdentity',
    family: 'string',
    values: ['alice@example.com', 'bob@example.com'],
    policy: ['*@example.com', 'alice@example.com', '${aws:username}@example.com'],
  },
  {
    key: 'token.actions.githubusercontent.com:sub',
    family: 'string',
    values: [
      'repo:acme/web:ref:refs/heads/main',
      'repo:acme/api:pull_request',
      'repo:evil/web:ref:refs/heads/main',
    ],
    policy: ['repo:acme/*', 'repo:acme/web:ref:refs/heads/main', 'repo:*:pull_request', 'repo:acme/???:*'],
  },
  {
    key: 'token.actions.githubusercontent.com:aud',
    family: 'string',
    values: ['sts.amazonaws.com', 'other'],
    policy: ['sts.amazonaws.com'],
  },
  {
    key: 'accounts.google.com:aud',
    family: 'string',
    values: ['app-1.apps.googleusercontent.com', 'app-2'],
    policy: ['app-1.apps.googleusercontent.com', 'app-*'],
  },
  {
    key: 'cognito-identity.amazonaws.com:amr',
    family: 'string',
    values: ['authenticated', 'unauthenticated'],
    policy: ['authenticated', '*auth*'],
    multi: true,
  },
  {
    key: 'aws:MultiFactorAuthAge',
    family: 'numeric',
    values: ['0', '300', '3600', '86400', '12.5'],
    policy: ['300', '3600', '0', '12.5', '100000'],
  },
  {
    key: 'aws:CurrentTime',
    family: 'date',
    values: ['2026-01-01T00:00:00Z', '2026-06-01T12:00:00Z', '2027-03-01T00:00:00Z'],
    policy: ['2026-06-01T12:00:00Z', '2026-01-01T00:00:00Z', '2026-12-31T23:59:59Z'],
  },
  {
    key: 'aws:EpochTime',
    family: 'date',
    values: ['1767225600', '1780315200', '1803945600'],
    policy: ['1780315200', '1767225600', '1798761599'],
  },
  {
    key: 'aws:EpochTime',
    family: 'numeric',
    values: ['1767225600', '1780315200'],
    policy: ['1780315200', '1767225600'],
  },
  {
    key: 'aws:MultiFactorAuthPresent',
    family: 'bool',
    values: ['true', 'false', 'True'],
    policy: ['true', 'false', 'TRUE'],
  },
  { key: 'aws:SecureTransport', family: 'bool', values: ['true', 'false'], policy: ['true', 'false'] },
  { key: 'custom:blob', family: 'binary', values: ['QUJD', 'REVG'], policy: ['QUJD', 'REVG', 'qujd'] },
  {
    key: 'aws:SourceIp',
    family: 'ip',
    values: ['10.1.2.3', '192.168.0.1', '2001:db8::1', '203.0.113.9', '2001:db9::5'],
    policy: [
      '10.0.0.0/8',
      '192.168.0.0/16',
      '2001:db8::/32',
      '203.0.113.0/24',
      '0.0.0.0/1',
      '128.0.0.0/1',
      '10.1.2.3/32',
      '::/0',
    ],
  },
  {
    key: 'aws:PrincipalArn',
    family: 'arn',
    values: [
      `arn:aws:iam::${A}:user/alice`,
      `arn:aws:iam::${B}:role/Deployer`,
      `arn:aws:iam::${A}:role/ops/Admin`,
    ],
    policy: [
      `arn:aws:iam::${A}:user/*`,
      `arn:aws:iam::*:role/Deployer`,
      `arn:aws:iam::${A}:*`,
      'arn:aws:iam::*:role/ops/*',
      `arn:aws:iam::${A}:user/\${aws:username}`,
    ],
  },
  {
    key: 'aws:SourceArn',
    family: 'arn',
    values: [`arn:aws:s3:::bucket`, `arn:aws:sns:us-east-1:${A}:topic`],
    policy: ['arn:aws:s3:::bucket', 'arn:aws:sns:*:*:topic', 'arn:aws:s3:::b*'],
  },
];

const operatorsByFamily: Record<Family, readonly string[]> = {
  string: [
    'StringEquals',
    'StringNotEquals',
    'StringEqualsIgnoreCase',
    'StringNotEqualsIgnoreCase',
    'StringLike',
    'StringNotLike',
  ],
  numeric: [
    'NumericEquals',
    'NumericNotEquals',
    'NumericLessThan',
    'NumericLessThanEquals',
    'NumericGreaterThan',
    'NumericGreaterThanEquals',
  ],
  date: [
    'DateEquals',
    'DateNotEquals',
    'DateLessThan',
    'DateLessThanEquals',
    'DateGreaterThan',
    'DateGreaterThanEquals',
  ],
  bool: ['Bool'],
  binary: ['BinaryEquals'],
  ip: ['IpAddress', 'NotIpAddress'],
  arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
};

type Condition = Record<string, Record<string, string | string[]>>;

function generateCondition(r: Rng): Condition {
  const condition: Condition = {};
  const count = 1 + r.int(3);
  for (let index = 0; index < count; index += 1) {
    const spec = r.pick(keys);
    const keyName = r.chance(0.15) ? spec.key.toUpperCase() : spec.key;
    let operator: string;
    let values: string | string[];
    if (r.chance(0.08)) {
      operator = 'Null';
      values = r.pick(['true', 'false']);
    } else {
      const set =
        spec.family === 'string' || spec.family === 'arn'
          ? r.pick(['', '', 'ForAnyValue:', 'ForAllValues:'])
          : r.pick(['', '', '', 'ForAnyValue:', 'ForAllValues:']);
      // Excluded shape 1: ForAnyValue with IfExists.
      const ifExists = set !== 'ForAnyValue:' && r.chance(0.2) ? 'IfExists' : '';
      operator = `${set}${r.pick(operatorsByFamily[spec.family])}${ifExists}`;
      if (r.chance(0.05)) operator = operator.toLowerCase();
      const list = r.some(spec.policy, 1, 3);
      values = list.length === 1 && r.chance(0.5) ? list[0]! : list;
    }
    // Several keys under one operator: merge.
    condition[operator] = { ...(condition[operator] ?? {}), [keyName]: values };
  }
  return condition;
}

function generateContext(r: Rng): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  for (const spec of keys) {
    if (!r.chance(0.55)) continue;
    if (spec.multi || (spec.family === 'string' && r.chance(0.12))) {
      context[spec.key] = r.some(spec.values, 0, 3);
    } else {
      context[spec.key] = r.pick(spec.values);
    }
  }
  return context;
}

interface Scenario {
  action: readonly string[];
  actionPatterns: readonly string[];
  resource: readonly string[];
  resourcePatterns: readonly string[];
}

const iamScenario: Scenario = {
  action: [
    'iam:CreateRole',
    'iam:PassRole',
    'iam:TagRole',
    's3:GetObject',
    's3:PutObject',
    'ec2:RunInstances',
    'sts:AssumeRole',
    'logs:PutLogEvents',
  ],
  actionPatterns: [
    '*',
    'iam:*',
    'iam:Create*',
    'IAM:createrole',
    's3:Get*',
    's3:?etObject',
    'sts:AssumeRole',
    'ec2:*',
    'iam:Pass*',
    'iam:*Role',
    's3:*Object',
    'logs:Put*',
  ],
  resource: [
    `arn:aws:iam::${A}:role/app/Web`,
    `arn:aws:iam::${A}:role/ops/Admin`,
    'arn:aws:s3:::bucket/home/alice/x',
    'arn:aws:s3:::bucket/home/dev/y',
    `arn:aws:iam::${A}:user/alice`,
    `arn:aws:logs:us-east-1:${A}:log-group:/app/web:log-stream:s1`,
  ],
  resourcePatterns: [
    '*',
    `arn:aws:iam::${A}:role/*`,
    `arn:aws:iam::*:role/app/*`,
    `arn:aws:iam::${A}:role/app/We?`,
    `arn:aws:iam::${A}:role/ops/Admin`,
    'arn:aws:s3:::bucket/*',
    'arn:aws:s3:::bucket/home/${aws:username}/*',
    "arn:aws:s3:::bucket/home/${aws:PrincipalTag/team, 'dev'}/*",
    'arn:aws:s3:::bucket/home/*/x',
    `arn:aws:iam::${A}:user/\${aws:username}`,
    `arn:aws:iam::${B}:role/*`,
    'arn:aws:s3:::other/*',
    `arn:aws:logs:*:${A}:log-group:/app/*`,
    `arn:aws:logs:us-east-1:*:log-group:*:log-stream:s?`,
    `arn:aws:LOGS:US-EAST-1:${A}:log-group:/app/web:*`,
  ],
};

const trustScenario: Scenario = {
  action: ['sts:AssumeRole', 'sts:AssumeRole', 'sts:TagSession', 'sts:AssumeRoleWithWebIdentity'],
  actionPatterns: [
    'sts:AssumeRole',
    'sts:*',
    'sts:AssumeRole*',
    'sts:TagSession',
    'sts:AssumeRoleWithWebIdentity',
    '*',
  ],
  resource: [ROLE_ARN],
  resourcePatterns: [
    '*',
    ROLE_ARN,
    `arn:aws:iam::${A}:role/*`,
    `arn:aws:iam::${A}:role/ops/*`,
    `arn:aws:iam::${B}:role/*`,
  ],
};

function generateStatement(
  r: Rng,
  scenario: Scenario,
  effectAllow: number,
  principal?: () => Record<string, unknown>,
): Record<string, unknown> {
  const statement: Record<string, unknown> = { Effect: r.chance(effectAllow) ? 'Allow' : 'Deny' };
  if (r.chance(0.25)) statement.Sid = `S${r.int(100)}`;
  const actions = r.some(scenario.actionPatterns, 1, 3);
  statement[r.chance(0.12) ? 'NotAction' : 'Action'] = actions.length === 1 ? actions[0] : actions;
  if (!principal || r.chance(0.5)) {
    // Excluded shape 7: no policy variables in NotResource.
    const negated = r.chance(0.1);
    const pool = negated
      ? scenario.resourcePatterns.filter((pattern) => !pattern.includes('${'))
      : scenario.resourcePatterns;
    const resources = r.some(pool, 1, 2);
    statement[negated ? 'NotResource' : 'Resource'] = resources.length === 1 ? resources[0] : resources;
  }
  if (principal) Object.assign(statement, principal());
  if (r.chance(0.55)) statement.Condition = generateCondition(r);
  return statement;
}

function policy(
  r: Rng,
  scenario: Scenario,
  allow: number,
  min: number,
  max: number,
  principal?: () => Record<string, unknown>,
) {
  const count = min + r.int(max - min + 1);
  return {
    Version: '2012-10-17',
    Statement: Array.from({ length: count }, () => generateStatement(r, scenario, allow, principal)),
  };
}

interface Caller {
  ours: RequestPrincipal;
  oracle: string | typeof anonymousPrincipal;
  /** IAM identities carry identity policies and boundaries (excluded shape 5). */
  isIam: boolean;
}

function iamCaller(r: Rng, accounts: readonly string[]): Caller {
  const account = r.pick(accounts);
  if (r.chance(0.5)) {
    const name = r.pick(['alice', 'bob']);
    const arn = `arn:aws:iam::${account}:user/${name}`;
    return { ours: { arn, accountId: account, kind: 'user' }, oracle: arn, isIam: true };
  }
  const role = r.pick(['Deployer', 'Admin', 'deployer']);
  const arn = `arn:aws:sts::${account}:assumed-role/${role}/${r.pick(['s1', 'alice'])}`;
  return { ours: { arn, accountId: account, kind: 'assumed-role' }, oracle: arn, isIam: true };
}

function awsPrincipalValue(r: Rng): string {
  return r.pick([
    '*',
    A,
    B,
    `arn:aws:iam::${A}:root`,
    `arn:aws:iam::${B}:root`,
    `arn:aws:iam::${A}:user/alice`,
    `arn:aws:iam::${B}:user/bob`,
    `arn:aws:iam::${A}:role/Deployer`,
    `arn:aws:iam::${B}:role/team/Deployer`,
    `arn:aws:iam::${A}:role/ops/Admin`,
    `arn:aws:sts::${A}:assumed-role/Deployer/s1`,
    `arn:aws:sts::${B}:assumed-role/Admin/alice`,
  ]);
}

function iamPrincipalElement(r: Rng): Record<string, unknown> {
  if (r.chance(0.1)) return { Principal: '*' };
  const values = r.some([0], 1, 3).map(() => awsPrincipalValue(r));
  const body: Record<string, unknown> = { AWS: values.length === 1 ? values[0] : values };
  if (r.chance(0.15)) body.Service = r.pick(['ec2.amazonaws.com', 'lambda.amazonaws.com']);
  return { [r.chance(0.1) ? 'NotPrincipal' : 'Principal']: body };
}

/** Excluded shape 4: federated callers meet only Federated, Service and `*` principals. */
function nonIamPrincipalElement(r: Rng): Record<string, unknown> {
  return {
    Principal: r.pick<unknown>([
      '*',
      { AWS: '*' },
      { Federated: PROVIDER },
      { Federated: `arn:aws:iam::${A}:oidc-provider/other.example.com` },
      { Service: 'ec2.amazonaws.com' },
      { Service: ['lambda.amazonaws.com', 'ec2.amazonaws.com'] },
    ]),
  };
}

interface Case {
  kind: 'identity' | 'trust' | 'resource';
  caller: Caller;
  action: string;
  resource: string;
  resourceAccount: string;
  context: Record<string, ContextValue>;
  identityPolicies: unknown[];
  boundary?: unknown;
  resourcePolicy?: unknown;
}

function generateCase(r: Rng): Case {
  const roll = r.next();
  const context = generateContext(r);
  if (roll < 0.4) {
    const caller = iamCaller(r, [A]);
    return {
      kind: 'identity',
      caller,
      action: r.pick(iamScenario.action),
      resource: r.pick(iamScenario.resource),
      resourceAccount: A,
      context,
      identityPolicies: Array.from({ length: 1 + r.int(2) }, () => policy(r, iamScenario, 0.75, 1, 4)),
      boundary: r.chance(0.25) ? policy(r, iamScenario, 0.85, 1, 3) : undefined,
    };
  }
  if (roll < 0.75) {
    let caller: Caller;
    const who = r.next();
    if (who < 0.8) caller = iamCaller(r, [A, B]);
    else if (who < 0.9)
      caller = {
        ours: { arn: PROVIDER, accountId: '', kind: 'federated', federatedProvider: PROVIDER },
        oracle: PROVIDER,
        isIam: false,
      };
    else
      caller = {
        ours: { arn: 'ec2.amazonaws.com', accountId: '', kind: 'service', service: 'ec2.amazonaws.com' },
        oracle: 'ec2.amazonaws.com',
        isIam: false,
      };
    const principal = caller.isIam ? () => iamPrincipalElement(r) : () => nonIamPrincipalElement(r);
    return {
      kind: 'trust',
      caller,
      action: r.pick(trustScenario.action),
      resource: ROLE_ARN,
      resourceAccount: A,
      context,
      identityPolicies: caller.isIam
        ? Array.from({ length: r.int(3) }, () => policy(r, trustScenario, 0.8, 1, 3))
        : [],
      boundary: caller.isIam && r.chance(0.2) ? policy(r, trustScenario, 0.85, 1, 2) : undefined,
      resourcePolicy: policy(r, trustScenario, 0.8, 1, 3, principal),
    };
  }
  const anonymous = r.chance(0.08);
  const caller: Caller = anonymous
    ? { ours: { arn: '', accountId: '', kind: 'anonymous' }, oracle: anonymousPrincipal, isIam: false }
    : iamCaller(r, [A, B]);
  const principal = caller.isIam ? () => iamPrincipalElement(r) : () => nonIamPrincipalElement(r);
  return {
    kind: 'resource',
    caller,
    action: r.pick(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']),
    resource: r.pick(['arn:aws:s3:::bucket/home/alice/x', 'arn:aws:s3:::bucket/home/dev/y']),
    resourceAccount: A,
    context,
    identityPolicies: caller.isIam
      ? Array.from({ length: r.int(3) }, () => policy(r, iamScenario, 0.8, 1, 3))
      : [],
    boundary: caller.isIam && r.chance(0.2) ? policy(r, iamScenario, 0.85, 1, 2) : undefined,
    resourcePolicy: policy(r, iamScenario, 0.8, 1, 3, principal),
  };
}

function ours(testCase: Case): Decision {
  return evaluate(
    {
      principal: testCase.caller.ours,
      action: testCase.action,
      resource: testCase.resource,
      resourceAccount: testCase.resourceAccount,
      context: testCase.context,
    },
    {
      identityPolicies: testCase.identityPolicies.map((document) => compilePolicyOrThrow(document)),
      permissionsBoundary: testCase.boundary ? compilePolicyOrThrow(testCase.boundary) : undefined,
      resourcePolicy: testCase.resourcePolicy ? compilePolicyOrThrow(testCase.resourcePolicy) : undefined,
    },
  ).decision;
}

const fromOracle: Record<string, Decision> = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'explicitDeny',
  ImplicitlyDenied: 'implicitDeny',
};

function oracle(testCase: Case): Decision {
  const result = runUnsafeSimulation(
    {
      request: {
        principal: testCase.caller.oracle,
        action: testCase.action,
        resource: { resource: testCase.resource, accountId: testCase.resourceAccount },
        contextVariables: testCase.context as Record<string, string | string[]>,
      },
      identityPolicies: testCase.identityPolicies.map((document, index) => ({
        name: `p${index}`,
        policy: document,
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // Wrapped as an already-validated policy so that it carries a name (the simulator needs one).
      resourcePolicy: testCase.resourcePolicy
        ? {
            __validated: true,
            policyDocument: testCase.resourcePolicy,
            metadata: { name: 'resource' },
            errors: [],
          }
        : undefined,
      permissionBoundaryPolicies: testCase.boundary
        ? [{ name: 'boundary', policy: testCase.boundary }]
        : undefined,
    },
    {},
  );
  return fromOracle[result]!;
}

describe('evaluate agrees with @cloud-copilot/iam-simulate', () => {
  it(`on ${CASES} generated cases`, () => {
    const r = rng(SEED);
    const disagreements: { case: Case; ours: Decision; oracle: Decision }[] = [];
    const tally: Record<string, number> = {};
    for (let index = 0; index < CASES; index += 1) {
      const testCase = generateCase(r);
      const mine = ours(testCase);
      const theirs = oracle(testCase);
      tally[`${testCase.kind}:${theirs}`] = (tally[`${testCase.kind}:${theirs}`] ?? 0) + 1;
      if (mine !== theirs) disagreements.push({ case: testCase, ours: mine, oracle: theirs });
    }
    if (disagreements.length > 0) {
      const shown = disagreements.slice(0, 20).map((entry) => JSON.stringify(entry));
      console.log(`${disagreements.length} disagreements; first ones:\n${shown.join('\n')}`);
    }
    // The generated mix must exercise every outcome in every scenario, or the test proves little.
    for (const kind of ['identity', 'trust', 'resource']) {
      for (const decision of ['allowed', 'explicitDeny', 'implicitDeny']) {
        expect(tally[`${kind}:${decision}`] ?? 0, `${kind}:${decision}`).toBeGreaterThan(CASES / 100);
      }
    }
    expect(disagreements.length).toBe(0);
  });
});
