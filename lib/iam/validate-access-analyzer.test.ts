/**
 * The validator against IAM's documentation and Access Analyzer's policy check reference, class by
 * class (issue 15). Each group names the page its cases follow.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '@/lib/iam/catalogue';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { editDistance } from '@/lib/iam/did-you-mean';
import type { Finding } from '@/lib/iam/findings';
import { validatePolicy, type ValidatedPolicyKind } from '@/lib/iam/validate';
import { findVariableProblem } from '@/lib/iam/validate-variables';

const ACCESS_ANALYZER_CHECKS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html';

type Statement = Record<string, unknown>;
const doc = (...statements: Statement[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
const allow = (Action: unknown, Resource: unknown, extra: Statement = {}): Statement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const trust = (Principal: unknown, Action: unknown = 'sts:AssumeRole', extra: Statement = {}): Statement => ({
  Effect: 'Allow',
  Principal,
  Action,
  ...extra,
});
const condition = (operator: string, key: string, value: unknown): Statement => ({
  Condition: { [operator]: { [key]: value } },
});

let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await loadCatalogue();
});

const run = (text: string, kind: ValidatedPolicyKind = 'identity'): Finding[] =>
  validatePolicy(text, kind, { catalogue });
/** `code:severity` of every finding, for compact expectations. */
const codes = (text: string, kind: ValidatedPolicyKind = 'identity'): string[] =>
  run(text, kind).map((finding) => `${finding.code}:${finding.severity}`);
const errors = (text: string, kind: ValidatedPolicyKind = 'identity'): string[] =>
  run(text, kind)
    .filter((finding) => finding.severity === 'error')
    .map((finding) => finding.code);

describe(`policy variables (${ACCESS_ANALYZER_CHECKS}#access-analyzer-reference-policy-checks-error-missing-brace-in-variable and the next checks; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)`, () => {
  it.each([
    { text: '${aws:username}', problem: null },
    { text: 'home/${aws:username}/${aws:userid}/*', problem: null },
    { text: "${aws:PrincipalTag/team, 'company-wide'}", problem: null },
    { text: "${aws:PrincipalTag/team,'company wide'}", problem: null },
    { text: '${*}${?}${$}', problem: null },
    { text: 'no variable at all', problem: null },
    { text: 'home/${aws:username', problem: 'variable_missing_brace' },
    { text: '${aws:username/${aws:userid}', problem: 'variable_missing_brace' },
    { text: '${aws:PrincipalTag/team, company-wide}', problem: 'variable_missing_quote' },
    { text: "${aws:PrincipalTag/team, 'company-wide}", problem: 'variable_missing_quote' },
    { text: '${aws:PrincipalTag/team, "company-wide"}', problem: 'variable_missing_quote' },
    { text: "${aws:PrincipalTag/team, ''}", problem: null },
    { text: '${aws: username}', problem: 'variable_space' },
    { text: '${aws:username }', problem: 'variable_space' },
    { text: '${}', problem: 'variable_empty' },
    { text: '${ }', problem: 'variable_empty' },
    { text: "${, 'x'}", problem: 'variable_empty' },
  ])('$text → $problem', ({ text, problem }) => {
    expect(findVariableProblem(text)?.code ?? null).toBe(problem);
  });

  it.each([
    {
      where: 'a Resource entry',
      text: doc(allow('s3:GetObject', ['arn:aws:s3:::logs/*', 'arn:aws:s3:::home/${aws:username/*'])),
      code: 'variable_missing_brace',
      path: '/Statement/0/Resource/1',
    },
    {
      where: 'a condition value',
      text: doc(
        allow(
          's3:ListBucket',
          'arn:aws:s3:::home',
          condition('StringLike', 's3:prefix', ['${ aws:username}/*']),
        ),
      ),
      code: 'variable_space',
      path: '/Statement/0/Condition/StringLike/s3:prefix/0',
    },
    {
      where: 'a permissions boundary',
      text: doc(allow('s3:GetObject', 'arn:aws:s3:::team-${aws:PrincipalTag/team, none}/*')),
      code: 'variable_missing_quote',
      path: '/Statement/0/Resource',
    },
  ])('raises $code in $where, as an error', ({ text, code, path }) => {
    const finding = run(text, 'boundary').find((entry) => entry.code === code);
    expect(finding).toMatchObject({ severity: 'error', path });
  });

  it.each([
    {
      element: 'Action',
      text: doc(allow('iam:${aws:username}', '*')),
      kind: 'identity' as const,
      path: '/Statement/0/Action',
    },
    {
      element: 'Principal',
      text: doc(trust({ AWS: 'arn:aws:iam::111122223333:user/${aws:username}' })),
      kind: 'trust' as const,
      path: '/Statement/0/Principal/AWS',
    },
  ])('raises Variable unsupported in element in $element', ({ text, kind, path }) => {
    expect(run(text, kind).filter((finding) => finding.severity === 'error')).toEqual([
      expect.objectContaining({ code: 'variable_unsupported_in_element', path }),
    ]);
  });

  it.each([
    { operator: 'StringEquals', key: 'aws:PrincipalTag/team', invalid: false },
    { operator: 'StringNotLikeIfExists', key: 'aws:PrincipalTag/team', invalid: false },
    { operator: 'ArnLike', key: 'aws:SourceArn', invalid: false },
    { operator: 'NumericLessThan', key: 's3:max-keys', invalid: true },
    { operator: 'DateGreaterThan', key: 'aws:CurrentTime', invalid: true },
    { operator: 'Bool', key: 'aws:SecureTransport', invalid: true },
    { operator: 'IpAddress', key: 'aws:SourceIp', invalid: true },
    { operator: 'Null', key: 'aws:TokenIssueTime', invalid: true },
  ])(
    'a variable with $operator is invalid: $invalid (Invalid variable for operator)',
    ({ operator, key, invalid }) => {
      const text = doc(
        allow('s3:ListBucket', 'arn:aws:s3:::home', condition(operator, key, '${aws:PrincipalTag/value}')),
      );
      expect(errors(text).includes('variable_invalid_for_operator')).toBe(invalid);
    },
  );
});

describe(`Unsupported symbol in variable (${ACCESS_ANALYZER_CHECKS}#access-analyzer-reference-policy-checks-error-unsupported-symbol-in-variable; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)`, () => {
  // A variable's name is a condition key, and after a slash a tag key (letters, digits, _ . : / = + - @).
  it.each([
    { text: '${aws:username}', symbol: null },
    { text: '${aws:PrincipalTag/cost-center}', symbol: null },
    { text: '${aws:PrincipalTag/team_a.b:c=d+e@f}', symbol: null },
    { text: "${aws:PrincipalTag/équipe, 'none'}", symbol: null },
    { text: "${aws:PrincipalTag/team, 'a!b'}", symbol: null },
    { text: '${aws:user!name}', symbol: '!' },
    { text: '${aws:username;}', symbol: ';' },
    { text: "${'aws:username'}", symbol: "'" },
    { text: '${aws:PrincipalTag/team#1}', symbol: '#' },
    { text: '${aws:username*}', symbol: '*' },
  ])('$text → $symbol', ({ text, symbol }) => {
    const problem = findVariableProblem(text);
    expect(problem === null ? null : [problem.code, problem.symbol]).toEqual(
      symbol === null ? null : ['variable_unsupported_symbol', symbol],
    );
  });

  it('is an error in a Resource entry and in a condition value, naming the symbol', () => {
    const text = doc(
      allow('s3:GetObject', 'arn:aws:s3:::home/${aws:user!name}/*', {
        Condition: { StringEquals: { 's3:prefix': '${aws:user$name}' } },
      }),
    );
    const found = run(text).filter((finding) => finding.code === 'variable_unsupported_symbol');
    expect(found.map((finding) => [finding.severity, finding.path])).toEqual([
      ['error', '/Statement/0/Resource'],
      ['error', '/Statement/0/Condition/StringEquals/s3:prefix'],
    ]);
    expect(found[0]!.message).toContain('The symbol !');
  });
});

describe(`Missing qualifier (${ACCESS_ANALYZER_CHECKS}#access-analyzer-reference-policy-checks-error-missing-qualifier; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)`, () => {
  it.each([
    { operator: 'StringEquals', key: 'aws:TagKeys', expected: ['missing_qualifier:error'] },
    { operator: 'StringLike', key: 'aws:TagKeys', expected: ['missing_qualifier:error'] },
    { operator: 'ForAllValues:StringLike', key: 'aws:TagKeys', expected: [] },
    { operator: 'ForAnyValue:StringEquals', key: 'aws:TagKeys', expected: [] },
    { operator: 'StringEquals', key: 'aws:CalledVia', expected: ['missing_qualifier:error'] },
    { operator: 'ForAnyValue:StringEquals', key: 'aws:CalledVia', expected: [] },
    // A service's multivalued key stays a warning: AWS's current managed policies use
    // events:detail-type with StringEquals, and the reference lists none of them under this error.
    { operator: 'StringEquals', key: 'events:detail-type', expected: ['missing_set_operator:warning'] },
  ])('$operator on $key → $expected', ({ operator, key, expected }) => {
    const action = key.startsWith('events:') ? 'events:PutRule' : 's3:PutObjectTagging';
    const found = codes(doc(allow(action, '*', condition(operator, key, ['team']))));
    expect(found.filter((code) => /^missing_(qualifier|set_operator):/.test(code))).toEqual(expected);
  });
});

describe(`conditions (${ACCESS_ANALYZER_CHECKS}; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip)`, () => {
  it.each([
    { operator: 'IpAddress', values: ['10.0.0.0/8'], expected: ['private_ip_address:error'] },
    {
      operator: 'IpAddress',
      values: ['172.20.1.0/24', '192.168.0.1'],
      expected: ['private_ip_address:error'],
    },
    { operator: 'IpAddressIfExists', values: ['127.0.0.1'], expected: ['private_ip_address:error'] },
    { operator: 'IpAddress', values: ['169.254.169.254/32'], expected: ['private_ip_address:error'] },
    { operator: 'IpAddress', values: ['fd12:3456::/48', 'fe80::1'], expected: ['private_ip_address:error'] },
    { operator: 'NotIpAddress', values: ['10.0.0.0/16'], expected: ['private_not_ip_address:error'] },
    {
      operator: 'IpAddress',
      values: ['203.0.113.0/24', '10.0.0.0/8'],
      expected: ['private_ip_address_subset:suggestion'],
    },
    {
      operator: 'NotIpAddress',
      values: ['198.51.100.7', '192.168.0.0/16'],
      expected: ['private_not_ip_address_subset:suggestion'],
    },
    // Ranges wider than a private block hold public addresses too.
    { operator: 'IpAddress', values: ['0.0.0.0/0'], expected: [] },
    { operator: 'IpAddress', values: ['172.0.0.0/8'], expected: [] },
    { operator: 'IpAddress', values: ['2001:db8::/32', '203.0.113.9'], expected: [] },
  ])('aws:SourceIp with $operator $values → $expected', ({ operator, values, expected }) => {
    expect(
      codes(doc(allow('s3:GetObject', 'arn:aws:s3:::logs/*', condition(operator, 'aws:SourceIp', values)))),
    ).toEqual(expected);
  });

  it('does not apply the public-address rule to aws:VpcSourceIp', () => {
    expect(
      codes(
        doc(
          allow(
            's3:GetObject',
            'arn:aws:s3:::logs/*',
            condition('IpAddress', 'aws:VpcSourceIp', '10.0.0.0/8'),
          ),
        ),
      ),
    ).toEqual([]);
  });

  it.each([
    {
      name: 'the same key in different case in one operator',
      condition: { StringEquals: { 'aws:PrincipalTag/team': 'a', 'AWS:PrincipalTag/Team': 'b' } },
      expected: ['duplicate_condition_key_case:error'],
    },
    {
      name: 'the same key written twice',
      // The first "aws:PrincipalAccount" is written into the text below.
      condition: { StringEquals: { 'aws:PrincipalAccount': '444455556666' } },
      expected: ['duplicate_key:error'],
    },
    {
      name: 'one key under two operators',
      condition: {
        StringLike: { 'aws:PrincipalTag/team': 'a*' },
        StringNotEquals: { 'aws:principaltag/team': 'ab' },
      },
      expected: [],
    },
  ])('$name → $expected', ({ condition: block, expected }) => {
    // Written as text: an object literal cannot hold a key twice.
    const text = doc(allow('s3:GetObject', 'arn:aws:s3:::logs/*', { Condition: block })).replace(
      '"aws:PrincipalAccount": "444455556666"',
      '"aws:PrincipalAccount": "111122223333",\n "aws:PrincipalAccount": "444455556666"',
    );
    expect(codes(text)).toEqual(expected);
  });

  it.each([
    { values: 'true', expected: [] },
    { values: ['true'], expected: [] },
    { values: ['true', 'false'], expected: ['multiple_bool_values:error'] },
  ])(
    'Bool aws:SecureTransport $values → $expected (Invalid condition multiple Boolean)',
    ({ values, expected }) => {
      expect(
        codes(
          doc(allow('s3:GetObject', 'arn:aws:s3:::logs/*', condition('Bool', 'aws:SecureTransport', values))),
        ),
      ).toEqual(expected);
    },
  );

  it('raises Type mismatch number as a warning, not an error (Numeric operator, non-numeric value)', () => {
    const text = doc(
      allow('s3:ListBucket', 'arn:aws:s3:::logs', condition('NumericLessThan', 's3:max-keys', 'ten')),
    );
    expect(codes(text)).toEqual(['invalid_condition_value:warning']);
    const onStringKey = doc(allow('s3:GetObject', '*', condition('NumericEquals', 'aws:username', 'alice')));
    expect(errors(onStringKey)).toEqual([]);
    expect(codes(onStringKey)).toContain('invalid_condition_value:warning');
  });

  // "Error – Unsupported action for condition key": the reference rates it an error.
  it.each([
    {
      name: 'a key of another service that no action supports (${ACCESS_ANALYZER_CHECKS}#access-analyzer-reference-policy-checks-error-unsupported-action-for-condition-key)',
      statement: allow('s3:GetObject', '*', condition('StringEquals', 'ec2:InstanceType', 't3.micro')),
      expected: 'error',
    },
    {
      name: 'a key of the action’s own service the catalogue does not list for it',
      statement: allow('s3:ListAllMyBuckets', '*', condition('StringEquals', 's3:prefix', 'home/')),
      expected: 'warning',
    },
    {
      name: 'a key some of the actions support',
      statement: allow(
        ['s3:GetObject', 's3:ListBucket'],
        '*',
        condition('StringLike', 's3:prefix', 'home/*'),
      ),
      expected: 'warning',
    },
    {
      name: 'actions named with wildcards only (the reference leaves them out)',
      statement: allow('s3:Get*', '*', condition('StringEquals', 'ec2:InstanceType', 't3.micro')),
      expected: null,
    },
    {
      name: 'a global key',
      statement: allow('s3:GetObject', '*', condition('StringEquals', 'aws:PrincipalOrgID', 'o-abc123')),
      expected: null,
    },
  ])('$name → $expected', ({ statement, expected }) => {
    const finding = run(doc(statement)).find((entry) => entry.code === 'condition_key_not_supported');
    expect(finding?.severity ?? null).toBe(expected);
  });
});

describe(`versions (${ACCESS_ANALYZER_CHECKS}#access-analyzer-reference-policy-checks-general-warning-missing-version; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html)`, () => {
  const plain = [allow('s3:GetObject', 'arn:aws:s3:::logs/*')];
  const withVariable = [allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')];
  const trustPlain = [trust({ Service: 'ec2.amazonaws.com' })];
  it.each([
    {
      name: 'no Version, identity',
      kind: 'identity' as const,
      text: JSON.stringify({ Statement: plain }),
      expected: ['missing_version:warning'],
    },
    {
      name: 'no Version, boundary',
      kind: 'boundary' as const,
      text: JSON.stringify({ Statement: plain }),
      expected: ['missing_version:warning'],
    },
    {
      name: 'no Version, trust',
      kind: 'trust' as const,
      text: JSON.stringify({ Statement: trustPlain }),
      expected: ['missing_version:warning'],
    },
    {
      name: '2008-10-17 without variables, identity',
      kind: 'identity' as const,
      text: JSON.stringify({ Version: '2008-10-17', Statement: plain }),
      expected: ['legacy_version:suggestion'],
    },
    {
      name: '2008-10-17 without variables, trust',
      kind: 'trust' as const,
      text: JSON.stringify({ Version: '2008-10-17', Statement: trustPlain }),
      expected: ['legacy_version:suggestion'],
    },
    {
      name: '2008-10-17 with a variable',
      kind: 'identity' as const,
      text: JSON.stringify({ Version: '2008-10-17', Statement: withVariable }),
      expected: ['legacy_version:suggestion', 'variable_unsupported_in_version:error'],
    },
    {
      name: 'no Version with a variable (IAM reads it as 2008-10-17)',
      kind: 'identity' as const,
      text: JSON.stringify({ Statement: withVariable }),
      expected: ['missing_version:warning', 'variable_unsupported_in_version:error'],
    },
    {
      name: '2012-10-17 with a variable',
      kind: 'identity' as const,
      text: doc(...withVariable),
      expected: [],
    },
  ])('$name → $expected', ({ kind, text, expected }) => {
    expect(codes(text, kind)).toEqual(expected);
  });
});

const account = { AWS: 'arn:aws:iam::444455556666:root' };

describe(`trust policies (${ACCESS_ANALYZER_CHECKS}; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services; https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)`, () => {
  it.each([
    { service: 'lambda.amazonaws.com', valid: true },
    { service: 'logs.eu-west-1.amazonaws.com', valid: true },
    { service: 'ec2.amazonaws.com.cn', valid: true },
    { service: 'alexa-appkit.amazon.com', valid: true },
    { service: 'ec2.c2s.ic.gov', valid: true },
    { service: 'Lambda.amazonaws.com', valid: false },
    { service: 'lambda', valid: false },
    { service: 'lambda.amazonaws', valid: false },
    { service: 'lambda.example.com', valid: false },
    { service: 'lambda..amazonaws.com', valid: false },
    { service: '-lambda.amazonaws.com', valid: false },
    { service: 'arn:aws:iam::111122223333:role/x', valid: false },
  ])('Service $service is valid: $valid (Invalid service principal format)', ({ service, valid }) => {
    expect(errors(doc(trust({ Service: service })), 'trust')).toEqual(
      valid ? [] : ['invalid_service_principal'],
    );
  });

  it.each([
    { operator: 'StringEquals', key: 'iam:PassedToService', value: 'ec2.amazonaws.com', valid: true },
    { operator: 'StringEquals', key: 'kms:ViaService', value: 's3.eu-west-1.amazonaws.com', valid: true },
    { operator: 'StringEquals', key: 'iam:PassedToService', value: 'ec2', valid: false },
    {
      operator: 'StringEqualsIgnoreCase',
      key: 'aws:PrincipalServiceName',
      value: 'lambda.amazonaws',
      valid: false,
    },
    { operator: 'StringLike', key: 'iam:PassedToService', value: '*.amazonaws.com', valid: true },
    { operator: 'StringNotEquals', key: 'iam:PassedToService', value: 'ec2', valid: true },
  ])('$key $operator "$value" is a service principal: $valid', ({ operator, key, value, valid }) => {
    const text = doc(
      allow('iam:PassRole', 'arn:aws:iam::111122223333:role/app', condition(operator, key, value)),
    );
    expect(errors(text).includes('invalid_service_principal')).toBe(!valid);
  });

  it.each([
    { actions: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], missing: null },
    { actions: 'sts:*', missing: null },
    { actions: 'sts:AssumeRole', missing: 'sts:TagSession and sts:SetSourceIdentity' },
    { actions: ['sts:AssumeRole', 'sts:TagSession'], missing: 'sts:SetSourceIdentity' },
  ])('Roles Anywhere with $actions: missing $missing', ({ actions, missing }) => {
    const finding = run(doc(trust({ Service: 'rolesanywhere.amazonaws.com' }, actions)), 'trust').find(
      (entry) => entry.code === 'trust_roles_anywhere_missing_action',
    );
    if (missing === null) expect(finding).toBeUndefined();
    else {
      expect(finding).toMatchObject({ severity: 'error', path: '/Statement/0/Action' });
      expect(finding?.message).toContain(`add ${missing} to Action`);
    }
  });

  it('does not hold sts:TagSession to the keys of the assume request it rides on', () => {
    const text = doc(
      trust(account, ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], {
        Condition: { StringEquals: { 'sts:ExternalId': 'abc-123', 'sts:RoleSessionName': 'ci' } },
      }),
    );
    expect(run(text, 'trust')).toEqual([]);
  });

  it('raises a duplicate key inside Principal, which JSON.parse would silently drop', () => {
    const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com", "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}`;
    expect(run(text, 'trust')).toEqual([
      expect.objectContaining({
        code: 'duplicate_key',
        severity: 'error',
        path: '/Statement/0/Principal/Service',
        column: text.lastIndexOf('"Service"') + 1,
      }),
    ]);
  });

  it.each([
    { operator: 'StringEquals', value: 'ab', valid: true },
    { operator: 'StringEquals', value: 'a'.repeat(1224), valid: true },
    { operator: 'StringEquals', value: 'Ext_ID+=,.@:/-9', valid: true },
    { operator: 'StringEquals', value: 12345, valid: true },
    { operator: 'StringEquals', value: 'a', valid: false },
    { operator: 'StringEquals', value: 'a'.repeat(1225), valid: false },
    { operator: 'StringEquals', value: 'has space', valid: false },
    { operator: 'StringEquals', value: 'hash#tag', valid: false },
    { operator: 'StringEquals', value: 'ünïcode', valid: false },
    { operator: 'StringLike', value: 'tenant-*', valid: true },
    { operator: 'StringLike', value: '*', valid: true },
    { operator: 'StringLike', value: 'bad id*', valid: false },
    { operator: 'StringEquals', value: '${aws:PrincipalTag/ext}', valid: true },
    { operator: 'StringNotEquals', value: 'a', valid: true },
  ])('sts:ExternalId $operator "$value" can be sent: $valid', ({ operator, value, valid }) => {
    const text = doc(trust(account, 'sts:AssumeRole', condition(operator, 'sts:ExternalId', value)));
    expect(errors(text, 'trust')).toEqual(valid ? [] : ['invalid_external_id']);
  });
});

describe(`did you mean (${ACCESS_ANALYZER_CHECKS}#access-analyzer-reference-policy-checks-error-invalid-action)`, () => {
  it.each([
    { a: 'getobject', b: 'getobject', distance: 0 },
    { a: 'getobjekt', b: 'getobject', distance: 1 },
    { a: 'getobjcet', b: 'getobject', distance: 1 },
    { a: 'getobjects', b: 'getobject', distance: 1 },
    { a: 'putobject', b: 'getobject', distance: 2 },
    { a: 'abc', b: 'abcdefgh', distance: 5 },
  ])('editDistance($a, $b) = $distance', ({ a, b, distance }) => {
    expect(editDistance(a, b, 8)).toBe(distance);
    expect(editDistance(a, b, distance)).toBe(distance);
    if (distance > 0) expect(editDistance(a, b, distance - 1)).toBe(distance);
  });

  it.each([
    { text: doc(allow('s3:GetObjekt', '*')), code: 'unknown_action', first: 's3:GetObject' },
    { text: doc(allow('s3:getobjcet', '*')), code: 'unknown_action', first: 's3:GetObject' },
    { text: doc(allow('lambda:InvokeFuntion', '*')), code: 'unknown_action', first: 'lambda:InvokeFunction' },
    { text: doc(allow('s3:GetObj', '*')), code: 'unknown_action', first: 's3:GetObject' },
    { text: doc(allow('s4:GetObject', '*')), code: 'unknown_service', first: 's3:GetObject' },
    {
      text: doc(allow('lamda:InvokeFunction', '*')),
      code: 'unknown_service',
      first: 'lambda:InvokeFunction',
    },
    {
      text: doc(allow('s3:GetObject', '*', condition('IpAddress', 'aws:SourceIpp', '203.0.113.0/24'))),
      code: 'unknown_condition_key',
      first: 'aws:SourceIp',
    },
    {
      text: doc(allow('s3:GetObject', '*', condition('StringEquals', 'aws:PrincipalTagg/team', 'a'))),
      code: 'unknown_condition_key',
      first: 'aws:PrincipalTag/team',
    },
    {
      text: doc(allow('s3:ListBucket', '*', condition('StringLike', 's3:prefixx', 'a/*'))),
      code: 'unknown_condition_key',
      first: 's3:prefix',
    },
  ])('$code offers $first', ({ text, code, first }) => {
    const finding = run(text).find((entry) => entry.code === code);
    expect(finding?.suggestions?.[0]).toBe(first);
    expect(finding!.suggestions!.length).toBeLessThanOrEqual(3);
    expect(finding!.message).toContain(`Did you mean "${first}"`);
  });

  it('offers nothing when no name is close, and says to check the spelling', () => {
    const finding = run(doc(allow('s3:Zzzzzzzzzzzzzz', '*'))).find(
      (entry) => entry.code === 'unknown_action',
    );
    expect(finding?.suggestions).toBeUndefined();
    expect(finding?.message).toContain('Check the spelling');
  });

  it('does not blow up: 500 misspelt actions across services answer in seconds', () => {
    const services = ['ec2', 's3', 'iam', 'lambda', 'dynamodb'];
    const statements = Array.from({ length: 500 }, (_, n) =>
      allow(`${services[n % 5]}:DescribeThingNumber${n}`, '*'),
    );
    const text = doc(...statements);
    const started = performance.now();
    const findings = run(text);
    expect(findings.filter((finding) => finding.code === 'unknown_action')).toHaveLength(500);
    // A safety check, not a figure (about 0.2 s; the validator's speed is `npm run bench -- iam`):
    // ten seconds means each misspelling is compared with the whole catalogue rather than its
    // service's names, or the edit distance lost its early exit at the allowed limit.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
