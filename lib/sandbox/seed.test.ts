import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetOpenIDConnectProviderCommand,
  GetSAMLProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
} from '@aws-sdk/client-iam';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxEmulator } from '@/lib/sandbox/emulator';
import { startStandaloneEmulator } from '@/lib/sandbox/node-server';
import { provisionerPolicyDocument } from '@/lib/sandbox/provisioner-policy';
import { provisionerRoleName, provisionerUserName, sandboxAdminUserName } from '@/lib/sandbox/seed';
import { samlProviderMetadata, sandboxAccounts } from '@/lib/sandbox/seed-data';
import { roleKey, userKey } from '@/lib/sandbox/state';

const folders: string[] = [];
const tempFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), 'rolesmith-seed-'));
  folders.push(folder);
  return folder;
};

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const targets = sandboxAccounts.filter((account) => account.isTarget).map((account) => account.id);

describe('seeded identity providers', () => {
  it('each target account has the GitHub Actions OIDC provider and the AcmeOkta SAML provider, readable by the provisioner', async () => {
    const server = await startStandaloneEmulator({ port: 0, dataDir: tempFolder() });
    try {
      const description = server.emulator.describe();
      for (const account of description.accounts) {
        const iam = new IAMClient({
          endpoint: server.endpoint,
          region: 'us-east-1',
          credentials: { ...account.provisioner },
          maxAttempts: 1,
        });
        const oidc = (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!;
        const saml = (await iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList!;
        if (!targets.includes(account.id)) {
          // The outside consultancy's account is not Acme's: nothing seeded there.
          expect([oidc, saml]).toEqual([[], []]);
          continue;
        }
        const oidcArn = `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`;
        expect(oidc).toEqual([{ Arn: oidcArn }]);
        const provider = await iam.send(
          new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: oidcArn }),
        );
        expect(provider).toMatchObject({
          Url: 'token.actions.githubusercontent.com',
          ClientIDList: ['sts.amazonaws.com'],
          ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        });
        const samlArn = `arn:aws:iam::${account.id}:saml-provider/AcmeOkta`;
        expect(saml.map((item) => item.Arn)).toEqual([samlArn]);
        const metadata = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: samlArn }));
        expect(metadata.SAMLMetadataDocument).toBe(samlProviderMetadata);
        expect(metadata.ValidUntil!.getTime()).toBeGreaterThan(Date.now());
      }
    } finally {
      await server.close();
    }
  });

  it('has SAML metadata CreateSAMLProvider accepts (an EntityDescriptor with a signing certificate)', () => {
    expect(samlProviderMetadata.length).toBeGreaterThanOrEqual(1000);
    expect(samlProviderMetadata).toMatch(/<md:EntityDescriptor [^>]*entityID="[^"]+"/);
    const certificate = /<ds:X509Certificate>([A-Za-z0-9+/=]+)<\/ds:X509Certificate>/.exec(
      samlProviderMetadata,
    );
    expect(certificate).not.toBeNull();
    // A DER certificate: a SEQUENCE.
    expect(Buffer.from(certificate![1]!, 'base64')[0]).toBe(0x30);
  });
});

describe('seeding an existing data folder', () => {
  it('adds what an older version lacked and narrows the provisioners from full access to the documented policy', async () => {
    const dataDir = tempFolder();
    const first = await SandboxEmulator.open({ dataDir });
    const before = first.describe();
    // Make the folder look like one written before: providers and admins absent, full access.
    const t = first.state.t;
    for (const provider of [...t.oidcProviders.values()]) t.oidcProviders.delete(provider.arn);
    for (const provider of [...t.samlProviders.values()]) t.samlProviders.delete(provider.arn);
    for (const account of sandboxAccounts) {
      t.users.delete(userKey(account.id, sandboxAdminUserName));
      for (const key of [...t.accessKeys.values()]) {
        if (key.accountId === account.id && key.userName === sandboxAdminUserName)
          t.accessKeys.delete(key.accessKeyId);
      }
      const user = first.state.getUser(account.id, provisionerUserName)!;
      t.users.put(userKey(account.id, provisionerUserName), {
        ...user,
        inlinePolicies: [
          {
            name: 'ProvisionerFullAccess',
            document: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
            }),
          },
        ],
      });
      const role = first.state.getRole(account.id, provisionerRoleName);
      if (role) {
        t.roles.put(roleKey(account.id, provisionerRoleName), {
          ...role,
          inlinePolicies: [],
          attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        });
      }
    }
    await first.close();

    const second = await SandboxEmulator.open({ dataDir });
    try {
      const after = second.describe();
      // The same keys as before for everything that existed; new administrators.
      expect(after.accounts.map((account) => account.provisioner)).toEqual(
        before.accounts.map((account) => account.provisioner),
      );
      expect(after.people).toEqual(before.people);
      for (const account of sandboxAccounts) {
        expect(second.state.getUser(account.id, sandboxAdminUserName)!.attachedPolicies).toEqual([
          'arn:aws:iam::aws:policy/AdministratorAccess',
        ]);
        const user = second.state.getUser(account.id, provisionerUserName)!;
        expect(user.inlinePolicies.map((policy) => policy.name)).toEqual([
          'RolesmithProvisioner',
          'AssumeRolesmithProvisionerRoles',
        ]);
        expect(user.inlinePolicies[0]!.document).toBe(provisionerPolicyDocument);
        expect(user.attachedPolicies).toEqual([]);
        if (!account.isTarget) continue;
        const role = second.state.getRole(account.id, provisionerRoleName)!;
        expect(role.inlinePolicies).toEqual([
          { name: 'RolesmithProvisioner', document: provisionerPolicyDocument },
        ]);
        expect(role.attachedPolicies).toEqual([]);
        expect(
          second.state.t.oidcProviders.get(
            `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`,
          ),
        ).toBeDefined();
        expect(
          second.state.t.samlProviders.get(`arn:aws:iam::${account.id}:saml-provider/AcmeOkta`),
        ).toBeDefined();
      }
    } finally {
      await second.close();
    }
    // Seeding an up-to-date folder writes nothing: the third start leaves no journal entry for the fourth.
    await (await SandboxEmulator.open({ dataDir })).close();
    const fourth = await SandboxEmulator.open({ dataDir });
    try {
      expect(fourth.openStats.replayed).toBe(0);
    } finally {
      await fourth.close();
    }
  });
});
