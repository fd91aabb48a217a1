import { describe, expect, it } from 'vitest';
import { compareRole, liveRoleSpec, type LiveRoleState } from '@/lib/iam/role-drift';
import { roleSpecSchema } from '@/lib/iam/role-spec';
import { trustPolicyText } from '@/lib/iam/trust-builder';

const document = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/*' }],
});

const recorded = roleSpecSchema.parse({
  accountId: '444455556666',
  name: 'app',
  path: '/',
  description: 'The app',
  maxSessionDuration: 7200,
  trustedEntity: { type: 'aws_account', accountId: '111122223333', requireMfa: true },
  managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  newManagedPolicies: [{ name: 'app-policy', description: '', document }],
  inlinePolicies: [{ name: 's3-read', document }],
  permissionsBoundaryArn: 'arn:aws:iam::444455556666:policy/Boundary',
  tags: [{ key: 'team', value: 'y' }],
});

const asRecorded: LiveRoleState = {
  path: '/',
  description: 'The app',
  maxSessionDurationSeconds: 7200,
  trustPolicy: trustPolicyText(recorded.trustedEntity),
  permissionsBoundaryArn: 'arn:aws:iam::444455556666:policy/Boundary',
  tags: [
    { key: 'rolesmith:request-id', value: '0b5e1c9a-4f8d-4c1e-9d3a-6f2b8e7a1c40' },
    { key: 'team', value: 'y' },
  ],
  attachedPolicies: [
    { name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    { name: 'app-policy', arn: 'arn:aws:iam::444455556666:policy/app-policy' },
  ],
  inlinePolicies: [{ name: 's3-read', document }],
  customerPolicyDocuments: { 'arn:aws:iam::444455556666:policy/app-policy': document },
  instanceProfiles: null,
};

const allow = (action: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('compareRole', () => {
  it('finds nothing in a role as recorded (the portal tag ignored), and its live spec is the record', () => {
    expect(compareRole(recorded, asRecorded)).toEqual([]);
    expect(liveRoleSpec(recorded, asRecorded)).toEqual(recorded);
  });

  it('finds nothing when the documents come URL-encoded and reformatted', () => {
    const encoded = (text: string) => encodeURIComponent(JSON.stringify(JSON.parse(text)));
    expect(
      compareRole(recorded, {
        ...asRecorded,
        trustPolicy: encoded(asRecorded.trustPolicy),
        inlinePolicies: [{ name: 's3-read', document: encoded(document) }],
      }),
    ).toEqual([]);
  });

  it.each([
    {
      change: { tags: [{ key: 'team', value: 'x' }] },
      kinds: ['tag_changed'],
      sentences: ['Tag `team` is `x` in AWS; Rolesmith recorded `y`'],
    },
    {
      change: {
        tags: [
          { key: 'TEAM', value: 'y' },
          { key: 'cost', value: '1' },
        ],
      },
      kinds: ['tag_added'],
      sentences: ['Tag `cost` was added outside Rolesmith (value `1`)'],
    },
    { change: { tags: [] }, kinds: ['tag_removed'], sentences: ['Tag `team` was removed outside Rolesmith'] },
    {
      change: { inlinePolicies: [{ name: 's3-read', document: allow('s3:*') }] },
      kinds: ['inline_policy_changed'],
      sentences: ['The inline policy `s3-read` was changed outside Rolesmith'],
    },
    {
      change: { permissionsBoundaryArn: null },
      kinds: ['boundary_changed'],
      sentences: ['The permissions boundary `Boundary` was removed outside Rolesmith'],
    },
    {
      change: { permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
      kinds: ['boundary_changed'],
      sentences: ['The permissions boundary is `PowerUserAccess` in AWS; Rolesmith recorded `Boundary`'],
    },
    {
      change: { customerPolicyDocuments: { 'arn:aws:iam::444455556666:policy/app-policy': allow('*') } },
      kinds: ['managed_policy_changed'],
      sentences: ['The policy `app-policy` was changed outside Rolesmith'],
    },
    {
      change: { description: null, maxSessionDurationSeconds: 3600 },
      kinds: ['description_changed', 'max_session_duration_changed'],
      sentences: [
        'The description was removed outside Rolesmith',
        'The maximum session duration is 1 hour in AWS; Rolesmith recorded 2 hours',
      ],
    },
    {
      change: {
        trustPolicy: trustPolicyText({ type: 'aws_account', accountId: '111122223333', requireMfa: false }),
      },
      kinds: ['trust_policy_changed'],
      sentences: ['The trust policy was changed outside Rolesmith'],
    },
    {
      change: { instanceProfiles: [] },
      kinds: ['instance_profile_missing'],
      sentences: ['The instance profile `app` no longer holds the role'],
    },
  ] satisfies { change: Partial<LiveRoleState>; kinds: string[]; sentences: string[] }[])(
    '$kinds',
    ({ change, kinds, sentences }) => {
      const differences = compareRole(recorded, { ...asRecorded, ...change });
      expect(differences.map((difference) => difference.kind)).toEqual(kinds);
      expect(differences.map((difference) => difference.sentence)).toEqual(sentences);
    },
  );

  it('writes the live role as a spec: what is attached now, the live documents and tags', () => {
    const live = liveRoleSpec(recorded, {
      ...asRecorded,
      attachedPolicies: [
        { name: 'app-policy', arn: 'arn:aws:iam::444455556666:policy/app-policy' },
        { name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      ],
      customerPolicyDocuments: { 'arn:aws:iam::444455556666:policy/app-policy': allow('s3:*') },
      permissionsBoundaryArn: null,
      description: null,
    });
    expect(live).toMatchObject({
      managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      newManagedPolicies: [{ name: 'app-policy', document: allow('s3:*') }],
      description: '',
      tags: [{ key: 'team', value: 'y' }],
    });
    expect(live.permissionsBoundaryArn).toBeUndefined();
  });
});
