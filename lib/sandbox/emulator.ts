import 'server-only';
import { join, resolve } from 'node:path';
import { getEnv } from '@/lib/env';
import {
  authorizeIdentity,
  callerPolicies,
  denyMessageTail,
  principalInfo,
  type RequestContext,
} from '@/lib/sandbox/authorize';
import { handleControl, type CallCount, type SandboxControls } from '@/lib/sandbox/control';
import { FaultInjector, type Faults } from '@/lib/sandbox/faults';
import { iamOperations } from '@/lib/sandbox/iam-ops';
import { requestId as newRequestId } from '@/lib/sandbox/ids';
import type { Operation, OperationContext, RequestFacts } from '@/lib/sandbox/operation';
import {
  AwsError,
  Params,
  errorXml,
  iamVersion,
  stsVersion,
  successXml,
  type SandboxAnswer,
  type SandboxRequest,
  type Service,
} from '@/lib/sandbox/protocol';
import { describeSandbox, seedSandbox, type SandboxDescription } from '@/lib/sandbox/seed';
import { missingToken, readSignatureClaim, verifySignature } from '@/lib/sandbox/sigv4';
import { SandboxState, defaultQuotas, type Caller, type Quotas } from '@/lib/sandbox/state';
import { Store } from '@/lib/sandbox/store';
import { callerContext, stsOperations, unsignedStsActions } from '@/lib/sandbox/sts-ops';
import { totpCode } from '@/lib/sandbox/totp';

// The emulator itself: it routes each request to an IAM or STS operation (or a control endpoint),
// authenticates and authorizes the caller, and keeps the journal durable. Its example organisation
// is seeded by seed.ts, its faults come from faults.ts, its control endpoints are control.ts, and
// node-server.ts serves it on a port of its own.

export interface HandleOptions {
  /** The path prefix the emulator is mounted at, e.g. `/sandbox/aws`. */
  basePath?: string;
  /** The client's address, for `aws:SourceIp` (defaults to X-Forwarded-For, then 127.0.0.1). */
  sourceIp?: string;
  /** The portal's configured public URL: the control endpoints accept its origin. */
  publicUrl?: string;
}

const utf8 = new TextDecoder();

/** Where the emulator is mounted, in the portal and on the standalone server alike. */
export const basePathDefault = '/sandbox/aws';

// Lower case, as a Fetch `Response` gives header names, so that both ways of serving send the same.
const xmlHeaders = (requestId: string) => ({ 'content-type': 'text/xml', 'x-amzn-requestid': requestId });

/**
 * The sandbox IAM/STS emulator: AWS Query protocol over the Fetch API, so the same handler serves
 * the Next.js route and a standalone `node:http` server.
 */
export class SandboxEmulator implements SandboxControls {
  private readonly faults = new FaultInjector();
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
      seedSandbox(emulator.state);
      await store.durable(store.endOperation());
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

  /** The accounts with their provisioner keys, and the demo people with their keys and MFA devices. */
  describe(): SandboxDescription {
    return describeSandbox(this.state);
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
  async handle(request: SandboxRequest, options: HandleOptions = {}): Promise<Response> {
    const answer = await this.answer(request, options);
    return answer instanceof Response
      ? answer
      : new Response(answer.body, { status: answer.status, headers: answer.headers });
  }

  /**
   * {@link handle} without building a Fetch `Response` for IAM and STS calls (the standalone
   * server writes the answer straight to its socket); control calls still answer a `Response`.
   */
  async answer(request: SandboxRequest, options: HandleOptions = {}): Promise<SandboxAnswer | Response> {
    const url = new URL(request.url);
    let path = url.pathname.replace(/\/{2,}/g, '/');
    const basePath = (options.basePath ?? '').replace(/\/$/, '');
    if (basePath && (path === basePath || path.startsWith(`${basePath}/`)))
      path = path.slice(basePath.length) || '/';
    if (path.startsWith('/_sandbox/'))
      return handleControl(this, request, path.slice('/_sandbox/'.length), options);
    const requestId = newRequestId();
    let service: Service = 'iam';
    try {
      if (this.closed) throw new AwsError('ServiceUnavailable', 'The sandbox emulator is shutting down.');
      if (request.method !== 'GET' && request.method !== 'POST') {
        throw new AwsError('InvalidAction', `Method ${request.method} is not supported.`, 405);
      }
      const body =
        request.method !== 'POST'
          ? new Uint8Array()
          : (request.bodyBytes?.() ?? new Uint8Array(await request.arrayBuffer()));
      const params = Params.fromSearchParams(url.searchParams, new URLSearchParams(utf8.decode(body)));
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
      if (this.faults.active) await this.faults.apply(action, account);
      const facts: RequestFacts = {
        sourceIp:
          options.sourceIp ?? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? '127.0.0.1',
        secureTransport: url.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https',
      };
      const result = this.run(operation, { caller, params, facts, accountId: account });
      await this.store.durable(this.store.endOperation());
      return {
        status: 200,
        headers: xmlHeaders(requestId),
        body: successXml(service, action, result, requestId),
      };
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
      return {
        status: awsError.status,
        headers: xmlHeaders(requestId),
        body: errorXml(service, awsError, requestId),
      };
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
    request: SandboxRequest,
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

  /** Replaces the fault settings (`{}` clears them; the Nth-call count restarts, buckets start full). */
  setFaults(faults: Faults): void {
    this.faults.set(faults);
  }

  /** The fault settings in force. */
  getFaults(): Faults {
    return this.faults.current;
  }

  /** Call counts since the last reset, by account, service and action. */
  getCalls(): CallCount[] {
    return [...this.calls.values()].map((entry) => ({ ...entry }));
  }

  resetCalls(): void {
    this.calls.clear();
  }
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
