import { describe, expect, it } from 'vitest';
import {
  appendStatement,
  arnTemplateFields,
  buildArn,
  conditionObject,
  emptyBlock,
  orderActions,
  readBuilderDocument,
  removeStatement,
  replaceStatement,
  splitValues,
  statementOfBlock,
  type BuilderBlock,
} from '@/lib/wizard/builder-model';

/** A document written by hand, with spacing and key order the console would not write. */
const handWritten = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::logs/*"},
    {
      "Effect": "Allow",
      "NotAction": "iam:*",
      "Resource": "*"
    },
    { "Sid": "Assume", "Effect": "Allow", "Principal": { "AWS": "111122223333" }, "Action": "sts:AssumeRole" }
  ]
}`;

const lambdaOrder = [
  'ListFunctions',
  'GetFunction',
  'ListTags',
  'CreateFunction',
  'InvokeFunction',
  'UpdateFunctionCode',
];

function blocks(text: string): BuilderBlock[] {
  const read = readBuilderDocument(text);
  if (!read.ok) throw new Error(read.message);
  return read.statements.flatMap((statement) => (statement.kind === 'block' ? [statement.block] : []));
}

describe('readBuilderDocument', () => {
  it('shows what the builder can show as blocks and keeps the rest as JSON with the reason', () => {
    const read = readBuilderDocument(handWritten);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.statements.map((statement) => statement.kind)).toEqual(['block', 'json', 'json']);
    expect(read.statements[0]).toMatchObject({
      kind: 'block',
      block: { effect: 'Allow', service: 's3', actions: ['GetObject'], resources: ['arn:aws:s3:::logs/*'] },
      position: { line: 4, column: 5 },
    });
    expect(read.statements[1]).toMatchObject({
      kind: 'json',
      reason: 'it uses NotAction',
      position: { line: 5 },
    });
    expect(read.statements[2]).toMatchObject({ kind: 'json', reason: 'it uses Principal' });
    expect(read.statements[2]?.text).toBe(
      '{ "Sid": "Assume", "Effect": "Allow", "Principal": { "AWS": "111122223333" }, "Action": "sts:AssumeRole" }',
    );
  });

  it.each([
    [
      { Effect: 'Allow', Action: ['s3:GetObject', 'ec2:DescribeInstances'], Resource: '*' },
      'its actions belong to more than one service',
    ],
    [{ Effect: 'Allow', Action: 's3:GetObject', NotResource: '*' }, 'it uses NotResource'],
    [{ Effect: 'Maybe', Action: 's3:GetObject', Resource: '*' }, 'its Effect is neither Allow nor Deny'],
    [{ Effect: 'Allow', Action: 's3', Resource: '*' }, 'its action s3 is not service:name'],
    [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: ['*', 'arn:aws:s3:::a'] },
      'it lists * beside other resources',
    ],
    [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { Foo: { 'aws:SourceIp': '1.2.3.4' } },
      },
      'it uses the condition operator Foo',
    ],
    [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { StringEquals: { 'aws:x': { a: 1 } } },
      },
      'its condition on aws:x has values the builder cannot show',
    ],
    [{ Effect: 'Allow', Action: 3, Resource: '*' }, 'it has no Action list'],
  ])('keeps %j as JSON: %s', (statement, reason) => {
    const read = readBuilderDocument(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }));
    expect(read.ok && read.statements[0]).toMatchObject({ kind: 'json', reason });
  });

  it('keeps a statement that repeats a key as JSON (JSON.parse would drop one of them)', () => {
    const text = '{"Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}';
    expect(readBuilderDocument(text)).toMatchObject({
      ok: true,
      statements: [{ kind: 'json', reason: 'it repeats a key' }],
    });
  });

  it('reads conditions with operator variants and scalar values as text', () => {
    const [block] = blocks(
      JSON.stringify({
        Statement: {
          Effect: 'Deny',
          Action: 'ec2:*',
          Resource: '*',
          Condition: {
            Bool: { 'aws:MultiFactorAuthPresent': false },
            'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['env', 'team'] },
          },
        },
      }),
    );
    expect(block).toEqual({
      sid: '',
      effect: 'Deny',
      service: 'ec2',
      actions: ['*'],
      resources: ['*'],
      conditions: [
        { operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['false'] },
        { operator: 'ForAnyValue:StringLikeIfExists', key: 'aws:TagKeys', values: ['env', 'team'] },
      ],
    });
  });

  it('reads empty text as no statements and refuses text that is not a JSON object', () => {
    expect(readBuilderDocument('  ')).toEqual({ ok: true, statements: [] });
    expect(readBuilderDocument('{\n  "Statement": [')).toMatchObject({
      ok: false,
      position: { line: 2, column: 17 },
    });
    expect(readBuilderDocument('[1]')).toEqual({
      ok: false,
      message: 'The policy is not a JSON object.',
      position: { line: 1, column: 1 },
    });
    expect(readBuilderDocument('{"Statement": 3}')).toMatchObject({
      ok: false,
      position: { line: 1, column: 15 },
    });
  });
});

describe('writing blocks back', () => {
  it('builds the seed example: Lambda, four actions, all resources', () => {
    let text = appendStatement('', emptyBlock());
    const block: BuilderBlock = {
      ...emptyBlock(),
      service: 'lambda',
      actions: ['UpdateFunctionCode', 'ListFunctions', 'InvokeFunction', 'ListTags'],
      resources: ['*'],
    };
    text = replaceStatement(text, 0, block, lambdaOrder);
    expect(JSON.parse(text)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'lambda:ListFunctions',
            'lambda:ListTags',
            'lambda:InvokeFunction',
            'lambda:UpdateFunctionCode',
          ],
          Resource: '*',
        },
      ],
    });
    expect(text).toBe(`{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "lambda:ListFunctions",
                "lambda:ListTags",
                "lambda:InvokeFunction",
                "lambda:UpdateFunctionCode"
            ],
            "Resource": "*"
        }
    ]
}`);
  });

  it('rewrites only the edited statement: every other character stays as it was', () => {
    const [first] = blocks(handWritten);
    const edited = replaceStatement(handWritten, 0, { ...first!, actions: ['GetObject', 'PutObject'] });
    const start = handWritten.indexOf('{"Effect"');
    const end = handWritten.indexOf('},', start) + 1;
    expect(edited.slice(0, start)).toBe(handWritten.slice(0, start));
    expect(edited.slice(edited.length - (handWritten.length - end))).toBe(handWritten.slice(end));
    const read = readBuilderDocument(edited);
    expect(read.ok && read.statements.map((statement) => statement.text).slice(1)).toEqual(
      (readBuilderDocument(handWritten) as { ok: true; statements: { text: string }[] }).statements
        .slice(1)
        .map((statement) => statement.text),
    );
    expect(read.ok && read.statements[0]?.text).toBe(
      '{\n        "Effect": "Allow",\n        "Action": [\n            "s3:GetObject",\n            "s3:PutObject"\n        ],\n        "Resource": "arn:aws:s3:::logs/*"\n    }',
    );
  });

  it('indents a rewritten statement where it sits', () => {
    const text = '{\n  "Statement": [\n    {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}\n  ]\n}';
    const [block] = blocks(text);
    expect(replaceStatement(text, 0, { ...block!, effect: 'Deny' })).toBe(
      '{\n  "Statement": [\n    {\n        "Effect": "Deny",\n        "Action": "s3:GetObject",\n        "Resource": "*"\n    }\n  ]\n}',
    );
  });

  it('appends after the last statement, keeping the others exactly', () => {
    const added = appendStatement(handWritten, {
      ...emptyBlock(),
      service: 'sqs',
      actions: ['SendMessage'],
      resources: ['*'],
    });
    expect(added.startsWith(handWritten.slice(0, handWritten.lastIndexOf('}\n  ]') + 1))).toBe(true);
    const read = readBuilderDocument(added);
    expect(read.ok && read.statements.length).toBe(4);
    expect(read.ok && read.statements[3]).toMatchObject({
      kind: 'block',
      block: { service: 'sqs', actions: ['SendMessage'] },
    });
  });

  it('appends to a single statement object, an empty list, and a document without Statement', () => {
    const single =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}';
    const fromSingle = appendStatement(single, emptyBlock());
    expect(fromSingle).toContain('{"Effect":"Allow","NotAction":"iam:*","Resource":"*"},');
    expect((JSON.parse(fromSingle) as { Statement: unknown[] }).Statement).toHaveLength(2);
    const fromEmpty = appendStatement(
      '{\n    "Version": "2012-10-17",\n    "Statement": []\n}',
      emptyBlock(),
    );
    expect(fromEmpty).toBe(
      '{\n    "Version": "2012-10-17",\n    "Statement": [\n        {\n            "Effect": "Allow",\n            "Action": [],\n            "Resource": []\n        }\n    ]\n}',
    );
    const without = appendStatement('{\n    "Version": "2012-10-17"\n}', emptyBlock());
    expect(JSON.parse(without)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: [], Resource: [] }],
    });
  });

  it('removes one statement with its comma and keeps the others exactly', () => {
    const removedMiddle = removeStatement(handWritten, 1);
    expect((JSON.parse(removedMiddle) as { Statement: unknown[] }).Statement).toHaveLength(2);
    expect(removedMiddle).toContain(
      '{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::logs/*"},\n    { "Sid": "Assume"',
    );
    const removedLast = removeStatement(handWritten, 2);
    expect(removedLast).toContain('"Resource": "*"\n    }\n  ]');
    expect(
      removeStatement('{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}', 0),
    ).toBe('{"Statement":[]}');
  });

  it('throws for a statement the text does not have', () => {
    expect(() => replaceStatement('{"Statement":[]}', 0, emptyBlock())).toThrow('no statement 0');
    expect(() => removeStatement('{"Statement":[]}', 0)).toThrow('no statement 0');
  });

  it('writes conditions grouped by operator, one value as a string', () => {
    const conditions = [
      { operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'] },
      { operator: 'IpAddress', key: 'aws:SourceIp', values: ['203.0.113.0/24', '198.51.100.7/32'] },
      { operator: 'Bool', key: 'aws:SecureTransport', values: ['true'] },
    ];
    expect(conditionObject(conditions)).toEqual({
      Bool: { 'aws:MultiFactorAuthPresent': 'true', 'aws:SecureTransport': 'true' },
      IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7/32'] },
    });
    expect(
      Object.keys(
        statementOfBlock({
          ...emptyBlock(),
          sid: 'A',
          service: 's3',
          actions: ['GetObject'],
          resources: ['*'],
          conditions,
        }),
      ),
    ).toEqual(['Sid', 'Effect', 'Action', 'Resource', 'Condition']);
  });

  it('orders actions by the service order, unknown ones and wildcards after them as written', () => {
    expect(orderActions(['Zed', 'InvokeFunction', 'List*', 'listfunctions'], lambdaOrder)).toEqual([
      'listfunctions',
      'InvokeFunction',
      'Zed',
      'List*',
    ]);
  });
});

describe('ARN templates and values', () => {
  const template = 'arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}';
  it('lists the fields to ask for and fills them, * for any', () => {
    expect(arnTemplateFields(template)).toEqual(['Region', 'Account', 'FunctionName']);
    expect(buildArn(template, { Region: 'eu-west-1', Account: ' 444455556666 ', FunctionName: '' })).toBe(
      'arn:aws:lambda:eu-west-1:444455556666:function:*',
    );
    expect(buildArn(template, {}, 'aws-cn')).toBe('arn:aws-cn:lambda:*:*:function:*');
  });
  it('splits typed values on commas and new lines', () => {
    expect(splitValues('a, b\nc,,')).toEqual(['a', 'b', 'c']);
    expect(splitValues('  ')).toEqual(['']);
  });
});
