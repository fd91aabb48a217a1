import 'server-only';

import type { AwsCredentials } from '@/lib/aws/types';

interface SdkCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

function toIdentity(credentials: AwsCredentials): SdkCredentialIdentity {
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    ...(credentials.expiration ? { expiration: credentials.expiration } : {}),
  };
}

/** The `credentials` member of an SDK client config; omitted (default chain) when `null`. */
export function sdkCredentials(credentials: AwsCredentials | (() => Promise<AwsCredentials>) | null): {
  credentials?: SdkCredentialIdentity | (() => Promise<SdkCredentialIdentity>);
} {
  if (credentials === null) return {};
  if (typeof credentials === 'function') return { credentials: async () => toIdentity(await credentials()) };
  return { credentials: toIdentity(credentials) };
}
