import 'server-only';

import type { AwsErrorDetail } from '@/lib/aws/errors';
import { createIamAccountClient, IAM_SIGNING_REGION, type IamAccountClient } from '@/lib/aws/iam-client';
import { createStsClient, type StsClientForConnection } from '@/lib/aws/sts-client';
import type { AwsConnection, AwsCredentials } from '@/lib/aws/types';
import { getEnv } from '@/lib/env';

/** How the portal reaches one target account. */
export interface TargetAccountAccess {
  accountId: string;
  /**
   * `aws` mode: the provisioner role assumed in the account (with `externalId`); `null` for the
   * portal's own account, which uses the SDK's default credential chain.
   */
  provisionerRoleArn: string | null;
  externalId: string | null;
}

/** The IAM and STS clients for one account. */
export interface AccountClients {
  accountId: string;
  iam: IamAccountClient;
  sts: StsClientForConnection;
}

/**
 * Builds clients from an explicit connection, e.g. the standalone emulator's endpoint and one
 * account's provisioner keys. Tests and workers with a known endpoint use this directly.
 */
export function createAccountClients(accountId: string, connection: AwsConnection): AccountClients {
  return { accountId, iam: createIamAccountClient(connection), sts: createStsClient(connection) };
}

/**
 * Thrown by {@link cachedAssumeRoleCredentials} when STS refuses: it carries STS's code and HTTP
 * status the way SDK errors do, so a client call fails with AWS's answer (e.g. `AccessDenied`,
 * not retried) rather than as a network error of unknown outcome.
 */
export class AssumeRoleError extends Error {
  readonly $metadata: { httpStatusCode?: number };
  readonly code: string;
  constructor(roleArn: string, detail: AwsErrorDetail) {
    super(`Could not assume the provisioner role ${roleArn}: ${detail.code}: ${detail.message}`);
    // The SDK's own convention: the error's name is AWS's code.
    this.name = detail.code;
    this.code = detail.code;
    this.$metadata = detail.httpStatus === null ? {} : { httpStatusCode: detail.httpStatus };
  }
}

/** Refresh assumed-role credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A credential provider that assumes `roleArn` and reuses the session until shortly before it
 * expires. Concurrent callers share one AssumeRole call.
 */
export function cachedAssumeRoleCredentials(
  sts: StsClientForConnection,
  input: { roleArn: string; externalId: string | null; sessionName: string },
  now: () => number = Date.now,
): () => Promise<AwsCredentials> {
  let current: AwsCredentials | null = null;
  let pending: Promise<AwsCredentials> | null = null;
  const isFresh = (credentials: AwsCredentials | null): credentials is AwsCredentials =>
    credentials !== null &&
    (!credentials.expiration || credentials.expiration.getTime() - REFRESH_MARGIN_MS > now());
  return async () => {
    if (isFresh(current)) return current;
    pending ??= (async () => {
      try {
        const assumed = await sts.assumeRole({
          roleArn: input.roleArn,
          sessionName: input.sessionName,
          externalId: input.externalId,
        });
        if (!assumed.ok) throw new AssumeRoleError(input.roleArn, assumed.aws);
        current = assumed.value;
        return assumed.value;
      } finally {
        pending = null;
      }
    })();
    return pending;
  };
}

/** The endpoint every client uses in `aws` mode: `ROLESMITH_AWS_ENDPOINT` or AWS itself. */
function awsModeEndpoint(): string | null {
  const env = getEnv();
  return env.ROLESMITH_MODE === 'aws' ? (env.ROLESMITH_AWS_ENDPOINT ?? null) : null;
}

interface ClientRegistry {
  byKey: Map<string, AccountClients>;
}

const registryKey = Symbol.for('rolesmith.awsClients');

function registry(): ClientRegistry {
  const holder = globalThis as { [registryKey]?: ClientRegistry };
  holder[registryKey] ??= { byKey: new Map() };
  return holder[registryKey];
}

/**
 * Sandbox mode: the in-process emulator served by this portal at
 * `http://127.0.0.1:<PORT>/sandbox/aws`, as that account's provisioner.
 */
async function sandboxConnection(accountId: string, port: number): Promise<AwsConnection> {
  const { getSandboxEmulator } = await import('@/lib/sandbox/emulator');
  const description = (await getSandboxEmulator()).describe();
  const account = description.accounts.find((candidate) => candidate.id === accountId);
  if (!account) throw new Error(`The sandbox has no account ${accountId}`);
  return {
    endpoint: `http://127.0.0.1:${port}/sandbox/aws`,
    region: description.region,
    credentials: {
      accessKeyId: account.provisioner.accessKeyId,
      secretAccessKey: account.provisioner.secretAccessKey,
    },
  };
}

/**
 * The clients for a target account in the current mode, cached per account. In `aws` mode the
 * provisioner role is assumed with its external ID (credentials cached until shortly before they
 * expire); `ROLESMITH_AWS_ENDPOINT` points every client at that endpoint. In sandbox mode the
 * in-process emulator is reached over HTTP on the portal's own port with the account's provisioner
 * keys. Throws when the sandbox has no such account: a configuration bug, not a user error.
 */
export async function getAccountClients(access: TargetAccountAccess): Promise<AccountClients> {
  const env = getEnv();
  const key = `${env.ROLESMITH_MODE}:${access.accountId}:${access.provisionerRoleArn ?? ''}:${access.externalId ?? ''}`;
  const cached = registry().byKey.get(key);
  if (cached) return cached;
  let clients: AccountClients;
  if (env.ROLESMITH_MODE === 'sandbox') {
    clients = createAccountClients(access.accountId, await sandboxConnection(access.accountId, env.PORT));
  } else {
    const endpoint = awsModeEndpoint();
    const base: AwsConnection = { endpoint, region: IAM_SIGNING_REGION, credentials: null };
    if (access.provisionerRoleArn === null) {
      clients = createAccountClients(access.accountId, base);
    } else {
      const provider = cachedAssumeRoleCredentials(createStsClient(base), {
        roleArn: access.provisionerRoleArn,
        externalId: access.externalId,
        sessionName: 'rolesmith-provisioner',
      });
      clients = createAccountClients(access.accountId, { ...base, credentials: provider });
    }
  }
  registry().byKey.set(key, clients);
  return clients;
}
