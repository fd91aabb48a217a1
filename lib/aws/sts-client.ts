import 'server-only';

import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { toAwsFailure, type AwsResult } from '@/lib/aws/errors';
import { sdkCredentials } from '@/lib/aws/sdk-config';
import type { AwsConnection, AwsCredentials } from '@/lib/aws/types';

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** STS as one identity, with domain types in and out. */
export interface StsClientForConnection {
  getCallerIdentity(): Promise<AwsResult<CallerIdentity>>;
  assumeRole(input: {
    roleArn: string;
    sessionName: string;
    externalId: string | null;
    durationSeconds?: number;
  }): Promise<AwsResult<AwsCredentials>>;
}

/** Builds an STS client for a connection (adaptive retry mode). */
export function createStsClient(connection: AwsConnection): StsClientForConnection {
  const client = new STSClient({
    region: connection.region,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...sdkCredentials(connection.credentials),
    retryMode: connection.retryMode ?? 'adaptive',
    maxAttempts: connection.maxAttempts ?? 3,
  });
  return {
    async getCallerIdentity() {
      try {
        const out = await client.send(new GetCallerIdentityCommand({}));
        return {
          ok: true,
          value: { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' },
        };
      } catch (error) {
        return toAwsFailure(error);
      }
    },
    async assumeRole(input) {
      try {
        const out = await client.send(
          new AssumeRoleCommand({
            RoleArn: input.roleArn,
            RoleSessionName: input.sessionName,
            ...(input.externalId ? { ExternalId: input.externalId } : {}),
            ...(input.durationSeconds ? { DurationSeconds: input.durationSeconds } : {}),
          }),
        );
        const credentials = out.Credentials;
        if (!credentials?.AccessKeyId || !credentials.SecretAccessKey)
          throw new Error('AssumeRole returned no credentials');
        return {
          ok: true,
          value: {
            accessKeyId: credentials.AccessKeyId,
            secretAccessKey: credentials.SecretAccessKey,
            ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
            ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
          },
        };
      } catch (error) {
        return toAwsFailure(error);
      }
    },
  };
}
