import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  compilePolicyCached,
  compilePolicyOrThrow,
  evaluate,
  evaluateAssumeRole,
  principalContext,
  type Decision,
  type EvaluationRequest,
  type PolicySet,
  type RequestPrincipal,
} from './evaluate';

const A = '111122223333';
const B = '444455556666';

const user = (account = A, name = 'alice'): RequestPrincipal => ({
  arn: `arn:aws:iam::${account}:user/${name}`,
  accountId: account,
  kind: 'user',
});
const session = (account = A, role = 'Deployer', name = 's1'): RequestPrincipal => ({
  arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
  accountId: account,
  kind: 'assumed-role',
});

type Statement = Record<string, unknown>;
const doc = (...Statement: Statement[]) => compilePolicyOrThrow({ Version: '2012-10-17', Statement });
const allow = (Action: unknown, Resource: unknown = '*', extra: Statement = {}): Statement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const deny = (Action: unknown, Resource: unknown = '*', extra: Statement = {}): Statement => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...extra,
});

function request(overrides: Partial<EvaluationRequest> = {}): EvaluationRequest {
  return {
    principal: user(),
    action: 'iam:CreateRole',
    resource: `arn:aws:iam::${A}:role/app/Web`,
    resourceAccount: A,
    context: {},
    ...overrides,
  };
}

function decide(policies: Partial<PolicySet>, overrides: Partial<EvaluationRequest> = {}): Decision {
  return evaluate(request(overrides), { identityPolicies: [], ...policies }).decision;
}

describe('compilePolicy', () => {
  it.each([
    { input: '{not json', message: /not valid JSON/ },
    { input: '[]', message: /JSON object/ },
    { input: '{"Version":"2012-10-17"}', message: /Statement/ },
    { input: '{"Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}', message: /Effect/ },
    {
      input: '{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}]}',
      message: /NotAction/,
    },
    { input: '{"Statement":[{"Effect":"Allow","Action":[1],"Resource":"*"}]}', message: /Action/ },
  ])('rejects $input', ({ input, message }) => {
    const result = compilePolicy(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('invalid_input');
      expect(result.message).toMatch(message);
    }
  });

  it('compilePolicyCached compiles each distinct text once', () => {
    const text = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}';
    const first = compilePolicyCached(text);
    expect(first.ok).toBe(true);
    expect(compilePolicyCached(text)).toBe(first);
    expect(compilePolicyCached('nope').ok).toBe(false);
  });

  it('accepts a single statement object and JSON text', () => {
    const result = compilePolicy(
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}',
    );
    expect(result.ok && result.value.statements.length).toBe(1);
  });
});

describe('Action and Resource matching', () => {
  it.each([
    { action: 'iam:*', expected: 'allowed' },
    { action: 'IAM:createrole', expected: 'allowed' },
    { action: 'iam:Create*', expected: 'allowed' },
    { action: 'iam:CreateRol?', expected: 'allowed' },
    { action: 'iam:Create?', expected: 'implicitDeny' },
    { action: 'iam:Delete*', expected: 'implicitDeny' },
    { action: '*', expected: 'allowed' },
    { action: 's3:*', expected: 'implicitDeny' },
    { action: ['s3:GetObject', 'iam:CreateRole'], expected: 'allowed' },
  ])('Action $action → $expected', ({ action, expected }) => {
    expect(decide({ identityPolicies: [doc(allow(action))] })).toBe(expected);
  });

  it.each([
    { notAction: 'iam:Delete*', expected: 'allowed' },
    { notAction: 'iam:*', expected: 'implicitDeny' },
  ])('NotAction $notAction → $expected', ({ notAction, expected }) => {
    expect(
      decide({ identityPolicies: [doc({ Effect: 'Allow', NotAction: notAction, Resource: '*' })] }),
    ).toBe(expected);
  });

  it.each([
    { resource: '*', expected: 'allowed' },
    { resource: `arn:aws:iam::${A}:role/app/Web`, expected: 'allowed' },
    { resource: `arn:aws:iam::${A}:role/app/web`, expected: 'implicitDeny' },
    { resource: `arn:aws:iam::${A}:role/*`, expected: 'allowed' },
    { resource: `arn:aws:iam::*:role/app/*`, expected: 'allowed' },
    { resource: `arn:aws:iam::${A}:role/app/We?`, expected: 'allowed' },
    { resource: `arn:aws:iam::${B}:role/*`, expected: 'implicitDeny' },
    { resource: `arn:aws:iam::${A}:user/*`, expected: 'implicitDeny' },
    { resource: 'arn:aws:iam', expected: 'allowed' },
  ])('Resource $resource → $expected', ({ resource, expected }) => {
    expect(decide({ identityPolicies: [doc(allow('iam:CreateRole', resource))] })).toBe(expected);
  });

  it.each([
    { notResource: `arn:aws:iam::${A}:role/admin/*`, expected: 'allowed' },
    { notResource: `arn:aws:iam::${A}:role/app/*`, expected: 'implicitDeny' },
  ])('NotResource $notResource → $expected', ({ notResource, expected }) => {
    expect(
      decide({ identityPolicies: [doc({ Effect: 'Allow', Action: 'iam:*', NotResource: notResource })] }),
    ).toBe(expected);
  });

  it('substitutes policy variables in Resource, with defaults and escapes', () => {
    const policy = doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*'));
    const base = { action: 's3:GetObject', resourceAccount: A };
    expect(
      decide(
        { identityPolicies: [policy] },
        { ...base, resource: 'arn:aws:s3:::home/alice/x', context: { 'AWS:UserName': 'alice' } },
      ),
    ).toBe('allowed');
    expect(
      decide(
        { identityPolicies: [policy] },
        { ...base, resource: 'arn:aws:s3:::home/bob/x', context: { 'aws:username': 'alice' } },
      ),
    ).toBe('implicitDeny');
    expect(
      decide({ identityPolicies: [policy] }, { ...base, resource: 'arn:aws:s3:::home/alice/x', context: {} }),
    ).toBe('implicitDeny');
    const withDefault = doc(allow('s3:GetObject', "arn:aws:s3:::home/${aws:username, 'shared'}/*"));
    expect(
      decide({ identityPolicies: [withDefault] }, { ...base, resource: 'arn:aws:s3:::home/shared/x' }),
    ).toBe('allowed');
    const literalStar = doc(allow('s3:GetObject', 'arn:aws:s3:::home/${*}'));
    expect(decide({ identityPolicies: [literalStar] }, { ...base, resource: 'arn:aws:s3:::home/*' })).toBe(
      'allowed',
    );
    expect(decide({ identityPolicies: [literalStar] }, { ...base, resource: 'arn:aws:s3:::home/x' })).toBe(
      'implicitDeny',
    );
  });

  it('treats ${…} literally in a Version 2008-10-17 document', () => {
    const policy = compilePolicyOrThrow({
      Version: '2008-10-17',
      Statement: [allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}')],
    });
    const base = { action: 's3:GetObject', context: { 'aws:username': 'alice' } };
    expect(decide({ identityPolicies: [policy] }, { ...base, resource: 'arn:aws:s3:::home/alice' })).toBe(
      'implicitDeny',
    );
    expect(
      decide({ identityPolicies: [policy] }, { ...base, resource: 'arn:aws:s3:::home/${aws:username}' }),
    ).toBe('allowed');
  });
});

describe('decision logic', () => {
  it('explicit deny wins over allow, in any policy', () => {
    expect(decide({ identityPolicies: [doc(allow('iam:*'), deny('iam:CreateRole'))] })).toBe('explicitDeny');
    expect(decide({ identityPolicies: [doc(allow('iam:*')), doc(deny('*'))] })).toBe('explicitDeny');
    expect(
      decide({
        identityPolicies: [doc(allow('iam:*'))],
        resourcePolicy: doc(deny('iam:*', '*', { Principal: '*' })),
      }),
    ).toBe('explicitDeny');
    expect(
      decide({
        identityPolicies: [doc(allow('iam:*'))],
        permissionsBoundary: doc(allow('*'), deny('iam:CreateRole')),
      }),
    ).toBe('explicitDeny');
  });

  it('denies implicitly without an allow', () => {
    expect(decide({})).toBe('implicitDeny');
  });

  it.each([
    { boundary: allow('iam:*'), expected: 'allowed' },
    { boundary: allow('s3:*'), expected: 'implicitDeny' },
  ])('a permissions boundary limits identity grants ($expected)', ({ boundary, expected }) => {
    expect(
      decide({ identityPolicies: [doc(allow('iam:CreateRole'))], permissionsBoundary: doc(boundary) }),
    ).toBe(expected);
  });

  it('a boundary does not grant by itself', () => {
    expect(decide({ permissionsBoundary: doc(allow('*')) })).toBe('implicitDeny');
  });

  it('session policies must also allow', () => {
    const identityPolicies = [doc(allow('iam:*'))];
    expect(decide({ identityPolicies, sessionPolicies: [doc(allow('iam:CreateRole'))] })).toBe('allowed');
    expect(
      decide({ identityPolicies, sessionPolicies: [doc(allow('s3:*')), doc(allow('iam:Create*'))] }),
    ).toBe('allowed');
    expect(decide({ identityPolicies, sessionPolicies: [doc(allow('s3:*'))] })).toBe('implicitDeny');
    expect(decide({ identityPolicies, sessionPolicies: [] })).toBe('implicitDeny');
    expect(decide({ sessionPolicies: [doc(allow('*'))] })).toBe('implicitDeny');
  });

  it('a resource policy naming the session ARN is not limited by session policies; one naming the role is', () => {
    const s3 = { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', principal: session() };
    const bySession = doc(allow('s3:GetObject', '*', { Principal: { AWS: session().arn } }));
    const byRole = doc(allow('s3:GetObject', '*', { Principal: { AWS: `arn:aws:iam::${A}:role/Deployer` } }));
    const sessionPolicies = [doc(allow('ec2:*'))];
    expect(decide({ resourcePolicy: bySession, sessionPolicies }, s3)).toBe('allowed');
    expect(decide({ resourcePolicy: byRole, sessionPolicies }, s3)).toBe('implicitDeny');
    expect(decide({ resourcePolicy: byRole }, s3)).toBe('allowed');
  });

  it.each([
    {
      name: 'no identity allow',
      policies: { identityPolicies: [doc(allow('s3:*'))] },
      reason: 'no-identity',
    },
    {
      name: 'identity deny',
      policies: { identityPolicies: [doc(allow('*'), deny('iam:*'))] },
      reason: 'explicit-identity',
    },
    {
      name: 'boundary deny',
      policies: { identityPolicies: [doc(allow('*'))], permissionsBoundary: doc(deny('*')) },
      reason: 'explicit-boundary',
    },
    {
      name: 'boundary silent',
      policies: { identityPolicies: [doc(allow('*'))], permissionsBoundary: doc(allow('s3:*')) },
      reason: 'no-boundary',
    },
    {
      name: 'session deny',
      policies: { identityPolicies: [doc(allow('*'))], sessionPolicies: [doc(deny('*'))] },
      reason: 'explicit-session',
    },
    {
      name: 'session silent',
      policies: { identityPolicies: [doc(allow('*'))], sessionPolicies: [doc(allow('s3:*'))] },
      reason: 'no-session',
    },
    {
      name: 'resource deny',
      policies: {
        identityPolicies: [doc(allow('*'))],
        resourcePolicy: doc(deny('*', '*', { Principal: '*' })),
      },
      reason: 'explicit-resource',
    },
  ])('names the reason for a refusal: $name → $reason', ({ policies, reason }) => {
    const result = evaluate(request(), policies);
    expect(result.reason).toBe(reason);
  });

  it('reports whether the boundary allows, and no reason when allowed', () => {
    const allowed = evaluate(request(), {
      identityPolicies: [doc(allow('*'))],
      permissionsBoundary: doc(allow('iam:*')),
    });
    expect(allowed).toMatchObject({ decision: 'allowed', allowedByBoundary: true });
    expect(allowed.reason).toBeUndefined();
    const refused = evaluate(request(), {
      identityPolicies: [doc(allow('*'))],
      permissionsBoundary: doc(allow('s3:*')),
    });
    expect(refused).toMatchObject({
      decision: 'implicitDeny',
      allowedByBoundary: false,
      reason: 'no-boundary',
    });
  });

  const resource = `arn:aws:s3:::bucket/key`;
  const s3 = { action: 's3:GetObject', resource, resourceAccount: A };
  it.each([
    {
      name: 'same account, resource policy names the user',
      principal: user(),
      bucket: { AWS: user().arn },
      identity: false,
      expected: 'allowed',
    },
    {
      name: 'same account, resource policy names the account only',
      principal: user(),
      bucket: { AWS: A },
      identity: false,
      expected: 'implicitDeny',
    },
    {
      name: 'same account, account principal + identity allow',
      principal: user(),
      bucket: { AWS: `arn:aws:iam::${A}:root` },
      identity: true,
      expected: 'allowed',
    },
    {
      name: 'same account, identity allow alone',
      principal: user(),
      bucket: { AWS: B },
      identity: true,
      expected: 'allowed',
    },
    {
      name: 'cross account, resource allows, identity does not',
      principal: user(B),
      bucket: { AWS: user(B).arn },
      identity: false,
      expected: 'implicitDeny',
    },
    {
      name: 'cross account, identity allows, resource does not',
      principal: user(B),
      bucket: { AWS: A },
      identity: true,
      expected: 'implicitDeny',
    },
    {
      name: 'cross account, both allow (account principal)',
      principal: user(B),
      bucket: { AWS: B },
      identity: true,
      expected: 'allowed',
    },
    {
      name: 'cross account, both allow (wildcard)',
      principal: user(B),
      bucket: '*',
      identity: true,
      expected: 'allowed',
    },
    {
      name: 'same account, session matched through its role ARN',
      principal: session(),
      bucket: { AWS: `arn:aws:iam::${A}:role/path/Deployer` },
      identity: false,
      expected: 'allowed',
    },
    {
      name: 'same account, another role',
      principal: session(),
      bucket: { AWS: `arn:aws:iam::${A}:role/Other` },
      identity: false,
      expected: 'implicitDeny',
    },
  ])('$name → $expected', ({ principal, bucket, identity, expected }) => {
    const identityPolicies = identity ? [doc(allow('s3:GetObject'))] : [];
    const resourcePolicy = doc(allow('s3:GetObject', resource, { Principal: bucket }));
    expect(decide({ identityPolicies, resourcePolicy }, { ...s3, principal })).toBe(expected);
  });

  it.each([
    {
      name: 'user ARN named: boundary does not limit',
      principal: user(),
      named: user().arn,
      expected: 'allowed',
    },
    {
      name: 'session ARN named: boundary does not limit',
      principal: session(),
      named: session().arn,
      expected: 'allowed',
    },
    {
      name: 'role ARN named: boundary limits',
      principal: session(),
      named: `arn:aws:iam::${A}:role/Deployer`,
      expected: 'implicitDeny',
    },
  ])('resource policy + boundary: $name', ({ principal, named, expected }) => {
    const resourcePolicy = doc(allow('s3:GetObject', resource, { Principal: { AWS: named } }));
    expect(decide({ resourcePolicy, permissionsBoundary: doc(allow('ec2:*')) }, { ...s3, principal })).toBe(
      expected,
    );
  });

  it('cross account: the boundary always applies', () => {
    const resourcePolicy = doc(allow('s3:GetObject', resource, { Principal: { AWS: user(B).arn } }));
    const identityPolicies = [doc(allow('s3:*'))];
    expect(
      decide(
        { identityPolicies, resourcePolicy, permissionsBoundary: doc(allow('ec2:*')) },
        { ...s3, principal: user(B) },
      ),
    ).toBe('implicitDeny');
  });

  it('NotPrincipal with Deny applies to principals with a boundary', () => {
    const resourcePolicy = doc(
      allow('s3:GetObject', resource, { Principal: '*' }),
      deny('s3:GetObject', resource, { NotPrincipal: { AWS: user().arn } }),
    );
    expect(decide({ resourcePolicy }, { ...s3 })).toBe('allowed');
    expect(decide({ resourcePolicy }, { ...s3, principal: user(A, 'bob') })).toBe('explicitDeny');
    expect(decide({ resourcePolicy, permissionsBoundary: doc(allow('*')) }, { ...s3 })).toBe('explicitDeny');
  });

  it('services, federated and anonymous callers rely on the resource policy alone', () => {
    const resourcePolicy = doc(
      allow('s3:PutObject', resource, { Principal: { Service: 'logging.s3.amazonaws.com' } }),
      allow('s3:GetObject', resource, { Principal: '*' }),
    );
    const service: RequestPrincipal = {
      arn: 'logging.s3.amazonaws.com',
      accountId: '',
      kind: 'service',
      service: 'logging.s3.amazonaws.com',
    };
    const anonymous: RequestPrincipal = { arn: '', accountId: '', kind: 'anonymous' };
    expect(decide({ resourcePolicy }, { ...s3, action: 's3:PutObject', principal: service })).toBe('allowed');
    expect(decide({ resourcePolicy }, { ...s3, action: 's3:DeleteObject', principal: service })).toBe(
      'implicitDeny',
    );
    expect(decide({ resourcePolicy }, { ...s3, principal: anonymous })).toBe('allowed');
    expect(decide({ resourcePolicy }, { ...s3, action: 's3:PutObject', principal: anonymous })).toBe(
      'implicitDeny',
    );
  });

  it('the root user may do anything in its own account but for explicit denies', () => {
    const root: RequestPrincipal = { arn: `arn:aws:iam::${A}:root`, accountId: A, kind: 'root' };
    expect(decide({}, { principal: root })).toBe('allowed');
    expect(decide({ resourcePolicy: doc(deny('*', '*', { Principal: '*' })) }, { principal: root })).toBe(
      'explicitDeny',
    );
  });

  it('GetCallerIdentity needs no permission', () => {
    expect(
      decide({ identityPolicies: [doc(deny('*'))] }, { action: 'sts:GetCallerIdentity', resource: '*' }),
    ).toBe('allowed');
  });

  it('AWS managed policies and aws-reserved roles cannot be changed', () => {
    const identityPolicies = [doc(allow('*'))];
    expect(
      decide(
        { identityPolicies },
        { action: 'iam:CreatePolicyVersion', resource: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      ),
    ).toBe('implicitDeny');
    expect(
      decide(
        { identityPolicies },
        { action: 'iam:DeleteRole', resource: `arn:aws:iam::${A}:role/aws-reserved/sso.amazonaws.com/X` },
      ),
    ).toBe('implicitDeny');
  });

  it('lists matched statements and missing context keys', () => {
    const policy = doc(
      {
        ...allow('iam:CreateRole'),
        Sid: 'Mfa',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
      { ...deny('iam:CreateRole'), Sid: 'Ip', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      { ...allow('s3:*'), Condition: { StringEquals: { 'aws:RequestTag/x': 'y' } } },
    );
    const result = evaluate(request(), { identityPolicies: [policy] });
    expect(result.decision).toBe('explicitDeny');
    expect(result.matchedStatements).toEqual([
      { policy: 'identity', policyIndex: 0, statementIndex: 1, sid: 'Ip', effect: 'Deny' },
    ]);
    expect(result.missingContextKeys.sort()).toEqual(['aws:multifactorauthpresent', 'aws:sourceip']);
    const ok = evaluate(
      request({ context: { 'aws:MultiFactorAuthPresent': 'true', 'aws:SourceIp': '10.1.2.3' } }),
      { identityPolicies: [policy] },
    );
    expect(ok.decision).toBe('allowed');
    expect(ok.missingContextKeys).toEqual([]);
  });
});

describe('evaluateAssumeRole', () => {
  const roleArn = `arn:aws:iam::${A}:role/ops/Admin`;
  const check = (trust: Statement, caller: RequestPrincipal, identity: Statement[] = [], context = {}) =>
    evaluateAssumeRole({
      caller,
      callerPolicies: { identityPolicies: identity.length ? [doc(...identity)] : [] },
      roleArn,
      roleAccount: A,
      trustPolicy: doc(trust),
      action: 'sts:AssumeRole',
      context,
    }).decision;
  const trust = (Principal: unknown, Condition?: unknown): Statement => ({
    Effect: 'Allow',
    Principal,
    Action: 'sts:AssumeRole',
    ...(Condition ? { Condition } : {}),
  });
  const assume = allow('sts:AssumeRole', roleArn);

  it.each([
    {
      name: 'same account, caller named, no identity permission',
      trust: trust({ AWS: user().arn }),
      caller: user(),
      identity: [],
      expected: 'allowed',
    },
    {
      name: 'same account, account named, no identity permission',
      trust: trust({ AWS: A }),
      caller: user(),
      identity: [],
      expected: 'implicitDeny',
    },
    {
      name: 'same account, account root named + identity permission',
      trust: trust({ AWS: `arn:aws:iam::${A}:root` }),
      caller: user(),
      identity: [assume],
      expected: 'allowed',
    },
    {
      name: 'same account, identity permission but trust names someone else',
      trust: trust({ AWS: B }),
      caller: user(),
      identity: [assume],
      expected: 'implicitDeny',
    },
    {
      name: 'cross account, account named + identity permission',
      trust: trust({ AWS: B }),
      caller: user(B),
      identity: [assume],
      expected: 'allowed',
    },
    {
      name: 'cross account, caller named, no identity permission',
      trust: trust({ AWS: user(B).arn }),
      caller: user(B),
      identity: [],
      expected: 'implicitDeny',
    },
    {
      name: 'cross account, session via its role ARN + identity permission',
      trust: trust({ AWS: `arn:aws:iam::${B}:role/Deployer` }),
      caller: session(B),
      identity: [assume],
      expected: 'allowed',
    },
    {
      name: 'role chaining, wildcard principal',
      trust: trust('*'),
      caller: session(B),
      identity: [assume],
      expected: 'allowed',
    },
  ])('$name → $expected', ({ trust: statement, caller, identity, expected }) => {
    expect(check(statement, caller, identity)).toBe(expected);
  });

  it('checks the external id and MFA conditions', () => {
    const statement = trust(
      { AWS: B },
      { StringEquals: { 'sts:ExternalId': 'abc-123' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    );
    const both = { 'sts:ExternalId': 'abc-123', 'aws:MultiFactorAuthPresent': 'true' };
    expect(check(statement, user(B), [assume], both)).toBe('allowed');
    expect(check(statement, user(B), [assume], { ...both, 'sts:ExternalId': 'wrong' })).toBe('implicitDeny');
    expect(check(statement, user(B), [assume], { 'sts:ExternalId': 'abc-123' })).toBe('implicitDeny');
  });

  it('trusts web identities through their provider and token claims', () => {
    const provider = `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`;
    const statement = {
      Effect: 'Allow',
      Principal: { Federated: provider },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' },
      },
    };
    const caller: RequestPrincipal = {
      arn: provider,
      accountId: '',
      kind: 'federated',
      federatedProvider: provider,
    };
    const run = (sub: string) =>
      evaluateAssumeRole({
        caller,
        callerPolicies: { identityPolicies: [] },
        roleArn,
        roleAccount: A,
        trustPolicy: doc(statement),
        action: 'sts:AssumeRoleWithWebIdentity',
        context: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': sub,
        },
      }).decision;
    expect(run('repo:acme/web:ref:refs/heads/main')).toBe('allowed');
    expect(run('repo:evil/web:ref:refs/heads/main')).toBe('implicitDeny');
  });
});

describe('principalContext', () => {
  it('describes users and sessions', () => {
    expect(principalContext({ ...user(), userId: 'AIDAEXAMPLE' })).toEqual({
      'aws:PrincipalArn': user().arn,
      'aws:PrincipalAccount': A,
      'aws:userid': 'AIDAEXAMPLE',
      'aws:username': 'alice',
      'aws:PrincipalType': 'User',
    });
    expect(principalContext(session(), `arn:aws:iam::${A}:role/path/Deployer`)['aws:PrincipalArn']).toBe(
      `arn:aws:iam::${A}:role/path/Deployer`,
    );
  });
});
