import { describe, expect, it } from 'vitest';
import { normalizePolicy, parsePolicyDocument, policyDocumentSchema } from '@/lib/iam/policy';

describe('policyDocumentSchema', () => {
  it.each([
    {
      name: 'single statement object',
      doc: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } },
      valid: true,
    },
    {
      name: 'no Version',
      doc: { Statement: [{ Effect: 'Deny', NotAction: ['iam:*'], NotResource: '*' }] },
      valid: true,
    },
    {
      name: 'principal star',
      doc: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] },
      valid: true,
    },
    {
      name: 'principal forms',
      doc: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ['111122223333'], Service: 'ec2.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      valid: true,
    },
    {
      name: 'condition values of every JSON type',
      doc: {
        Statement: [
          {
            Effect: 'Allow',
            Action: '*',
            Resource: '*',
            Condition: {
              Bool: { 'aws:SecureTransport': false },
              NumericLessThan: { 's3:max-keys': 10 },
              StringEquals: { 'aws:PrincipalTag/team': ['a', 'b'] },
            },
          },
        ],
      },
      valid: true,
    },
    {
      name: 'unknown Version',
      doc: { Version: '2020-01-01', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      valid: false,
    },
    {
      name: 'unknown top-level key',
      doc: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }], Extra: 1 },
      valid: false,
    },
    {
      name: 'lower-case effect',
      doc: { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] },
      valid: false,
    },
    {
      name: 'Action and NotAction',
      doc: { Statement: [{ Effect: 'Allow', Action: '*', NotAction: 's3:*', Resource: '*' }] },
      valid: false,
    },
    { name: 'no action', doc: { Statement: [{ Effect: 'Allow', Resource: '*' }] }, valid: false },
    { name: 'empty statement list', doc: { Statement: [] }, valid: false },
    {
      name: 'empty principal object',
      doc: { Statement: [{ Effect: 'Allow', Principal: {}, Action: 'sts:AssumeRole' }] },
      valid: false,
    },
    {
      name: 'unknown principal type',
      doc: { Statement: [{ Effect: 'Allow', Principal: { Group: 'x' }, Action: 'sts:AssumeRole' }] },
      valid: false,
    },
  ])('$name → valid: $valid', ({ doc, valid }) => {
    expect(policyDocumentSchema.safeParse(doc).success).toBe(valid);
  });
});

describe('normalizePolicy', () => {
  it('gives arrays, keeps indexes, splits conditions and stringifies values', () => {
    const parsed = parsePolicyDocument(
      JSON.stringify({
        Version: '2012-10-17',
        Id: 'p1',
        Statement: [
          {
            Sid: 'A',
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: ['arn:aws:s3:::b/*'],
            Condition: {
              Bool: { 'aws:SecureTransport': true },
              NumericLessThan: { 's3:max-keys': [10, 20] },
            },
          },
          {
            Effect: 'Deny',
            NotAction: 'iam:*',
            NotResource: '*',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          },
        ],
      }),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const normalized = normalizePolicy(parsed.value);
    expect(normalized.version).toBe('2012-10-17');
    expect(normalized.id).toBe('p1');
    expect(normalized.statements[0]).toEqual({
      index: 0,
      sid: 'A',
      effect: 'Allow',
      principal: undefined,
      notPrincipal: undefined,
      action: ['s3:GetObject'],
      notAction: undefined,
      resource: ['arn:aws:s3:::b/*'],
      notResource: undefined,
      conditions: [
        { operator: 'Bool', key: 'aws:SecureTransport', values: ['true'] },
        { operator: 'NumericLessThan', key: 's3:max-keys', values: ['10', '20'] },
      ],
    });
    expect(normalized.statements[1]?.index).toBe(1);
    expect(normalized.statements[1]?.notAction).toEqual(['iam:*']);
    expect(normalized.statements[1]?.principal).toEqual({
      AWS: ['arn:aws:iam::111122223333:root'],
      Service: [],
      Federated: [],
      CanonicalUser: [],
    });
  });

  it('wraps a single statement object and keeps the star principal', () => {
    const parsed = parsePolicyDocument(
      '{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}}',
    );
    expect(parsed.ok && normalizePolicy(parsed.value).statements).toEqual([
      expect.objectContaining({ index: 0, principal: '*', action: ['sts:AssumeRole'], resource: undefined }),
    ]);
  });

  it('reports text that is not JSON', () => {
    const parsed = parsePolicyDocument('{"Statement":');
    expect(parsed.ok).toBe(false);
  });
});
