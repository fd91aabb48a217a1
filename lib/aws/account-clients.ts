import 'server-only';

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
    credentials !== null && (!credentials.expiration || credentials.expiration.getTime() - REFRESH_MARGIN_MS > now());
  return async () => {
    if (isFresh(current)) return current;
    pending ??= (async () => {
      try {
        const assumed = await sts.assumeRole({ roleArn: input.roleArn, sessionName: input.sessionName, externalId: input.externalId });
        if (!assumed.ok) {
          throw new Error(`Could not assume the provisioner role ${input.roleArn}: ${assumed.message}`);
        }
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

type ResolveSandboxConnection = (accountId: string) => Promise<AwsConnection>;

interface ClientRegistry {
  byKey: Map<string, AccountClients>;
  sandboxResolver: ResolveSandboxConnection | null;
}

const registryKey = Symbol.for('rolesmith.awsClients');

function registry(): ClientRegistry {
  const holder = globalThis as { [registryKey]?: ClientRegistry };
  holder[registryKey] ??= { byKey: new Map(), sandboxResolver: null };
  return holder[registryKey];
}

/**
 * Tells `lib/aws` how to reach an account in sandbox mode (the in-process emulator's endpoint and
 * that account's provisioner keys). Registered once at start-up.
 */
export function setSandboxConnectionResolver(resolve: ResolveSandboxConnection): void {
  registry().sandboxResolver = resolve;
  registry().byKey.clear();
}

/**
 * The clients for a target account in the current mode, cached per account. In `aws` mode the
 * provisioner role is assumed with its external ID (credentials cached until shortly before they
 * expire); `ROLESMITH_AWS_ENDPOINT` points every client at that endpoint. Throws when sandbox mode
 * has no emulator registered: a start-up bug, not a user error.
 */
export async function getAccountClients(access: TargetAccountAccess): Promise<AccountClients> {
  const env = getEnv();
  const key = `${env.ROLESMITH_MODE}:${access.accountId}:${access.provisionerRoleArn ?? ''}:${access.externalId ?? ''}`;
  const cached = registry().byKey.get(key);
  if (cached) return cached;
  let clients: AccountClients;
  if (env.ROLESMITH_MODE === 'sandbox') {
    const resolve = registry().sandboxResolver;
    if (!resolve) throw new Error('Sandbox mode: no emulator connection registered with lib/aws');
    clients = createAccountClients(access.accountId, await resolve(access.accountId));
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
