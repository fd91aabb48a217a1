/**
 * Benchmarks of lib/iam's validator and catalogue search (issue 3):
 * - `iam.validate_10k_median_ms` / `iam.validate_10k_p95_ms`: `validatePolicy` on a realistic
 *   inline policy of about 10,240 characters and 90 statements, with the full catalogue.
 * - `iam.catalogue_search_p95_ms`: `searchActions` across all services, over a mix of queries.
 * The catalogue is loaded once before measuring, as in the server.
 */
import { performance } from 'node:perf_hooks';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { validatePolicy } from '@/lib/iam/validate';
import { median, percentile, type BenchResult } from './types';

const TARGET_SIZE = 10_240;
const READ_ONLY = [
  'ec2:Describe*',
  'cloudwatch:PutMetricData',
  'xray:PutTraceSegments',
  's3:ListAllMyBuckets',
  'ecr:GetAuthorizationToken',
  'cloudwatch:GetMetricData',
];

/** One statement of a typical workload policy, varied by `n`. */
function statement(n: number): Record<string, unknown> {
  const account = '111122223333';
  const templates: (() => Record<string, unknown>)[] = [
    () => ({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `arn:aws:s3:::data-${n}/*`,
    }),
    () => ({
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `arn:aws:s3:::data-${n}`,
      Condition: { StringLike: { 's3:prefix': [`r/${n}/*`] } },
    }),
    () => ({
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
      Resource: `arn:aws:dynamodb:eu-west-1:${account}:table/t${n}`,
    }),
    () => ({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `arn:aws:logs:eu-west-1:${account}:log-group:/a/${n}:*`,
    }),
    () => ({
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'],
      Resource: `arn:aws:sqs:eu-west-1:${account}:q${n}`,
    }),
    () => ({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: `arn:aws:kms:eu-west-1:${account}:key/${n}`,
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    }),
    () => ({ Effect: 'Allow', Action: [READ_ONLY[n % READ_ONLY.length]!], Resource: '*' }),
    () => ({
      Effect: 'Allow',
      Action: 'ecr:BatchGetImage',
      Resource: `arn:aws:ecr:*:${account}:repository/r${n}`,
    }),
    () => ({ Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${account}:role/svc-${n}` }),
    () => ({ Effect: 'Allow', Action: 'sns:Subscribe', Resource: `arn:aws:sns:*:*:t${n}` }),
    () => ({ Effect: 'Allow', Action: 'sqs:GetQueueUrl', Resource: `arn:aws:sqs:*:*:q${n}` }),
    () => ({ Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' }),
    () => ({
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: `arn:aws:lambda:eu-west-1:${account}:function:fn${n}`,
    }),
    () => ({
      Effect: 'Deny',
      Action: 's3:DeleteObject',
      Resource: `arn:aws:s3:::data-${n}/*`,
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
    }),
    () => ({
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: `arn:aws:sns:eu-west-1:${account}:tp${n}`,
    }),
    () => ({
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParameters'],
      Resource: `arn:aws:ssm:eu-west-1:${account}:parameter/a/${n}/*`,
    }),
    () => ({
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: `arn:aws:secretsmanager:eu-west-1:${account}:secret:a${n}-*`,
      Condition: { StringEquals: { 'aws:ResourceTag/team': 'data' } },
    }),
  ];
  // Every third statement has a Sid, as people write them.
  return { ...(n % 3 === 0 ? { Sid: `S${n}` } : {}), ...templates[n % templates.length]!() };
}

/** A compact (whitespace-free) policy of about `TARGET_SIZE` characters. */
export function buildBenchPolicy(): { text: string; statements: number } {
  const statements: Record<string, unknown>[] = [];
  let text = '';
  for (let n = 0; ; n += 1) {
    const next = JSON.stringify({ Version: '2012-10-17', Statement: [...statements, statement(n)] });
    if (next.length > TARGET_SIZE) break;
    statements.push(statement(n));
    text = next;
  }
  return { text, statements: statements.length };
}

const SEARCH_QUERIES = [
  'get',
  's3:get',
  'passrole',
  'describe inst',
  'ec2:run',
  'lambda invoke',
  'put',
  'createrole',
  'kms:de',
  'object',
  'list',
  'tag',
  'dynamodb:query',
  'sts:assume',
  'secret',
  'logs:put',
  'delete bucket',
  'x',
  'iam:',
  'snapshot',
];

export default async function run(): Promise<BenchResult[]> {
  const catalogue = await loadCatalogue();
  const { text } = buildBenchPolicy();
  const options = { catalogue, identityPolicyType: 'inline' as const };

  for (let i = 0; i < 300; i += 1) validatePolicy(text, 'identity', options);
  const validateTimes: number[] = [];
  for (let i = 0; i < 2000; i += 1) {
    const start = performance.now();
    validatePolicy(text, 'identity', options);
    validateTimes.push(performance.now() - start);
  }

  for (let i = 0; i < 20; i += 1) for (const query of SEARCH_QUERIES) catalogue.searchActions(query);
  const searchTimes: number[] = [];
  for (let i = 0; i < 100; i += 1) {
    for (const query of SEARCH_QUERIES) {
      const start = performance.now();
      catalogue.searchActions(query);
      searchTimes.push(performance.now() - start);
    }
  }

  const round = (value: number): number => Math.round(value * 1000) / 1000;
  return [
    {
      id: 'iam.validate_10k_median_ms',
      value: round(median(validateTimes)),
      unit: 'ms',
      goal: '<= 0.5',
      runs: validateTimes.length,
    },
    {
      id: 'iam.validate_10k_p95_ms',
      value: round(percentile(validateTimes, 95)),
      unit: 'ms',
      goal: null,
      runs: validateTimes.length,
    },
    {
      id: 'iam.catalogue_search_p95_ms',
      value: round(percentile(searchTimes, 95)),
      unit: 'ms',
      goal: '<= 1',
      runs: searchTimes.length,
    },
  ];
}
