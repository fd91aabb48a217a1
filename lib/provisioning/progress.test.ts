import { describe, expect, it } from 'vitest';
import type { JobProgressRecord } from '@/lib/db/queries/provisioning';
import { explainAwsError } from '@/lib/provisioning/aws-error-words';
import type { ProvisioningPlan, ProvisioningStep } from '@/lib/provisioning/plan';
import { jobProgress } from '@/lib/provisioning/progress';
import { describeStepCall } from '@/lib/provisioning/step-call';

// A job's steps as the request page shows them, from its plan and intent records (pure).

const steps: ProvisioningStep[] = [
  {
    kind: 'create_role',
    key: 'create_role',
    role: {
      name: 'DataDev',
      path: '/',
      description: null,
      maxSessionDurationSeconds: 3600,
      trustPolicy: '{}',
      permissionsBoundaryArn: null,
      tags: [],
    },
  },
  {
    kind: 'attach_policy',
    key: 'attach:ReadOnlyAccess',
    roleName: 'DataDev',
    policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
  },
  { kind: 'verify_role', key: 'verify_role', roleName: 'DataDev' },
];
const plan: ProvisioningPlan = {
  operation: 'create',
  requestId: 'r',
  accountId: '444455556666',
  roleName: 'DataDev',
  target: null,
  steps,
};
const at = new Date('2026-12-08T00:00:00Z');

function record(overrides: Partial<JobProgressRecord>): JobProgressRecord {
  return {
    id: 'job',
    attempt: 1,
    operation: 'provision',
    status: 'running',
    plan,
    plannedIntents: null,
    intents: [],
    lastError: null,
    createdAt: at,
    updatedAt: at,
    finishedAt: null,
    ...overrides,
  };
}

const statuses = (job: JobProgressRecord) => jobProgress(job).steps.map((step) => step.status);

describe('jobProgress', () => {
  it.each([
    {
      case: 'queued, not claimed',
      job: record({ status: 'queued' }),
      expected: ['queued', 'queued', 'queued'],
    },
    {
      case: 'queued retry: what an earlier attempt did is done',
      job: record({
        status: 'queued',
        plannedIntents: [
          { key: 'create_role', index: 0, action: 'CreateRole', state: 'done' },
          { key: 'attach:ReadOnlyAccess', index: 1, action: 'AttachRolePolicy', state: 'pending' },
        ],
      }),
      expected: ['done', 'queued', 'queued'],
    },
    {
      case: 'running the attachment',
      job: record({
        intents: [
          { key: 'create_role', state: 'done', outcome: { arn: 'arn:role' }, completedAt: at },
          { key: 'attach:ReadOnlyAccess', state: 'pending', outcome: null, completedAt: null },
        ],
      }),
      expected: ['done', 'running', 'queued'],
    },
    {
      case: 'every write done: verifying',
      job: record({
        intents: [
          { key: 'create_role', state: 'done', outcome: null, completedAt: at },
          { key: 'attach:ReadOnlyAccess', state: 'done', outcome: null, completedAt: at },
        ],
      }),
      expected: ['done', 'done', 'running'],
    },
    {
      case: 'failed at the attachment',
      job: record({
        status: 'failed',
        lastError: { code: 'AccessDenied', message: 'not allowed', step: 'attach:ReadOnlyAccess' },
        intents: [
          { key: 'create_role', state: 'done', outcome: null, completedAt: at },
          { key: 'attach:ReadOnlyAccess', state: 'pending', outcome: null, completedAt: null },
        ],
      }),
      expected: ['done', 'failed', 'not_run'],
    },
    {
      case: 'failed before any step (no step named)',
      job: record({
        status: 'failed',
        plan: null,
        lastError: { code: 'InvalidInput', message: 'bad', step: null },
      }),
      expected: [],
    },
    { case: 'succeeded', job: record({ status: 'succeeded' }), expected: ['done', 'done', 'done'] },
  ])('$case', ({ job, expected }) => {
    expect(statuses(job)).toEqual(expected);
  });

  it('says what a step learnt, and what a running step waits out', () => {
    const running = jobProgress(
      record({
        status: 'retrying',
        lastError: { code: 'Throttling', message: 'Rate exceeded', step: 'attach:ReadOnlyAccess' },
        intents: [
          {
            key: 'create_role',
            state: 'done',
            outcome: { arn: 'arn:aws:iam::1:role/DataDev' },
            completedAt: at,
          },
          { key: 'attach:ReadOnlyAccess', state: 'pending', outcome: null, completedAt: null },
        ],
      }),
    );
    expect(running.steps.map((step) => [step.call, step.status, step.outcome])).toEqual([
      ['CreateRole DataDev', 'done', 'Done: arn:aws:iam::1:role/DataDev'],
      ['AttachRolePolicy ReadOnlyAccess', 'running', 'Waiting out Throttling, then retrying'],
      ['GetRole DataDev', 'queued', null],
    ]);
    expect(running.steps[1]?.error).toEqual({
      code: 'Throttling',
      message: 'Rate exceeded',
      explanation: explainAwsError('Throttling'),
    });
    expect(running.failure).toBeNull();

    const failed = jobProgress(
      record({
        status: 'failed',
        plan: null,
        lastError: { code: 'InvalidInput', message: 'bad', step: null },
      }),
    );
    expect(failed.failure).toMatchObject({ code: 'InvalidInput', message: 'bad', call: null });
  });
});

describe('describeStepCall', () => {
  it.each([
    [
      {
        kind: 'attach_policy',
        key: 'a',
        roleName: 'R',
        policyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      },
      'AttachRolePolicy ViewOnlyAccess',
    ],
    [
      { kind: 'put_inline_policy', key: 'p', roleName: 'R', policyName: 'Work', document: '{}' },
      'PutRolePolicy Work',
    ],
    [{ kind: 'tag_role', key: 't', roleName: 'R', tags: [{ key: 'a', value: 'b' }] }, 'TagRole R (1 tag)'],
    [{ kind: 'untag_role', key: 'u', roleName: 'R', keys: ['a', 'b'] }, 'UntagRole R (a, b)'],
    [{ kind: 'delete_policy', key: 'd', arn: 'arn:aws:iam::1:policy/apps/Mine' }, 'DeletePolicy Mine'],
    [{ kind: 'verify_attached_policies', key: 'v', roleName: 'R' }, 'ListAttachedRolePolicies R'],
  ] satisfies [ProvisioningStep, string][])('%# %s', (step, call) => {
    expect(describeStepCall(step).call).toBe(call);
  });
});

describe('explainAwsError', () => {
  it.each([
    ['EntityAlreadyExists', /already exists/],
    ['LimitExceeded', /quota/],
    ['NoSuchEntity', /does not exist/],
    ['MalformedPolicyDocument', /malformed/],
    ['AccessDenied', /not allowed/],
    ['Throttling', /limiting how fast/],
    ['ServiceFailure', /internal failure/],
    ['SomethingNew', /AWS refused the call/],
  ])('%s', (code, sentence) => {
    expect(explainAwsError(code)).toMatch(sentence);
  });
});
