import { beforeAll, describe, expect, it } from 'vitest';
import { awsManagedPolicyDocument } from '@/lib/iam/aws-managed-policies';
import type { Catalogue } from '@/lib/iam/catalogue';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { roleSpecSchema, type RoleSpec, type RoleSpecInput } from '@/lib/iam/role-spec';
import { semanticDiff } from '@/lib/iam/semantic-diff';

const ACCOUNT = '444455556666';
const CUSTOMER = `arn:aws:iam::${ACCOUNT}:policy/not-known`;
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: unknown, resource: unknown = '*', extra: object = {}) => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...extra,
});

function spec(statements: object[], overrides: Partial<RoleSpecInput> = {}): RoleSpec {
  return roleSpecSchema.parse({
    accountId: ACCOUNT,
    name: 'app-role',
    trustedEntity: { type: 'aws_account', accountId: '111122223333' },
    inlinePolicies: [{ name: 'main', document: doc(...statements) }],
    ...overrides,
  });
}

let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await loadCatalogue();
});
const diff = (before: RoleSpec, after: RoleSpec) =>
  semanticDiff(before, after, { catalogue, lookup: awsManagedPolicyDocument });
const names = (groups: { service: string; level: string; actions: string[] }[]) =>
  groups.map((g) => `${g.service}/${g.level}: ${g.actions.length}`);

describe('semanticDiff', () => {
  it('expands wildcards against the catalogue and groups by service and access level', () => {
    const result = diff(
      spec([allow('s3:GetObject')]),
      spec([allow(['s3:GetObject', 's3:Get*', 'sqs:SendMessage'])]),
    );
    const s3Read = result.actionsAdded.find((g) => g.service === 's3' && g.level === 'Read')!;
    expect(s3Read.actions).toContain('s3:GetBucketPolicy');
    expect(s3Read.actions).not.toContain('s3:GetObject');
    const sqs = result.actionsAdded.find((g) => g.service === 'sqs');
    expect([sqs?.serviceName, sqs?.level, sqs?.actions]).toEqual([
      'Amazon SQS',
      'Write',
      ['sqs:SendMessage'],
    ]);
    expect(result.actionsRemoved).toEqual([]);
  });

  it.each([
    {
      name: 'actions removed',
      before: [allow(['s3:GetObject', 's3:PutObject'])],
      after: [allow('s3:GetObject')],
      added: [],
      removed: ['s3/Write: 1'],
    },
    {
      name: 'NotAction expanded',
      before: [allow('s3:*')],
      after: [{ Effect: 'Allow', NotAction: 's3:*', Resource: 'arn:aws:sqs:*:*:q' }],
      removedService: 's3',
    },
    {
      name: 'no change',
      before: [allow('s3:GetObject')],
      after: [allow('S3:getobject')],
      added: [],
      removed: [],
    },
  ])('$name', ({ before, after, added, removed, removedService }) => {
    const result = diff(spec(before), spec(after));
    if (added) expect(names(result.actionsAdded)).toEqual(added);
    if (removed) expect(names(result.actionsRemoved)).toEqual(removed);
    if (removedService) expect(result.actionsRemoved.every((g) => g.service === removedService)).toBe(true);
  });

  it('lists resources and conditions that changed for actions on both sides', () => {
    const result = diff(
      spec([allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::b/*')]),
      spec([
        allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::b/x/*', {
          Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        }),
      ]),
    );
    expect(result.scopeChanges).toEqual([
      {
        effect: 'Allow',
        actions: ['s3:GetObject', 's3:PutObject'],
        before: ['Resource: arn:aws:s3:::b/*'],
        after: ['Resource: arn:aws:s3:::b/x/*; Condition: IpAddress aws:SourceIp = 10.0.0.0/8'],
      },
    ]);
  });

  it('lists denies added apart from allows', () => {
    const result = diff(
      spec([allow('s3:*')]),
      spec([allow('s3:*'), { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }]),
    );
    expect(result.actionsAdded).toEqual([]);
    expect(names(result.deniesAdded)).toEqual(['s3/Write: 1']);
  });

  it('lists trust principals and conditions added and removed, with the who-can-assume sentences', () => {
    const result = diff(
      spec([], { trustedEntity: { type: 'aws_account', accountId: '111122223333', requireMfa: true } }),
      spec([], { trustedEntity: { type: 'aws_account', accountId: '777788889999' } }),
    );
    expect(result.trust.principalsAdded.map((p) => p.label)).toEqual(['Account 777788889999']);
    expect(result.trust.principalsRemoved.map((p) => p.label)).toEqual(['Account 111122223333']);
    expect(result.trust.conditionsRemoved).toEqual(['Bool aws:MultiFactorAuthPresent = true']);
    expect(result.trust.whoCanAssume?.after).toMatch(/777788889999/);
  });

  it('lists managed policies, boundary, tags, session duration and description', () => {
    const result = diff(
      spec([allow('s3:GetObject')], {
        managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', CUSTOMER],
        tags: [
          { key: 'team', value: 'a' },
          { key: 'old', value: 'x' },
        ],
        description: 'before',
      }),
      spec([allow('s3:GetObject')], {
        managedPolicyArns: [CUSTOMER, 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
        permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
        tags: [
          { key: 'team', value: 'b' },
          { key: 'new', value: 'y' },
        ],
        maxSessionDuration: 7200,
        description: 'after',
      }),
    );
    expect(result.managedPolicies).toEqual({
      attached: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
      detached: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    expect(result.boundary).toEqual({ before: null, after: 'arn:aws:iam::aws:policy/PowerUserAccess' });
    expect(result.tags).toEqual({
      added: [{ key: 'new', value: 'y' }],
      removed: [{ key: 'old', value: 'x' }],
      changed: [{ key: 'team', before: 'a', after: 'b' }],
    });
    expect(result.maxSessionDuration).toEqual({ before: 3600, after: 7200 });
    expect(result.description).toEqual({ before: 'before', after: 'after' });
    expect(result.notCompared).toEqual([CUSTOMER]);
    expect(result.documents.map((d) => [d.title, d.change])).toEqual([
      ['Managed policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'added'],
      ['Permissions boundary arn:aws:iam::aws:policy/PowerUserAccess', 'added'],
      ['Managed policy arn:aws:iam::aws:policy/ReadOnlyAccess', 'removed'],
    ]);
  });

  it('gives the side-by-side of changed documents only', () => {
    const result = diff(spec([allow('s3:GetObject')]), spec([allow(['s3:GetObject'], '*', { Sid: 'Read' })]));
    expect(result.documents).toHaveLength(1);
    expect(result.documents[0]).toMatchObject({
      title: 'Inline policy main',
      field: 'inlinePolicies.0.document',
      change: 'changed',
    });
    const { rows } = result.documents[0]!.diff;
    expect(rows.filter((row) => row.kind === 'added').map((row) => row.after!.text.trim())).toEqual([
      '"Sid": "Read"',
    ]);
  });
});
