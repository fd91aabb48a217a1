import 'server-only';

import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

import { toAwsFailure, type AwsResult } from '@/lib/aws/errors';
import { createIamAccountClient } from '@/lib/aws/iam-client';
import { sdkCredentials } from '@/lib/aws/sdk-config';
import { createStsClient, type CallerIdentity } from '@/lib/aws/sts-client';
import type { AttachedPolicyRef, AwsConnection } from '@/lib/aws/types';

/** What a person asks for when switching role, as the console's Switch Role form would. */
export interface AssumeRoleAsSandboxPersonInput {
  /** `arn:aws:iam::<account>:role/<path><name>` */
  roleArn: string;
  /** The role's name without its path, for `ListAttachedRolePolicies`. */
  roleName: string;
  /** The console uses the person's user name as the session name. */
  sessionName: string;
  /** The person's MFA device and its current code, or `null` to assume without MFA. */
  mfa: { serialNumber: string; tokenCode: string } | null;
}

/** A role session as the console shows it; the temporary credentials themselves are not returned. */
export interface PersonRoleSession {
  /** `arn:aws:sts::<account>:assumed-role/<name>/<session>` */
  assumedRoleArn: string;
  assumedRoleId: string;
  /** ISO 8601 time the temporary credentials expire. */
  expiration: string;
  /** `GetCallerIdentity` called with the temporary credentials. */
  callerIdentity: AwsResult<CallerIdentity>;
  /** `ListAttachedRolePolicies` on the assumed role, called with the temporary credentials; may be denied. */
  attachedPolicies: AwsResult<AttachedPolicyRef[]>;
}

/**
 * Assumes a role as a person (their own IAM user keys in `connection`), passing their MFA serial
 * and code when given, then proves the session works by calling `GetCallerIdentity` and
 * `ListAttachedRolePolicies` with the temporary credentials. Fails with AWS's code and message when
 * `AssumeRole` is refused; the follow-up calls' failures are returned inside the session.
 */
export async function assumeRoleAsSandboxPerson(
  connection: AwsConnection,
  input: AssumeRoleAsSandboxPersonInput,
): Promise<AwsResult<PersonRoleSession>> {
  const sts = new STSClient({
    region: connection.region,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...sdkCredentials(connection.credentials),
    maxAttempts: connection.maxAttempts ?? 1,
  });
  let assumed;
  try {
    assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: input.roleArn,
        RoleSessionName: input.sessionName,
        ...(input.mfa ? { SerialNumber: input.mfa.serialNumber, TokenCode: input.mfa.tokenCode } : {}),
      }),
    );
  } catch (error) {
    return toAwsFailure(error);
  } finally {
    sts.destroy();
  }
  const credentials = assumed.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.Expiration) {
    throw new Error('AssumeRole answered without credentials');
  }
  const session: AwsConnection = {
    endpoint: connection.endpoint,
    region: connection.region,
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    },
    maxAttempts: 1,
  };
  const [callerIdentity, attachedPolicies] = await Promise.all([
    createStsClient(session).getCallerIdentity(),
    createIamAccountClient(session).listAttachedRolePolicies(input.roleName),
  ]);
  return {
    ok: true,
    value: {
      assumedRoleArn: assumed.AssumedRoleUser?.Arn ?? '',
      assumedRoleId: assumed.AssumedRoleUser?.AssumedRoleId ?? '',
      expiration: credentials.Expiration.toISOString(),
      callerIdentity,
      attachedPolicies,
    },
  };
}
