import 'server-only';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { getEnv } from '@/lib/env';
import {
  authorizeIdentity,
  callerPolicies,
  denyMessageTail,
  principalInfo,
  type RequestContext,
} from '@/lib/sandbox/authorize';
import { accessKeyId, requestId as newRequestId, secretAccessKey, uniqueId } from '@/lib/sandbox/ids';
import { iamOperations } from '@/lib/sandbox/iam-ops';
import type { Operation, OperationContext, RequestFacts } from '@/lib/sandbox/operation';
import {
  AwsError,
  Params,
  errorXml,
  iamVersion,
  statusForCode,
  stsVersion,
  successXml,
  type Service,
} from '@/lib/sandbox/protocol';
import { demoPeople, demoRole, sandboxAccounts } from '@/lib/sandbox/seed-data';
import { missingToken, readSignatureClaim, verifySignature } from '@/lib/sandbox/sigv4';
import {
  SandboxState,
  defaultQuotas,
  region,
  roleKey,
  userKey,
  type Caller,
  type Quotas,
} from '@/lib/sandbox/state';
import { Store } from '@/lib/sandbox/store';
import { callerContext, stsOperations, unsignedStsActions } from '@/lib/sandbox/sts-ops';
import { newTotpSeed, totpCode } from '@/lib/sandbox/totp';

/** What the sandbox tells the portal and tools: its accounts with their provisioner keys, and the demo people. */
export interface SandboxDescription {
  region: 'us-east-1';
  accounts: {
    id: string;
    alias: string;
    provisioner: { accessKeyId: string; secretAccessKey: string };
    /**
     * For `aws` mode against the standalone emulator: a role in each target account that the
     * identity account (111122223333) may assume with this external ID, allowed everything.
     */
    provisionerRole?: { arn: string; externalId: string };
  }[];
  people: {
    accountId: string;
    userName: string;
    accessKeyId: string;
    secretAccessKey: string;
    mfaSerial: string;
  }[];
}

/** Fault injection settings (`POST <endpoint>/_sandbox/faults`). */
export interface Faults {
  /** Throttles each call with this probability (0 to 1), whatever the rate. */
  throttleRate?: number;
  /**
   * Throttles by rate, as IAM does: a token bucket per account holding up to N tokens (the burst),
   * refilled at N per second; a call finding no token is answered `Throttling` / "Rate exceeded".
   */
  throttleAbovePerSecond?: number;
  latencyMs?: number;
  failNth?: { action: string; n: number; code: string };
}

export interface CallCount {
  account: string;
  service: Service;
  action: string;
  count: number;
}

export interface HandleOptions {
  /** The path prefix the emulator is mounted at, e.g. `/sandbox/aws`. */
  basePath?: string;
  /** The client's address, for `aws:SourceIp` (defaults to X-Forwarded-For, then 127.0.0.1). */
  sourceIp?: string;
}

/** The IAM user in each account whose access keys the portal uses in sandbox mode (allowed everything). */
export const provisionerUserName = 'rolesmith-provisioner';
/** The role in each target account for `aws` mode against the standalone emulator. */
export const provisionerRoleName = 'RolesmithProvisioner';
const identityAccountId = '111122223333';
const provisionerRolePath = '/rolesmith/';
const provisionerExternalId = (accountId: string) => `rolesmith-sandbox-${accountId}`;
/** Where the emulator is mounted, in the portal and on the standalone server alike. */
export const basePathDefault = '/sandbox/aws';

const xmlHeaders = (requestId: string) => ({ 'content-type': 'text/xml', 'x-amzn-RequestId': requestId });

/**
 * The sandbox IAM/STS emulator: AWS Query protocol over the Fetch API, so the same handler serves
 * the Next.js route and a standalone `node:http` server.
 */
export class SandboxEmulator {
  private faults: Faults = {};
  private failNthSeen = 0;
  /** Per account, the `throttleAbovePerSecond` token bucket: tokens left and when last refilled. */
  private rateBuckets = new Map<string, { tokens: number; refilledAt: number }>();
  private calls = new Map<string, CallCount>();
  private closed = false;
  readonly state: SandboxState;

  private constructor(
    private readonly store: Store,
    quotas: Quotas,
  ) {
    this.state = new SandboxState(store, quotas);
  }

  /**
   * Opens the emulator's state in `<dataDir>/sandbox-aws` (seeding the example accounts on first
   * start). Throws when another process holds that folder.
   */
  static async open(options: {
    dataDir: string;
    quotas?: Partial<Quotas>;
    fsync?: boolean;
  }): Promise<SandboxEmulator> {
    const store = await Store.open(join(resolve(options.dataDir), 'sandbox-aws'), { fsync: options.fsync });
    const emulator = new SandboxEmulator(store, { ...defaultQuotas, ...options.quotas });
    try {
      // Expired temporary credentials can never be used again: drop them.
      const now = Date.now();
      for (const session of [...store.tables.sessions.values()]) {
        if (Date.parse(session.expiration) <= now) store.tables.sessions.delete(session.accessKeyId);
      }
      await emulator.seed();
    } catch (error) {
      await store.close();
      throw error;
    }
    return emulator;
  }

  /** Statistics of the last open: journal entries replayed and the time taken. */
  get openStats() {
    return this.store.stats;
  }

  private async seed(): Promise<void> {
    const t = this.state.t;
    const now = new Date().toISOString();
    const createUser = (
      accountId: string,
      userName: string,
      policies: { name: string; document: string }[],
    ) => {
      const arn = `arn:aws:iam::${accountId}:user/${userName}`;
      t.users.put(userKey(accountId, userName), {
        accountId,
        userName,
        userId: uniqueId('AIDA'),
        path: '/',
        arn,
        createDate: now,
        inlinePolicies: policies,
        attachedPolicies: [],
        tags: [],
      });
      const keyId = accessKeyId('AKIA');
      t.accessKeys.put(keyId, {
        accessKeyId: keyId,
        secretAccessKey: secretAccessKey(),
        accountId,
        userName,
        createDate: now,
      });
    };
    for (const account of sandboxAccounts) {
      if (t.accounts.get(account.id)) continue;
      t.accounts.put(account.id, { id: account.id, alias: account.alias, provisionerUserName });
      // Every AWS account has these service-linked roles from the start; AWS alone may change them.
      for (const [service, name, policy] of [
        ['support.amazonaws.com', 'AWSServiceRoleForSupport', 'AWSSupportServiceRolePolicy'],
        [
          'trustedadvisor.amazonaws.com',
          'AWSServiceRoleForTrustedAdvisor',
          'AWSTrustedAdvisorServiceRolePolicy',
        ],
      ] as const) {
        const path = `/aws-service-role/${service}/`;
        t.roles.put(roleKey(account.id, name), {
          accountId: account.id,
          roleName: name,
          roleId: uniqueId('AROA'),
          path,
          arn: `arn:aws:iam::${account.id}:role${path}${name}`,
          createDate: now,
          trustPolicy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
          }),
          description: `Service-linked role for ${service}`,
          maxSessionDuration: 3600,
          tags: [],
          inlinePolicies: [],
          attachedPolicies: [`arn:aws:iam::aws:policy/aws-service-role/${policy}`],
        });
      }
      if (account.isTarget) {
        t.roles.put(roleKey(account.id, provisionerRoleName), {
          accountId: account.id,
          roleName: provisionerRoleName,
          roleId: uniqueId('AROA'),
          path: provisionerRolePath,
          arn: `arn:aws:iam::${account.id}:role${provisionerRolePath}${provisionerRoleName}`,
          createDate: now,
          trustPolicy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${identityAccountId}:root` },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'sts:ExternalId': provisionerExternalId(account.id) } },
              },
            ],
          }),
          description: 'Assumed by Rolesmith (aws mode) to create roles in this account',
          maxSessionDuration: 3600,
          tags: [],
          inlinePolicies: [],
          attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        });
      }
      createUser(account.id, provisionerUserName, [
        {
          name: 'ProvisionerFullAccess',
          document: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
          }),
        },
      ]);
    }
    for (const person of demoPeople) {
      if (this.state.getUser(person.accountId, person.userName)) continue;
      createUser(person.accountId, person.userName, [
        {
          name: 'AssumeRolesAnywhere',
          document: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'AssumeAnyRoleTrustDecides',
                Effect: 'Allow',
                Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
                Resource: 'arn:aws:iam::*:role/*',
              },
              {
                Sid: 'ReadOwnUser',
                Effect: 'Allow',
                Action: ['iam:GetUser'],
                Resource: `arn:aws:iam::${person.accountId}:user/${person.userName}`,
              },
            ],
          }),
        },
      ]);
      const serialNumber = `arn:aws:iam::${person.accountId}:mfa/${person.userName}`;
      t.mfaDevices.put(serialNumber, {
        accountId: person.accountId,
        serialNumber,
        userName: person.userName,
        seed: newTotpSeed(),
        enableDate: now,
      });
    }
    // One example role a demo person can switch to from the sandbox switch-role page: seeded when
    // missing (also into data folders created before it existed).
    if (!this.state.getRole(demoRole.accountId, demoRole.roleName)) {
      t.roles.put(roleKey(demoRole.accountId, demoRole.roleName), {
        accountId: demoRole.accountId,
        roleName: demoRole.roleName,
        roleId: uniqueId('AROA'),
        path: '/',
        arn: `arn:aws:iam::${demoRole.accountId}:role/${demoRole.roleName}`,
        createDate: now,
        trustPolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${demoRole.trustedAccountId}:root` },
              Action: 'sts:AssumeRole',
              Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
            },
          ],
        }),
        description: demoRole.description,
        maxSessionDuration: 3600,
        tags: [],
        inlinePolicies: [],
        attachedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      });
    }
    await this.store.durable(this.store.endOperation());
  }

  private accessKeyOf(accountId: string, userName: string) {
    for (const key of this.state.t.accessKeys.values()) {
      if (key.accountId === accountId && key.userName === userName) return key;
    }
    throw new Error(`No access key for ${userName} in ${accountId}`);
  }

  /** The accounts with their provisioner keys, and the demo people with their keys and MFA devices. */
  describe(): SandboxDescription {
    return {
      region: 'us-east-1',
      accounts: sandboxAccounts.map((account) => {
        const key = this.accessKeyOf(account.id, provisionerUserName);
        const role = account.isTarget ? this.state.getRole(account.id, provisionerRoleName) : undefined;
        return {
          id: account.id,
          alias: account.alias,
          provisioner: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
          ...(role
            ? { provisionerRole: { arn: role.arn, externalId: provisionerExternalId(account.id) } }
            : {}),
        };
      }),
      people: demoPeople.map((person) => {
        const key = this.accessKeyOf(person.accountId, person.userName);
        return {
          accountId: person.accountId,
          userName: person.userName,
          accessKeyId: key.accessKeyId,
          secretAccessKey: key.secretAccessKey,
          mfaSerial: `arn:aws:iam::${person.accountId}:mfa/${person.userName}`,
        };
      }),
    };
  }

  /** The current TOTP code of a sandbox user's virtual MFA device; null when the user has none. */
  mfaCode(accountId: string, userName: string, atMs: number = Date.now()): string | null {
    const device = this.state.t.mfaDevices.get(`arn:aws:iam::${accountId}:mfa/${userName}`);
    return device ? totpCode(device.seed, atMs) : null;
  }

  isHealthy(): boolean {
    return !this.closed;
  }

  /** Flushes and releases the data folder. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.store.close();
  }

  // ---------------------------------------------------------------------------------------------

  /** Answers one HTTP request: an IAM or STS Query call, or a `/_sandbox/…` control call. */
  async handle(request: Request, options: HandleOptions = {}): Promise<Response> {
    const url = new URL(request.url);
    let path = url.pathname.replace(/\/{2,}/g, '/');
    const basePath = (options.basePath ?? '').replace(/\/$/, '');
    if (basePath && (path === basePath || path.startsWith(`${basePath}/`)))
      path = path.slice(basePath.length) || '/';
    if (path.startsWith('/_sandbox/')) return this.handleControl(request, path.slice('/_sandbox/'.length));
    const requestId = newRequestId();
    let service: Service = 'iam';
    try {
      if (this.closed) throw new AwsError('ServiceUnavailable', 'The sandbox emulator is shutting down.');
      if (request.method !== 'GET' && request.method !== 'POST') {
        throw new AwsError('InvalidAction', `Method ${request.method} is not supported.`, 405);
      }
      const body = request.method === 'POST' ? new Uint8Array(await request.arrayBuffer()) : new Uint8Array();
      const params = Params.fromSearchParams(
        url.searchParams,
        new URLSearchParams(new TextDecoder().decode(body)),
      );
      const claim = readSignatureClaim(request, url);
      const version = params.get('Version');
      service =
        version === stsVersion
          ? 'sts'
          : version === iamVersion
            ? 'iam'
            : claim?.service === 'sts'
              ? 'sts'
              : 'iam';
      const action = params.get('Action');
      if (action === undefined) throw new AwsError('MissingAction', 'Missing Action');
      const operations = service === 'sts' ? stsOperations : iamOperations;
      const operation = Object.hasOwn(operations, action) ? operations[action] : undefined;
      if (!operation) {
        throw new AwsError(
          'InvalidAction',
          `Could not find operation ${action} for version ${version ?? (service === 'sts' ? stsVersion : iamVersion)}`,
        );
      }
      let caller: Caller;
      if (claim && claim.service !== service) {
        throw new AwsError(
          'SignatureDoesNotMatch',
          `Credential should be scoped to correct service: '${service}'. `,
        );
      }
      if (claim) caller = this.authenticate(request, url, body, claim);
      else if (service === 'sts' && unsignedStsActions.has(action))
        caller = { kind: 'anonymous', accountId: '', arn: '', userId: '' };
      else throw missingToken();
      const account =
        caller.kind === 'anonymous'
          ? (/^arn:aws:iam::(\d{12}):/.exec(params.get('RoleArn') ?? '')?.[1] ?? 'anonymous')
          : caller.accountId;
      this.count(account, service, action);
      await this.applyFaults(action, account);
      const facts: RequestFacts = {
        sourceIp:
          options.sourceIp ?? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? '127.0.0.1',
        secureTransport: url.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https',
      };
      const result = this.run(operation, { caller, params, facts, accountId: account });
      await this.store.durable(this.store.endOperation());
      return new Response(successXml(service, action, result, requestId), {
        status: 200,
        headers: xmlHeaders(requestId),
      });
    } catch (error) {
      const awsError =
        error instanceof AwsError
          ? error
          : new AwsError('InternalFailure', 'The request processing has failed because of an unknown error.');
      if (!(error instanceof AwsError)) console.error('sandbox emulator: unexpected error', error);
      try {
        await this.store.durable(this.store.endOperation());
      } catch {
        // The error answer stands; the journal failure is reported by the next write.
      }
      return new Response(errorXml(service, awsError, requestId), {
        status: awsError.status,
        headers: xmlHeaders(requestId),
      });
    }
  }

  private run(
    operation: Operation,
    input: Pick<OperationContext, 'caller' | 'params' | 'facts' | 'accountId'>,
  ): string | null {
    const context: OperationContext = {
      ...input,
      state: this.state,
      now: new Date(),
      authorize: (action: string, resource: string, extra?: RequestContext) => {
        const policies = callerPolicies(this.state, context.caller);
        const decision = authorizeIdentity(policies, {
          principal: principalInfo(context.caller),
          action,
          resource,
          context: { ...callerContext(context), ...extra },
        });
        if (decision.decision !== 'allowed') {
          throw new AwsError(
            'AccessDenied',
            `User: ${context.caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${denyMessageTail(decision.reason ?? 'no-identity', action)}`,
          );
        }
      },
    };
    return operation(context);
  }

  private authenticate(
    request: Request,
    url: URL,
    body: Uint8Array,
    claim: NonNullable<ReturnType<typeof readSignatureClaim>>,
  ): Caller {
    const invalid = () =>
      new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
    const t = this.state.t;
    const key = t.accessKeys.get(claim.accessKeyId);
    if (key) {
      if (claim.securityToken !== undefined) throw invalid();
      verifySignature(request, url, body, claim, key.secretAccessKey);
      const user = this.state.getUser(key.accountId, key.userName);
      if (!user) throw invalid();
      return { kind: 'user', accountId: user.accountId, arn: user.arn, userId: user.userId, user };
    }
    const session = t.sessions.get(claim.accessKeyId);
    if (!session || claim.securityToken !== session.sessionToken) throw invalid();
    verifySignature(request, url, body, claim, session.secretAccessKey);
    if (Date.parse(session.expiration) <= Date.now()) {
      throw new AwsError('ExpiredToken', 'The security token included in the request is expired');
    }
    return {
      kind: 'assumed-role',
      accountId: session.accountId,
      arn: session.arn,
      userId: `${session.roleId}:${session.sessionName}`,
      session,
    };
  }

  private count(account: string, service: Service, action: string): void {
    const key = `${account}|${service}|${action}`;
    const entry = this.calls.get(key);
    if (entry) entry.count += 1;
    else this.calls.set(key, { account, service, action, count: 1 });
  }

  private async applyFaults(action: string, account: string): Promise<void> {
    const { latencyMs, throttleRate, throttleAbovePerSecond, failNth } = this.faults;
    if (latencyMs && latencyMs > 0) await new Promise((done) => setTimeout(done, latencyMs));
    if (throttleRate && Math.random() < throttleRate) throw new AwsError('Throttling', 'Rate exceeded', 400);
    if (throttleAbovePerSecond !== undefined && !this.takeRateToken(account, throttleAbovePerSecond))
      throw new AwsError('Throttling', 'Rate exceeded', 400);
    if (failNth && failNth.action === action) {
      this.failNthSeen += 1;
      if (this.failNthSeen === failNth.n) {
        throw new AwsError(
          failNth.code,
          `Injected failure of call ${failNth.n} of ${action}.`,
          statusForCode(failNth.code),
        );
      }
    }
  }

  /** Takes one token from the account's bucket (burst and refill `perSecond`); false when empty. */
  private takeRateToken(account: string, perSecond: number): boolean {
    const now = performance.now();
    const bucket = this.rateBuckets.get(account) ?? { tokens: perSecond, refilledAt: now };
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.refilledAt) / 1000) * perSecond);
    bucket.refilledAt = now;
    this.rateBuckets.set(account, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Replaces the fault settings (`{}` clears them; buckets start full). Throws on invalid settings. */
  setFaults(faults: Faults): void {
    this.faults = faults;
    this.failNthSeen = 0;
    this.rateBuckets.clear();
  }

  /** Call counts since the last reset, by account, service and action. */
  getCalls(): CallCount[] {
    return [...this.calls.values()].map((entry) => ({ ...entry }));
  }

  resetCalls(): void {
    this.calls.clear();
  }

  private async handleControl(request: Request, name: string): Promise<Response> {
    const json = (body: unknown, status = 200) => Response.json(body, { status });
    const refusal = refuseCrossSiteControl(request);
    if (refusal) return json({ error: refusal }, 403);
    if (name === 'calls' && request.method === 'GET') return json({ calls: this.getCalls() });
    if (name === 'reset-calls' && request.method === 'POST') {
      this.resetCalls();
      return json({ ok: true });
    }
    if (name === 'faults' && request.method === 'GET') return json(this.faults);
    if (name === 'faults' && request.method === 'POST') {
      const parsed = parseFaults(await request.text());
      if (typeof parsed === 'string') return json({ error: parsed }, 400);
      this.setFaults(parsed);
      return json(this.faults);
    }
    if (name === 'mfa' && request.method === 'GET') {
      const params = new URL(request.url).searchParams;
      const code = this.mfaCode(params.get('account') ?? '', params.get('user') ?? '');
      return code === null
        ? json({ error: 'No such sandbox user with an MFA device.' }, 404)
        : json({ code });
    }
    if (name === 'health' && request.method === 'GET')
      return json({ healthy: this.isHealthy() }, this.isHealthy() ? 200 : 503);
    return new Response('Not Found', { status: 404 });
  }
}

/**
 * Why a control request must be refused, or `undefined`. Any website could otherwise change the
 * sandbox from a visitor's browser: a request from another origin (its `Origin` header is not the
 * request's own origin) is refused, and a POST must carry `content-type: application/json`, which
 * a cross-site "simple" request cannot send without a CORS preflight (which this endpoint never grants).
 */
function refuseCrossSiteControl(request: Request): string | undefined {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== new URL(request.url).origin) {
    return 'Cross-origin requests to the sandbox control endpoints are refused.';
  }
  if (request.method === 'POST') {
    const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') return 'Control POSTs must have content-type: application/json.';
  }
  return undefined;
}

const faultFields = ['throttleRate', 'throttleAbovePerSecond', 'latencyMs', 'failNth'];

/** Parses fault settings; returns an error message when invalid. */
export function parseFaults(text: string): Faults | string {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return 'The body must be a JSON object.';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'The body must be a JSON object.';
  const input = value as Record<string, unknown>;
  const faults: Faults = {};
  for (const key of Object.keys(input)) {
    if (!faultFields.includes(key)) return `Unknown field ${key}. Known fields: ${faultFields.join(', ')}.`;
  }
  if (input.throttleRate !== undefined) {
    if (typeof input.throttleRate !== 'number' || input.throttleRate < 0 || input.throttleRate > 1)
      return 'throttleRate must be a number from 0 to 1.';
    faults.throttleRate = input.throttleRate;
  }
  if (input.throttleAbovePerSecond !== undefined) {
    const perSecond = input.throttleAbovePerSecond;
    if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond < 1 || perSecond > 10_000)
      return 'throttleAbovePerSecond must be a number of calls per second (per account, burst the same) from 1 to 10000.';
    faults.throttleAbovePerSecond = perSecond;
  }
  if (input.latencyMs !== undefined) {
    if (typeof input.latencyMs !== 'number' || input.latencyMs < 0 || input.latencyMs > 60_000)
      return 'latencyMs must be a number of milliseconds from 0 to 60000.';
    faults.latencyMs = input.latencyMs;
  }
  if (input.failNth !== undefined) {
    const failNth = input.failNth as Record<string, unknown> | null;
    if (
      typeof failNth !== 'object' ||
      failNth === null ||
      typeof failNth.action !== 'string' ||
      typeof failNth.n !== 'number' ||
      !Number.isInteger(failNth.n) ||
      failNth.n < 1
    ) {
      return 'failNth must be { "action": "<Action>", "n": <positive integer>, "code": "<AWS error code>" }.';
    }
    faults.failNth = {
      action: failNth.action,
      n: failNth.n,
      code: typeof failNth.code === 'string' ? failNth.code : 'ServiceFailure',
    };
  }
  return faults;
}

// -------------------------------------------------------------------------------------------------

const singletonKey = Symbol.for('rolesmith.sandboxEmulator');
type Holder = { [singletonKey]?: { dataDir: string; emulator: Promise<SandboxEmulator> } };

/**
 * The process's sandbox emulator (one per process, kept on `globalThis` because Next.js may load
 * this module more than once). Its state lives in `<dataDir>/sandbox-aws`, `dataDir` defaulting
 * to `ROLESMITH_DATA_DIR`. Throws when asked for a different folder than the one already open, or
 * when another process holds the folder.
 */
export function getSandboxEmulator(options: { dataDir?: string } = {}): Promise<SandboxEmulator> {
  const holder = globalThis as Holder;
  const dataDir = resolve(/* turbopackIgnore: true */ options.dataDir ?? getEnv().ROLESMITH_DATA_DIR);
  const existing = holder[singletonKey];
  if (existing) {
    if (existing.dataDir !== dataDir) {
      return Promise.reject(
        new Error(`The sandbox emulator of this process already uses ${existing.dataDir}, not ${dataDir}.`),
      );
    }
    return existing.emulator;
  }
  const emulator = SandboxEmulator.open({ dataDir });
  holder[singletonKey] = { dataDir, emulator };
  emulator.catch(() => {
    if (holder[singletonKey]?.emulator === emulator) delete holder[singletonKey];
  });
  return emulator;
}

export interface StandaloneEmulator {
  /** e.g. `http://127.0.0.1:41234/sandbox/aws`: the SDK endpoint for IAM and STS; `/_sandbox/…` beside it. */
  endpoint: string;
  port: number;
  emulator: SandboxEmulator;
  close(): Promise<void>;
}

/**
 * Starts the emulator on its own HTTP server (port 0 picks a free port), with state in
 * `<dataDir>/sandbox-aws`. Independent of the process singleton, so tests may start several.
 */
export async function startStandaloneEmulator(options: {
  port?: number;
  host?: string;
  dataDir: string;
  quotas?: Partial<Quotas>;
  /** Only for measuring what durability costs: acknowledge writes without fsync. */
  fsync?: boolean;
}): Promise<StandaloneEmulator> {
  const emulator = await SandboxEmulator.open({
    dataDir: options.dataDir,
    quotas: options.quotas,
    fsync: options.fsync,
  });
  const host = options.host ?? '127.0.0.1';
  const server = createServer((incoming, outgoing) => {
    void serveNode(emulator, incoming, outgoing);
  });
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, host, () => done());
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    endpoint: `http://${shownHost}:${port}${basePathDefault}`,
    port,
    emulator,
    async close() {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await emulator.close();
    },
  };
}

async function serveNode(
  emulator: SandboxEmulator,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (
        value === undefined ||
        name === 'connection' ||
        name === 'transfer-encoding' ||
        name === 'keep-alive'
      )
        continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = `http://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`;
    const method = incoming.method ?? 'GET';
    const request = new Request(url, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
    });
    const response = await emulator.handle(request, {
      basePath: basePathDefault,
      sourceIp: incoming.socket.remoteAddress?.replace(/^::ffff:/, ''),
    });
    const body = Buffer.from(await response.arrayBuffer());
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      outHeaders[name] = value;
    });
    outHeaders['content-length'] = String(body.length);
    outgoing.writeHead(response.status, outHeaders);
    outgoing.end(body);
  } catch (error) {
    console.error('sandbox emulator: could not answer a request', error);
    if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
    outgoing.end('Internal error');
  }
}

export { region };
