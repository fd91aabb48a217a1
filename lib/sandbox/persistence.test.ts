import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxEmulator } from '@/lib/sandbox/emulator';
import { startStandaloneEmulator } from '@/lib/sandbox/node-server';
import { StoreLockedError } from '@/lib/sandbox/store';
import { allow, trustAccount } from '@/lib/sandbox/test-harness';

const folders: string[] = [];
const children: ChildProcess[] = [];

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'rolesmith-sandbox-persist-'));
  folders.push(folder);
  return folder;
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid) killGroup(child.pid);
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

const clientConfig = (
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
) => ({
  endpoint,
  region: 'us-east-1',
  // A copy: the SDK marks the credentials object it is given.
  credentials: { ...credentials },
  maxAttempts: 1,
});

describe('persistence', () => {
  it('keeps roles, policies, keys and sessions across a restart', async () => {
    const dataDir = tempFolder();
    const first = await startStandaloneEmulator({ port: 0, dataDir });
    const description = first.emulator.describe();
    const admin = description.accounts[0]!.admin;
    const iam = new IAMClient(clientConfig(first.endpoint, admin));
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'kept',
        AssumeRolePolicyDocument: trustAccount('111122223333'),
        Tags: [{ Key: 'a', Value: 'b' }],
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'kept', PolicyName: 'p', PolicyDocument: allow('iam:GetRole') }),
    );
    const assumed = await new STSClient(clientConfig(first.endpoint, admin)).send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::111122223333:role/kept',
        RoleSessionName: 'before-restart',
      }),
    );
    const mfa = first.emulator.mfaCode('111122223333', 'alice');
    await first.close();

    const second = await startStandaloneEmulator({ port: 0, dataDir });
    try {
      expect(second.emulator.describe()).toEqual(description);
      expect(second.emulator.mfaCode('111122223333', 'alice')).toBe(mfa);
      const again = new IAMClient(clientConfig(second.endpoint, admin));
      const role = (await again.send(new GetRoleCommand({ RoleName: 'kept' }))).Role!;
      expect(role.Tags).toEqual([{ Key: 'a', Value: 'b' }]);
      expect(role.RoleLastUsed!.LastUsedDate).toBeInstanceOf(Date);
      expect(
        decodeURIComponent(
          (await again.send(new GetRolePolicyCommand({ RoleName: 'kept', PolicyName: 'p' }))).PolicyDocument!,
        ),
      ).toBe(allow('iam:GetRole'));
      const session = {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken!,
      };
      const identity = await new STSClient(clientConfig(second.endpoint, session)).send(
        new GetCallerIdentityCommand({}),
      );
      expect(identity.Arn).toBe('arn:aws:sts::111122223333:assumed-role/kept/before-restart');
    } finally {
      await second.close();
    }
  });

  it('refuses a second opener of the same folder in this process, and frees the folder on close', async () => {
    const dataDir = tempFolder();
    const first = await SandboxEmulator.open({ dataDir });
    await expect(SandboxEmulator.open({ dataDir })).rejects.toThrow(StoreLockedError);
    await expect(SandboxEmulator.open({ dataDir })).rejects.toThrow(
      /is in use by process \d+ \(this process\)/,
    );
    await first.close();
    const second = await SandboxEmulator.open({ dataDir });
    await second.close();
  });

  it('drops a torn last journal line (an operation never acknowledged) and keeps the rest', async () => {
    const dataDir = tempFolder();
    const first = await startStandaloneEmulator({ port: 0, dataDir });
    const iam = new IAMClient(
      clientConfig(first.endpoint, first.emulator.describe().accounts[0]!.provisioner),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'before-tear',
        AssumeRolePolicyDocument: trustAccount('111122223333'),
      }),
    );
    const provisioner = first.emulator.describe().accounts[0]!.provisioner;
    await first.close();
    // As if the process had been killed while writing its last journal line.
    appendFileSync(
      join(dataDir, 'sandbox-aws', 'journal.log'),
      '[{"t":"roles","k":"111122223333/torn","v":{"roleName":"to',
    );
    const second = await startStandaloneEmulator({ port: 0, dataDir });
    try {
      expect(second.emulator.openStats.droppedTornLine).toBe(true);
      const again = new IAMClient(clientConfig(second.endpoint, provisioner));
      expect((await again.send(new GetRoleCommand({ RoleName: 'before-tear' }))).Role!.RoleName).toBe(
        'before-tear',
      );
    } finally {
      await second.close();
    }
  });
});

interface Started {
  child: ChildProcess;
  line: {
    endpoint: string;
    region: string;
    accounts: {
      id: string;
      alias: string;
      provisioner: { accessKeyId: string; secretAccessKey: string };
      provisionerRole?: { arn: string; externalId: string };
    }[];
  };
}

function startCli(dataDir: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    ['bin/rolesmith.mjs', 'sandbox', '--port', '0', '--json', '--data', dataDir],
    {
      cwd: join(import.meta.dirname, '..', '..'),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (text) => {
      try {
        resolve({ child, line: JSON.parse(text) as Started['line'] });
      } catch (error) {
        reject(new Error(`First stdout line is not JSON: ${text}`, { cause: error }));
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`rolesmith sandbox exited (${String(code)}) before listening: ${stderr}`)),
    );
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('rolesmith sandbox (standalone CLI)', () => {
  it(
    'prints one JSON line, refuses a second owner, and loses no acknowledged write when killed with SIGKILL',
    { timeout: 90_000 },
    async () => {
      const dataDir = tempFolder();
      const first = await startCli(dataDir);
      expect(first.line.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/aws$/);
      expect(first.line.region).toBe('us-east-1');
      expect(Object.keys(first.line).sort()).toEqual(['accounts', 'endpoint', 'region']);
      expect(Object.keys(first.line.accounts[0]!)).toEqual([
        'id',
        'alias',
        'provisioner',
        'admin',
        'provisionerRole',
      ]);
      // The role aws mode assumes in a target account, and its external ID (the outside
      // consultancy's account, not a target, has none).
      const provisionerRole = first.line.accounts[0]?.provisionerRole;
      expect(provisionerRole?.arn).toBe('arn:aws:iam::111122223333:role/rolesmith/RolesmithProvisioner');
      expect(provisionerRole?.externalId).toMatch(/^[\w+=,.@:/-]{2,}$/);
      expect(first.line.accounts.map((account) => account.id)).toEqual([
        '111122223333',
        '444455556666',
        '777788889999',
        '123456789012',
      ]);
      await expect(SandboxEmulator.open({ dataDir })).rejects.toThrow(/is in use by process \d+/);

      const provisioner = first.line.accounts[0]!.provisioner;
      const iam = new IAMClient(clientConfig(first.line.endpoint, provisioner));
      const acknowledgedRoles: string[] = [];
      const acknowledgedPolicies: string[] = [];
      let stop = false;
      const writer = async (worker: number) => {
        for (let index = 0; !stop; index += 1) {
          const name = `w${worker}-${index}`;
          try {
            await iam.send(
              new CreateRoleCommand({
                RoleName: name,
                AssumeRolePolicyDocument: trustAccount('111122223333'),
              }),
            );
            acknowledgedRoles.push(name);
            await iam.send(
              new PutRolePolicyCommand({
                RoleName: name,
                PolicyName: 'p',
                PolicyDocument: allow('s3:GetObject'),
              }),
            );
            acknowledgedPolicies.push(name);
          } catch {
            return;
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      while (acknowledgedRoles.length < 60) await new Promise((done) => setTimeout(done, 20));
      killGroup(first.child.pid!);
      stop = true;
      await Promise.all(writers);
      await waitForExit(first.child);
      expect(first.child.signalCode).toBe('SIGKILL');

      const second = await startCli(dataDir);
      try {
        expect(second.line.accounts).toEqual(first.line.accounts);
        const again = new IAMClient(clientConfig(second.line.endpoint, provisioner));
        const present = new Set<string>();
        let marker: string | undefined;
        do {
          const page = await again.send(new ListRolesCommand({ Marker: marker, MaxItems: 1000 }));
          for (const role of page.Roles!) present.add(role.RoleName!);
          marker = page.IsTruncated ? page.Marker : undefined;
        } while (marker);
        const missing = acknowledgedRoles.filter((name) => !present.has(name));
        expect(missing).toEqual([]);
        for (const name of acknowledgedPolicies) {
          await again.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: 'p' }));
        }
      } finally {
        second.child.kill('SIGTERM');
        killGroup(second.child.pid!);
        await waitForExit(second.child);
      }
    },
  );
});
