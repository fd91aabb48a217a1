/**
 * `sandbox.create_role_sequences_per_s`: throughput of the emulator for the portal's create-role
 * sequence (CreateRole with tags, 3 AttachRolePolicy, 1 PutRolePolicy, GetRole: 6 calls), made
 * one call after another over HTTP through the real `@aws-sdk/client-iam` against a standalone
 * emulator (durable journal, fsync before each acknowledged write) in a temporary folder. Each
 * run makes 40 sequences after a warm-up of 10; the figure is the median of 5 runs. The same
 * measurement without fsync is printed beside it, to show what durability costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { startStandaloneEmulator } from '../lib/sandbox/node-server';
import { median, type BenchResult } from './types';

const account = '111122223333';
const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
  ],
});
const inline = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::reports', 'arn:aws:s3:::reports/*'],
    },
  ],
});
const managed = ['ReadOnlyAccess', 'AmazonS3ReadOnlyAccess', 'CloudWatchReadOnlyAccess'].map(
  (name) => `arn:aws:iam::aws:policy/${name}`,
);

async function sequence(iam: IAMClient, name: string): Promise<void> {
  await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      Path: '/rolesmith/',
      AssumeRolePolicyDocument: trust,
      Description: 'benchmark role',
      Tags: [
        { Key: 'rolesmith:request-id', Value: name },
        { Key: 'team', Value: 'platform' },
      ],
    }),
  );
  for (const arn of managed) await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn }));
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'reports', PolicyDocument: inline }));
  await iam.send(new GetRoleCommand({ RoleName: name }));
}

async function rates(fsync: boolean, runs: number): Promise<number[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rolesmith-bench-sandbox-'));
  const server = await startStandaloneEmulator({ port: 0, dataDir, fsync });
  try {
    const provisioner = server.emulator.describe().accounts.find((item) => item.id === account)!.provisioner;
    const iam = new IAMClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { ...provisioner },
      maxAttempts: 1,
    });
    for (let index = 0; index < 10; index += 1) await sequence(iam, `warm-${index}`);
    const perRun = 40;
    const measured: number[] = [];
    for (let runIndex = 0; runIndex < runs; runIndex += 1) {
      const started = performance.now();
      for (let index = 0; index < perRun; index += 1) await sequence(iam, `run${runIndex}-${index}`);
      measured.push(perRun / ((performance.now() - started) / 1000));
    }
    if (fsync) {
      // For the record only: 8 clients at once share journal writes and fsyncs (group commit).
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 8 }, async (_, client) => {
          for (let index = 0; index < 10; index += 1) await sequence(iam, `parallel${client}-${index}`);
        }),
      );
      console.log(
        `  8 clients at once: ${(80 / ((performance.now() - started) / 1000)).toFixed(1)} sequences/s`,
      );
    }
    return measured;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export default async function run(): Promise<BenchResult[]> {
  const durable = await rates(true, 5);
  console.log(
    `sandbox.create_role_sequences_per_s runs: ${durable.map((rate) => rate.toFixed(1)).join(', ')}`,
  );
  // For the record only: the same without fsync, to show what durability costs here.
  const volatile = await rates(false, 5);
  console.log(
    `  without fsync (not a mode the emulator runs in): ${volatile.map((rate) => rate.toFixed(1)).join(', ')}, median ${median(volatile).toFixed(1)}`,
  );
  return [
    {
      id: 'sandbox.create_role_sequences_per_s',
      value: median(durable),
      unit: 'per_s',
      goal: null,
      runs: durable.length,
    },
  ];
}
