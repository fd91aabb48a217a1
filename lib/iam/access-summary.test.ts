import { beforeAll, describe, expect, it } from 'vitest';
import { formatServiceAccess, summarizeAccess } from '@/lib/iam/access-summary';
import type { Catalogue } from '@/lib/iam/catalogue';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { normalizePolicy, policyDocumentSchema } from '@/lib/iam/policy';

const policy = (...statements: object[]) =>
  normalizePolicy(policyDocumentSchema.parse({ Version: '2012-10-17', Statement: statements }));

let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await loadCatalogue();
});

describe('summarizeAccess', () => {
  it.each([
    {
      name: 's3:*',
      statements: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      service: 's3',
      text: 'Full access',
      resources: 'all',
    },
    {
      name: 'read and list',
      statements: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
        },
      ],
      service: 's3',
      text: 'Limited: List, Read',
      resources: 'specific',
    },
    {
      name: 'sqs:* minus denied deletes',
      statements: [
        { Effect: 'Allow', Action: 'sqs:*', Resource: '*' },
        { Effect: 'Deny', Action: 'sqs:Delete*', Resource: '*' },
      ],
      service: 'sqs',
      text: 'Full: Read, Permissions management, Tagging; Limited: Write',
      resources: 'all',
    },
    {
      name: 'case-insensitive wildcard',
      statements: [{ Effect: 'Allow', Action: 'DYNAMODB:get*', Resource: '*' }],
      service: 'dynamodb',
      text: 'Limited: Read',
      resources: 'all',
    },
  ])('$name → $service $text', ({ statements, service, text, resources }) => {
    const summary = summarizeAccess(policy(...statements), catalogue);
    const entry = summary.services.find((s) => s.prefix === service);
    expect(entry && formatServiceAccess(entry)).toBe(text);
    expect(entry?.resources).toBe(resources);
    expect(summary.services.map((s) => s.prefix)).toEqual([service]);
  });

  it('a conditional Deny is not subtracted; a conditional Allow is marked', () => {
    const summary = summarizeAccess(
      policy(
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'true' } },
        },
        {
          Effect: 'Deny',
          Action: 'sqs:SendMessage',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/x': 'y' } },
        },
      ),
      catalogue,
    );
    expect(summary.services[0]).toMatchObject({
      prefix: 'sqs',
      isConditional: true,
      actions: ['sqs:SendMessage'],
      statements: [0],
    });
  });

  it('Allow with NotAction grants every other service, and counts the levels', () => {
    const summary = summarizeAccess(
      policy({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }),
      catalogue,
    );
    const prefixes = summary.services.map((s) => s.prefix);
    expect(prefixes).not.toContain('iam');
    expect(prefixes).not.toContain('organizations');
    expect(prefixes.length).toBeGreaterThan(300);
    expect(summary.services.find((s) => s.prefix === 's3')?.isFullAccess).toBe(true);
  });

  it('combines policies and lists unknown actions', () => {
    const summary = summarizeAccess(
      [
        policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjekt'], Resource: '*' }),
        policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }),
      ],
      catalogue,
    );
    expect(summary.services.map((s) => s.prefix)).toEqual(['kms', 's3']);
    expect(summary.unrecognizedActions).toEqual([{ action: 's3:GetObjekt', statements: [0] }]);
    const kms = summary.services[0]!;
    expect(kms.levels).toEqual([
      { level: 'Write', scope: 'limited', granted: 1, total: kms.levels[0]!.total },
    ]);
    expect(kms.levels[0]!.total).toBeGreaterThan(1);
  });

  it('a Deny on everything leaves nothing', () => {
    expect(
      summarizeAccess(
        policy(
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: '*', Resource: '*' },
        ),
        catalogue,
      ).services,
    ).toEqual([]);
  });
});
