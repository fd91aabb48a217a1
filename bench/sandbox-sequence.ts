/**
 * The portal's create-role sequence against the emulator (CreateRole with tags, 3 AttachRolePolicy,
 * 1 PutRolePolicy, GetRole: 6 calls), shared by the sandbox benchmarks.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';

export const benchAccount = '111122223333';

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${benchAccount}:root` }, Action: 'sts:AssumeRole' },
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

/**
 * An SDK client for the emulator at `endpoint`, signing with `credentials`, without retries. The
 * SDK's defaults otherwise: a keep-alive HTTP agent, the static endpoint and credentials resolved
 * once. `cacheMiddleware` (an SDK option) resolves each command class's middleware stack once
 * instead of on every call: about a tenth of the client's CPU per call, measured, and the client
 * shares this machine's cores with the emulator it measures.
 */
export function benchClient(
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): IAMClient {
  return new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, cacheMiddleware: true });
}

/** Creates role `name` the way the portal does, one call after another. */
export async function createRoleSequence(iam: IAMClient, name: string): Promise<void> {
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
