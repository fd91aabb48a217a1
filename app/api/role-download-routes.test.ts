import { parse as parseHcl } from '@cdktf/hcl2json';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml, type Tags } from 'yaml';
import { GET as cloudFormationGet } from '@/app/api/roles/[account]/cloudformation/[...name]/route';
import { GET as terraformGet } from '@/app/api/roles/[account]/terraform/[...name]/route';
import { seedSandboxData } from '@/lib/accounts/seed';
import { resetAuthSecretForTests } from '@/lib/auth/secret';
import { startSession } from '@/lib/auth/server-sessions';
import { loadPrincipal, seedSandboxPeopleInto } from '@/lib/auth/users';
import { parseEnv, resetEnvForTests } from '@/lib/env';
import { roleSpecSchema, type RoleSpec, type RoleSpecInput } from '@/lib/iam/role-spec';
import { buildTrustPolicy } from '@/lib/iam/trust-builder';
import { approveRequest } from '@/lib/requests/approve';
import { acknowledgementItems } from '@/lib/requests/assess';
import { markProvisioned, markProvisioning } from '@/lib/requests/provisioning-transitions';
import { createAndSubmitRequest } from '@/lib/requests/requests';
import { roleDownloadHref } from '@/lib/requests/role-links';
import { allow, justified, policy } from '@/lib/requests/test-fixtures';
import { ok, type Result } from '@/lib/result';
import { inRequest } from '@/lib/testing/next-request';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

// Next's request scope needs AsyncLocalStorage on globalThis before Next loads.
vi.hoisted(() => {
  const hooks = process.getBuiltinModule('node:async_hooks');
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= hooks.AsyncLocalStorage;
});

/*
 * The role downloads (CloudFormation and Terraform) called as Next calls them, for a role taken
 * through the real workflow (submitted by Alice, approved by Bob, provisioned): the guard, who may
 * download, the attachment headers, and the files read back with a YAML and an HCL parser.
 */

const portal = 'http://localhost:3000';
const authSecret = 'role-download-routes-'.padEnd(48, 'x');
const PRODUCTION = '444455556666';
let test: TestDatabase;
let spec: RoleSpec;

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message} ${JSON.stringify(result.fieldErrors)}`);
  return result.value;
}

const specInput: RoleSpecInput = {
  accountId: PRODUCTION,
  name: 'DataDev',
  path: '/team/data/',
  description: 'Reads the data lake',
  maxSessionDuration: 7200,
  trustedEntity: { type: 'aws_account', accountId: '111122223333', requireMfa: true },
  managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  newManagedPolicies: [
    { name: 'DataDevLogs', description: 'Log reads', document: policy(allow('logs:GetLogEvents', '*')) },
  ],
  inlinePolicies: [
    { name: 'read-lake', document: policy(allow('s3:GetObject', 'arn:aws:s3:::acme-lake/*')) },
  ],
  permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
  tags: [
    { key: 'team', value: 'data' },
    { key: 'cost-center', value: '42' },
  ],
};

beforeAll(async () => {
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.AUTH_SECRET = authSecret;
  resetEnvForTests();
  resetAuthSecretForTests();
  test = await createTestPglite();
  await seedSandboxPeopleInto(test.db);
  await seedSandboxData();
  const env = parseEnv({ ROLESMITH_MODE: 'sandbox' });
  const [alice, bob] = await Promise.all(
    ['demo-alice', 'demo-bob'].map((id) => loadPrincipal(test.db, env, id)),
  );
  if (!alice || !bob) throw new Error('demo people missing');
  const request = value(
    await createAndSubmitRequest(
      alice,
      await justified({
        kind: 'create',
        spec: specInput,
        justification: 'data work',
        roleUsers: ['erin@northwind.example'],
      }),
    ),
  );
  spec = request.spec;
  value(
    await approveRequest(
      bob,
      {
        requestId: request.id,
        specSha256: request.specSha256,
        acknowledged: acknowledgementItems(request).map((item) => item.key),
      },
      () => Promise.resolve(ok(null)),
    ),
  );
  await test.db.transaction().execute(async (tx) => {
    value(await markProvisioning(tx, request.id));
    value(await markProvisioned(tx, request.id));
  });
}, 60_000);
afterAll(async () => {
  await test.close();
});

async function headersFor(userId?: string): Promise<Headers> {
  const headers = new Headers({ host: 'localhost:3000', origin: portal, 'x-forwarded-for': '198.51.100.8' });
  if (userId) {
    const sid = await startSession(test.db, userId);
    const token = await encode({
      token: { sub: userId, signedInAt: Math.floor(Date.now() / 1000), sid },
      secret: authSecret,
      salt: 'authjs.session-token',
    });
    headers.set('cookie', `authjs.session-token=${token}`);
  }
  return headers;
}

type Params = { account: string; name: string[] };
type Handler = (request: Request, context: { params: Promise<Params> }) => Promise<Response>;

/** Calls a handler at `href` (its params taken from the address, as Next would decode them). */
async function download(handler: Handler, href: string, as?: string): Promise<Response> {
  const [, , , account = '', , ...segments] = href.split('/');
  const headers = await headersFor(as);
  const request = new Request(new URL(href, portal), { headers });
  return inRequest(headers, () =>
    handler(request, {
      params: Promise.resolve({
        account: decodeURIComponent(account),
        name: segments.map(decodeURIComponent),
      }),
    }),
  );
}

const role = { accountId: PRODUCTION, path: '/team/data/', roleName: 'DataDev' };

// CloudFormation's short-form intrinsic functions, read back as { Ref } / { 'Fn::GetAtt' }.
const cloudFormationTags: Tags = [
  { tag: '!Ref', resolve: (text: string) => ({ Ref: text }) },
  { tag: '!GetAtt', resolve: (text: string) => ({ 'Fn::GetAtt': text.split('.') }) },
];

describe('role download route handlers', () => {
  it('answer 401 to an anonymous caller, before anything else', async () => {
    for (const [handler, format] of [
      [cloudFormationGet, 'cloudformation'],
      [terraformGet, 'terraform'],
    ] as const) {
      const response = await download(handler, roleDownloadHref(role, format));
      expect(response.status).toBe(401);
      expect(response.headers.get('content-disposition')).toBeNull();
    }
  });

  it('answer 404 to another requester, as to a role that does not exist', async () => {
    const other = await download(cloudFormationGet, roleDownloadHref(role, 'cloudformation'), 'demo-dave');
    const missing = await download(
      cloudFormationGet,
      roleDownloadHref({ ...role, roleName: 'NoSuchRole' }, 'cloudformation'),
      'demo-alice',
    );
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await other.json()).toEqual(await missing.json());
  });

  it('answer 404 for a path that is not the role’s, and accept the name alone', async () => {
    const wrongPath = await download(
      terraformGet,
      roleDownloadHref({ ...role, path: '/team/' }, 'terraform'),
      'demo-alice',
    );
    expect(wrongPath.status).toBe(404);
    const nameOnly = await download(
      terraformGet,
      roleDownloadHref({ ...role, path: '/' }, 'terraform'),
      'demo-alice',
    );
    expect(nameOnly.status).toBe(200);
  });

  it('the CloudFormation template is YAML whose role resource, read back, is the role’s spec', async () => {
    // Its requester, an approver, an admin and the role user Alice named (Erin, verified e-mail).
    for (const userId of ['demo-alice', 'demo-bob', 'demo-carol', 'demo-erin']) {
      const response = await download(cloudFormationGet, roleDownloadHref(role, 'cloudformation'), userId);
      expect(response.status, userId).toBe(200);
    }
    const response = await download(
      cloudFormationGet,
      roleDownloadHref(role, 'cloudformation'),
      'demo-alice',
    );
    expect(response.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="DataDev.cloudformation.yaml"',
    );
    const template = parseYaml(await response.text(), { customTags: cloudFormationTags }) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const resource = template.Resources.Role;
    expect(resource?.Type).toBe('AWS::IAM::Role');
    expect(resource?.Properties).toEqual({
      RoleName: 'DataDev',
      Path: '/team/data/',
      Description: 'Reads the data lake',
      MaxSessionDuration: 7200,
      AssumeRolePolicyDocument: buildTrustPolicy({
        type: 'aws_account',
        accountId: '111122223333',
        requireMfa: true,
      }),
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', { Ref: 'ManagedPolicy1' }],
      Policies: [
        { PolicyName: 'read-lake', PolicyDocument: JSON.parse(spec.inlinePolicies[0]!.document) as unknown },
      ],
      PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
      Tags: [
        { Key: 'team', Value: 'data' },
        { Key: 'cost-center', Value: '42' },
      ],
    });
    expect(template.Resources.ManagedPolicy1?.Properties).toMatchObject({
      ManagedPolicyName: 'DataDevLogs',
      PolicyDocument: JSON.parse(spec.newManagedPolicies[0]!.document) as unknown,
    });
    // The spec as stored parses as a RoleSpec and is the one the template was made from.
    expect(roleSpecSchema.parse(spec).path).toBe('/team/data/');
  });

  it('the Terraform configuration parses as HCL and names the same policies', async () => {
    const response = await download(terraformGet, roleDownloadHref(role, 'terraform'), 'demo-bob');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="DataDev.tf"');
    const parsed = (await parseHcl('DataDev.tf', await response.text())) as {
      resource: Record<string, Record<string, Record<string, unknown>[]>>;
    };
    const resources = parsed.resource;
    const roleBlock = resources.aws_iam_role?.this?.[0];
    expect(roleBlock).toMatchObject({
      name: 'DataDev',
      path: '/team/data/',
      max_session_duration: 7200,
      permissions_boundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
      tags: { team: 'data', 'cost-center': '42' },
    });
    const policyNames = Object.values(resources.aws_iam_policy ?? {}).map((blocks) => blocks[0]?.name);
    expect(policyNames).toEqual(['DataDevLogs']);
    const attached = Object.values(resources.aws_iam_role_policy_attachment ?? {}).map(
      (blocks) => blocks[0]?.policy_arn,
    );
    expect(attached).toContain('arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(attached).toHaveLength(2);
    const inline = Object.values(resources.aws_iam_role_policy ?? {}).map((blocks) => blocks[0]?.name);
    expect(inline).toEqual(['read-lake']);
  });
});
