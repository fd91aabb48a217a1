/**
 * `iam.evaluate_10k_median_ms`: one decision by `lib/iam/evaluate` against a realistic identity
 * policy of about 10 KB (66 statements over 15 services, half with conditions, some with policy
 * variables), plus a permissions boundary. Compiling the policy is done once, before timing, and
 * is excluded (the emulator compiles each stored policy once). The request rotates over 16
 * actions, resources and contexts (allowed, explicitly and implicitly denied). Each sample is
 * the mean time of one batch of 2,000 decisions; the figure is the median of 301 samples, after
 * a warm-up.
 */
import { compilePolicyOrThrow, evaluate, type EvaluationRequest, type PolicySet } from '../lib/iam/evaluate';
import { median, type BenchResult } from './types';

const ACCOUNT = '111122223333';

const services = [
  {
    service: 's3',
    actions: ['GetObject', 'PutObject', 'ListBucket', 'DeleteObject'],
    arn: (n: number) => `arn:aws:s3:::team-bucket-${n}/*`,
  },
  {
    service: 'ec2',
    actions: ['RunInstances', 'StartInstances', 'StopInstances', 'Describe*'],
    arn: (n: number) => `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-${n}*`,
  },
  {
    service: 'iam',
    actions: ['PassRole', 'GetRole', 'ListRoles', 'CreateRole'],
    arn: (n: number) => `arn:aws:iam::${ACCOUNT}:role/app-${n}/*`,
  },
  {
    service: 'lambda',
    actions: ['InvokeFunction', 'GetFunction', 'UpdateFunctionCode'],
    arn: (n: number) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:svc-${n}-*`,
  },
  {
    service: 'dynamodb',
    actions: ['GetItem', 'PutItem', 'Query', 'Scan'],
    arn: (n: number) => `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders-${n}`,
  },
  {
    service: 'logs',
    actions: ['CreateLogStream', 'PutLogEvents'],
    arn: (n: number) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/${n}:*`,
  },
  {
    service: 'kms',
    actions: ['Decrypt', 'Encrypt', 'GenerateDataKey*'],
    arn: (n: number) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${n}a1b2c3-*`,
  },
  {
    service: 'sqs',
    actions: ['SendMessage', 'ReceiveMessage', 'DeleteMessage'],
    arn: (n: number) => `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-${n}`,
  },
  {
    service: 'sns',
    actions: ['Publish', 'Subscribe'],
    arn: (n: number) => `arn:aws:sns:us-east-1:${ACCOUNT}:topic-${n}`,
  },
  { service: 'cloudwatch', actions: ['PutMetricData', 'GetMetricData'], arn: () => '*' },
  {
    service: 'secretsmanager',
    actions: ['GetSecretValue', 'DescribeSecret'],
    arn: (n: number) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/${n}/*`,
  },
  {
    service: 'ssm',
    actions: ['GetParameter', 'GetParameters'],
    arn: (n: number) => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/${n}/*`,
  },
  {
    service: 'ecr',
    actions: ['BatchGetImage', 'GetDownloadUrlForLayer'],
    arn: (n: number) => `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/svc-${n}`,
  },
  {
    service: 'sts',
    actions: ['AssumeRole', 'TagSession'],
    arn: (n: number) => `arn:aws:iam::${ACCOUNT}:role/deploy-${n}`,
  },
  {
    service: 'cloudformation',
    actions: ['CreateStack', 'UpdateStack', 'DescribeStacks'],
    arn: (n: number) => `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/app-${n}/*`,
  },
];

const conditionShapes: ((n: number) => Record<string, unknown>)[] = [
  (n) => ({ StringEquals: { 'aws:RequestTag/team': ['payments', `t${n}`] } }),
  () => ({ Bool: { 'aws:SecureTransport': 'true' } }),
  () => ({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } }),
  () => ({ StringLike: { 's3:prefix': 'home/${aws:username}/*' } }),
  () => ({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } }),
  () => ({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }),
  () => ({ StringEquals: { 'aws:PrincipalTag/team': '${aws:RequestTag/team}' } }),
  () => ({ DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } }),
  () => ({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app-*` } }),
  () => ({ StringNotEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } }),
];

/** Statements in the policy: as many as make about 10 KB of minified JSON (IAM's way of counting). */
const STATEMENTS = 66;

/** A deterministic ~10 KB identity policy. */
export function buildPolicy() {
  const statements: Record<string, unknown>[] = [];
  for (let index = 0; index < STATEMENTS; index += 1) {
    const spec = services[index % services.length]!;
    const actions = [
      spec.actions[index % spec.actions.length]!,
      spec.actions[(index + 1) % spec.actions.length]!,
    ];
    const statement: Record<string, unknown> = {
      Effect: index % 11 === 5 ? 'Deny' : 'Allow',
      Action:
        index % 3 === 0
          ? [...new Set(actions)].map((action) => `${spec.service}:${action}`)
          : `${spec.service}:${actions[0]!}`,
      Resource: spec.arn(index),
    };
    if (index % 2 === 0) statement.Condition = conditionShapes[index % conditionShapes.length]!(index);
    statements.push(statement);
  }
  return { Version: '2012-10-17', Statement: statements };
}

const context = {
  'aws:SecureTransport': 'true',
  'aws:SourceIp': '10.20.30.40',
  'aws:username': 'alice',
  'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app-7/Runner`,
  'aws:PrincipalTag/team': 'payments',
  'aws:RequestTag/team': 'payments',
  'aws:TagKeys': ['team', 'env'],
  'aws:MultiFactorAuthPresent': 'true',
  'aws:MultiFactorAuthAge': '120',
  'aws:CurrentTime': '2026-11-28T12:00:00Z',
  'aws:RequestedRegion': 'us-east-1',
  's3:prefix': 'home/alice/reports',
};

export function buildRequests(): EvaluationRequest[] {
  const principal = {
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app-7/Runner`,
    accountId: ACCOUNT,
    kind: 'assumed-role' as const,
  };
  const requests: EvaluationRequest[] = [];
  for (let index = 0; index < 16; index += 1) {
    // Aim at one statement of the policy, so that decisions are a realistic mix.
    const target = (index * 37) % STATEMENTS;
    const spec = services[target % services.length]!;
    const action = `${spec.service}:${spec.actions[target % spec.actions.length]!.replace('*', 'Keys')}`;
    const resource = spec.arn(index % 4 === 3 ? target + 1 : target).replace('*', 'x/1');
    requests.push({
      principal,
      action,
      resource,
      resourceAccount: ACCOUNT,
      context: index % 5 === 0 ? { ...context, 'aws:SourceIp': '203.0.113.5' } : context,
    });
  }
  return requests;
}

export default function run(): Promise<BenchResult[]> {
  const document = JSON.stringify(buildPolicy());
  const policies: PolicySet = {
    identityPolicies: [compilePolicyOrThrow(document)],
    permissionsBoundary: compilePolicyOrThrow({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', NotAction: ['iam:CreateUser', 'organizations:*'], Resource: '*' }],
    }),
  };
  const requests = buildRequests();
  const decisions = requests.map((request) => evaluate(request, policies).decision);
  const batch = 2_000;
  const samples: number[] = [];
  let sink = 0;
  for (let round = 0; round < 331; round += 1) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < batch; index += 1) {
      sink += evaluate(requests[index & 15]!, policies).matchedStatements.length;
    }
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (round >= 30) samples.push(elapsedMs / batch);
  }
  const value = median(samples);
  const tally = decisions.reduce<Record<string, number>>(
    (counts, decision) => ({ ...counts, [decision]: (counts[decision] ?? 0) + 1 }),
    {},
  );
  console.log(
    `policy ${document.length} bytes, ${policies.identityPolicies[0]!.statements.length} statements; decisions ${JSON.stringify(tally)}; ` +
      `median ${(value * 1000).toFixed(2)} µs per decision over ${samples.length} batches of ${batch} (checksum ${sink})`,
  );
  return Promise.resolve([
    {
      id: 'iam.evaluate_10k_median_ms',
      value: Number(value.toFixed(5)),
      unit: 'ms',
      goal: '<= 0.2',
      runs: samples.length,
    },
  ]);
}
