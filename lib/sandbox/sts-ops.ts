import 'server-only';
import {
  authorizeAssumeRole,
  callerPolicies,
  principalInfo,
  type RequestContext,
} from '@/lib/sandbox/authorize';
import { accessKeyId, secretAccessKey, sessionToken } from '@/lib/sandbox/ids';
import type { Operation, OperationContext } from '@/lib/sandbox/operation';
import { checkIdentityPolicy, policySize } from '@/lib/sandbox/policy-check';
import { AwsError, Validator, el, node, type Params } from '@/lib/sandbox/protocol';
import { region, roleKey, type Caller } from '@/lib/sandbox/state';
import type { RoleRecord, SessionRecord, Tag } from '@/lib/sandbox/store';
import { isValidTotp } from '@/lib/sandbox/totp';

const sessionNamePattern = /^[\w+=,.@-]*$/;
const tagKeyPattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const tagValuePattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * The request context of a caller (principal keys, MFA, time, network), as IAM builds it for
 * authorisation and for trust evaluation.
 */
export function callerContext(context: OperationContext): RequestContext {
  const { caller, state, now, facts } = context;
  const keys: RequestContext = {
    'aws:PrincipalAccount': caller.accountId,
    'aws:userid': caller.userId,
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:SecureTransport': String(facts.secureTransport),
    'aws:SourceIp': facts.sourceIp,
  };
  if (caller.kind === 'user') {
    keys['aws:PrincipalArn'] = caller.arn;
    keys['aws:PrincipalType'] = 'User';
    keys['aws:username'] = caller.user.userName;
    for (const tag of caller.user.tags) keys[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
  } else if (caller.kind === 'assumed-role') {
    const session = caller.session;
    keys['aws:PrincipalArn'] = session.roleArn;
    keys['aws:PrincipalType'] = 'AssumedRole';
    const role = state.getRole(session.accountId, session.roleName);
    for (const tag of role?.tags ?? []) keys[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
    for (const tag of session.tags) keys[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
    keys['aws:MultiFactorAuthPresent'] = String(session.mfaAuthenticatedAt !== undefined);
    if (session.mfaAuthenticatedAt) {
      keys['aws:MultiFactorAuthAge'] = String(
        Math.floor((now.getTime() - Date.parse(session.mfaAuthenticatedAt)) / 1000),
      );
    }
    if (session.sourceIdentity) keys['aws:SourceIdentity'] = session.sourceIdentity;
    keys['aws:TokenIssueTime'] = session.issuedAt.replace(/\.\d{3}Z$/, 'Z');
  }
  return keys;
}

function readSessionTags(v: Validator, params: Params): Tag[] {
  const structs = params.structs('Tags') ?? [];
  v.listLength('tags', structs, 50);
  return structs.map((struct, index) => {
    v.required(`tags.${index + 1}.member.key`, struct.Key);
    v.required(`tags.${index + 1}.member.value`, struct.Value);
    v.string(
      `tags.${index + 1}.member.key`,
      struct.Key,
      1,
      128,
      tagKeyPattern,
      '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
    );
    v.string(
      `tags.${index + 1}.member.value`,
      struct.Value,
      0,
      256,
      tagValuePattern,
      '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
    );
    return { Key: struct.Key ?? '', Value: struct.Value ?? '' };
  });
}

function readCommon(v: Validator, params: Params) {
  const roleArn = params.get('RoleArn');
  v.required('roleArn', roleArn);
  v.string('roleArn', roleArn, 20, 2048);
  const sessionName = params.get('RoleSessionName');
  v.required('roleSessionName', sessionName);
  v.string('roleSessionName', sessionName, 2, 64, sessionNamePattern, '[\\w+=,.@-]*');
  const durationSeconds = v.integer('durationSeconds', params.get('DurationSeconds'), 900, 43200);
  const policy = params.get('Policy');
  v.string(
    'policy',
    policy,
    1,
    131072,
    /^[\u0009\u000A\u000D\u0020-\u00FF]+$/,
    '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
  );
  const policyArns = (params.structs('PolicyArns') ?? []).map((struct) => struct.arn ?? '');
  v.listLength('policyArns', policyArns, 10);
  return { roleArn: roleArn ?? '', sessionName: sessionName ?? '', durationSeconds, policy, policyArns };
}

function parseRoleArn(arn: string): { accountId: string; roleName: string } {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[1] !== 'aws')
    throw new AwsError('ValidationError', `${arn} is invalid`);
  const match = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match ? { accountId: match[1]!, roleName: match[2]! } : { accountId: parts[4] ?? '', roleName: '' };
}

/** The role an ARN names, when it exists with exactly that ARN (path included). */
function findRole(context: OperationContext, arn: string): RoleRecord | undefined {
  const { accountId, roleName } = parseRoleArn(arn);
  if (!roleName) return undefined;
  const role = context.state.t.roles.get(roleKey(accountId, roleName));
  return role && role.arn === arn ? role : undefined;
}

function checkSessionPolicy(
  policy: string | undefined,
  policyArns: string[],
  tags: Tag[],
): number | undefined {
  if (policy === undefined && policyArns.length === 0 && tags.length === 0) return undefined;
  if (policy !== undefined) checkIdentityPolicy(policy, { managed: false });
  const size =
    (policy === undefined ? 0 : policySize(policy)) +
    policyArns.reduce((sum, arn) => sum + arn.length, 0) +
    tags.reduce((sum, tag) => sum + tag.Key.length + tag.Value.length + 4, 0);
  const packed = Math.ceil((size / 2048) * 100 * 0.4);
  if (packed > 100 || (policy !== undefined && policySize(policy) > 2048)) {
    throw new AwsError(
      'PackedPolicyTooLarge',
      `Packed policy consumes ${Math.max(packed, 101)}% of allotted space, please use smaller policy.`,
    );
  }
  return Math.max(packed, 1);
}

function issueSession(
  context: OperationContext,
  role: RoleRecord,
  fields: Omit<
    SessionRecord,
    | 'accessKeyId'
    | 'secretAccessKey'
    | 'sessionToken'
    | 'expiration'
    | 'accountId'
    | 'roleName'
    | 'roleId'
    | 'roleArn'
    | 'arn'
    | 'issuedAt'
  >,
  durationSeconds: number,
): SessionRecord {
  const session: SessionRecord = {
    ...fields,
    accessKeyId: accessKeyId('ASIA'),
    secretAccessKey: secretAccessKey(),
    sessionToken: sessionToken(),
    expiration: new Date(context.now.getTime() + durationSeconds * 1000).toISOString(),
    accountId: role.accountId,
    roleName: role.roleName,
    roleId: role.roleId,
    roleArn: role.arn,
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${fields.sessionName}`,
    issuedAt: context.now.toISOString(),
  };
  context.state.t.sessions.put(session.accessKeyId, session);
  context.state.t.roles.put(roleKey(role.accountId, role.roleName), {
    ...role,
    lastUsed: { date: context.now.toISOString().replace(/\.\d{3}Z$/, 'Z'), region },
  });
  return session;
}

function credentialsXml(session: SessionRecord): string {
  return (
    node(
      'Credentials',
      el('AccessKeyId', session.accessKeyId) +
        el('SecretAccessKey', session.secretAccessKey) +
        el('SessionToken', session.sessionToken) +
        el('Expiration', session.expiration),
    ) +
    node(
      'AssumedRoleUser',
      el('AssumedRoleId', `${session.roleId}:${session.sessionName}`) + el('Arn', session.arn),
    )
  );
}

function checkDuration(role: RoleRecord, durationSeconds: number, chained: boolean): void {
  if (durationSeconds > role.maxSessionDuration) {
    throw new AwsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  if (chained && durationSeconds > 3600) {
    throw new AwsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
}

const getCallerIdentity: Operation = (context) => {
  const caller: Caller = context.caller;
  return el('UserId', caller.userId) + el('Account', caller.accountId) + el('Arn', caller.arn);
};

const assumeRole: Operation = (context) => {
  const { params, caller, state } = context;
  const v = new Validator(true);
  const common = readCommon(v, params);
  const tags = readSessionTags(v, params);
  const transitive = params.list('TransitiveTagKeys') ?? [];
  v.listLength('transitiveTagKeys', transitive, 50);
  const externalId = params.get('ExternalId');
  v.string('externalId', externalId, 2, 1224, /^[\w+=,.@:/-]*$/, '[\\w+=,.@:\\/-]*');
  const serialNumber = params.get('SerialNumber');
  v.string('serialNumber', serialNumber, 9, 256, /^[\w+=/:,.@-]*$/, '[\\w+=/:,.@-]*');
  const tokenCode = params.get('TokenCode');
  v.string('tokenCode', tokenCode, 6, 6, /^[\d]*$/, '[\\d]*');
  const sourceIdentity = params.get('SourceIdentity');
  v.string('sourceIdentity', sourceIdentity, 2, 64, /^[\w+=,.@-]*$/, '[\\w+=,.@-]*');
  v.throwIfAny();
  if (sourceIdentity?.toLowerCase().startsWith('aws:')) {
    throw new AwsError('ValidationError', 'SourceIdentity must not begin with the prefix "aws:".');
  }
  parseRoleArn(common.roleArn);
  const tagKeys = tags.map((tag) => tag.Key.toLowerCase());
  if (new Set(tagKeys).size !== tagKeys.length) {
    throw new AwsError(
      'InvalidParameterValue',
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    );
  }
  if (transitive.some((key) => !tagKeys.includes(key.toLowerCase()))) {
    throw new AwsError(
      'InvalidParameterValue',
      'The specified transitive tag key must be included in the requested tags.',
    );
  }
  const inherited: Tag[] = [];
  if (caller.kind === 'assumed-role') {
    for (const key of caller.session.transitiveTagKeys) {
      const tag = caller.session.tags.find((item) => item.Key.toLowerCase() === key.toLowerCase());
      if (!tag) continue;
      if (tagKeys.includes(key.toLowerCase())) {
        throw new AwsError(
          'InvalidParameterValue',
          "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
        );
      }
      inherited.push(tag);
    }
  }
  if ((serialNumber === undefined) !== (tokenCode === undefined)) {
    throw new AwsError(
      'AccessDenied',
      'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.',
    );
  }
  let mfaAt: string | undefined;
  if (serialNumber !== undefined && tokenCode !== undefined) {
    const device = state.t.mfaDevices.get(serialNumber);
    const owner = caller.kind === 'user' ? caller.user.userName : undefined;
    if (
      !device ||
      device.accountId !== caller.accountId ||
      device.userName !== owner ||
      !isValidTotp(device.seed, tokenCode, context.now.getTime())
    ) {
      throw new AwsError(
        'AccessDenied',
        'MultiFactorAuthentication failed with invalid MFA one time pass code.',
      );
    }
    mfaAt = context.now.toISOString();
  }
  const packedPolicySize = checkSessionPolicy(common.policy, common.policyArns, tags);
  const denied = new AwsError(
    'AccessDenied',
    `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${common.roleArn}`,
  );
  const role = findRole(context, common.roleArn);
  if (!role) throw denied;
  const allTags = [...inherited, ...tags];
  const keys: RequestContext = { ...callerContext(context), 'sts:RoleSessionName': common.sessionName };
  if (mfaAt) {
    keys['aws:MultiFactorAuthPresent'] = 'true';
    keys['aws:MultiFactorAuthAge'] = '0';
  }
  if (externalId !== undefined) keys['sts:ExternalId'] = externalId;
  if (sourceIdentity !== undefined) {
    keys['sts:SourceIdentity'] = sourceIdentity;
    keys['aws:SourceIdentity'] = sourceIdentity;
  }
  if (allTags.length > 0) {
    keys['aws:TagKeys'] = allTags.map((tag) => tag.Key);
    for (const tag of allTags) keys[`aws:RequestTag/${tag.Key}`] = tag.Value;
  }
  if (transitive.length > 0) keys['sts:TransitiveTagKeys'] = transitive;
  const who = principalInfo(caller);
  const policies = callerPolicies(state, caller);
  const actions: ('sts:AssumeRole' | 'sts:TagSession' | 'sts:SetSourceIdentity')[] = ['sts:AssumeRole'];
  if (allTags.length > 0) actions.push('sts:TagSession');
  if (sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');
  for (const action of actions) {
    if (!authorizeAssumeRole(who, policies, role, action, keys)) throw denied;
  }
  const chained = caller.kind === 'assumed-role';
  const durationSeconds = common.durationSeconds ?? 3600;
  checkDuration(role, durationSeconds, chained);
  const session = issueSession(
    context,
    role,
    {
      sessionName: common.sessionName,
      sessionPolicy: common.policy,
      sessionPolicyArns: common.policyArns,
      tags: allTags,
      transitiveTagKeys: [
        ...transitive,
        ...(caller.kind === 'assumed-role' ? caller.session.transitiveTagKeys : []),
      ],
      sourceIdentity:
        sourceIdentity ?? (caller.kind === 'assumed-role' ? caller.session.sourceIdentity : undefined),
      mfaAuthenticatedAt: mfaAt,
      chained,
    },
    durationSeconds,
  );
  return (
    credentialsXml(session) +
    el('PackedPolicySize', packedPolicySize) +
    el('SourceIdentity', session.sourceIdentity)
  );
};

interface WebIdentityClaims {
  iss: string;
  sub: string;
  aud: string;
  exp?: number;
  amr?: string[];
}

/**
 * Reads a JWT's claims. Signatures are not verified: the sandbox accepts unsigned (`alg: none`)
 * and HS/RS-signed test tokens alike, and trusts the issuer named by an IAM OIDC provider.
 */
function readJwt(token: string): WebIdentityClaims {
  const invalid = new AwsError(
    'InvalidIdentityToken',
    'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
  );
  const parts = token.split('.');
  if (parts.length !== 3) throw invalid;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: unknown };
    if (
      typeof header.alg !== 'string' ||
      !/^(none|HS256|HS384|HS512|RS256|RS384|RS512|ES256|ES384|PS256)$/.test(header.alg)
    )
      throw invalid;
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const aud: unknown = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;
    if (typeof payload.iss !== 'string' || typeof payload.sub !== 'string' || typeof aud !== 'string')
      throw invalid;
    return {
      iss: payload.iss,
      sub: payload.sub,
      aud,
      exp: typeof payload.exp === 'number' ? payload.exp : undefined,
      amr: Array.isArray(payload.amr) ? payload.amr.map(String) : undefined,
    };
  } catch {
    throw invalid;
  }
}

const assumeRoleWithWebIdentity: Operation = (context) => {
  const { params, state } = context;
  const v = new Validator(true);
  const common = readCommon(v, params);
  const token = params.get('WebIdentityToken');
  v.required('webIdentityToken', token);
  v.string('webIdentityToken', token, 4, 20000);
  const providerId = params.get('ProviderId');
  v.string('providerId', providerId, 4, 2048);
  v.string('policy', common.policy, 1, 2048);
  v.throwIfAny();
  const { accountId } = parseRoleArn(common.roleArn);
  const claims = readJwt(token ?? '');
  if (claims.exp !== undefined && claims.exp * 1000 < context.now.getTime()) {
    throw new AwsError(
      'ExpiredTokenException',
      'Token expired: current date/time must be before the expiration date/time.',
    );
  }
  const issuerHost = claims.iss.replace(/^https:\/\//, '').replace(/\/$/, '');
  const provider = [...state.t.oidcProviders.values()].find(
    (item) => item.accountId === accountId && item.url === issuerHost,
  );
  if (!provider)
    throw new AwsError(
      'InvalidIdentityToken',
      `No OpenIDConnect provider found in your account for ${claims.iss}`,
    );
  if (!provider.clientIds.includes(claims.aud))
    throw new AwsError('InvalidIdentityToken', 'Incorrect token audience');
  const packedPolicySize = checkSessionPolicy(common.policy, common.policyArns, []);
  const denied = new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  const role = findRole(context, common.roleArn);
  if (!role) throw denied;
  const keys: RequestContext = {
    [`${issuerHost}:aud`]: claims.aud,
    [`${issuerHost}:sub`]: claims.sub,
    'aws:FederatedProvider': provider.arn,
    'sts:RoleSessionName': common.sessionName,
    'aws:CurrentTime': context.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(context.now.getTime() / 1000)),
  };
  if (claims.amr) keys[`${issuerHost}:amr`] = claims.amr;
  const who = { arn: provider.arn, accountId, kind: 'federated' as const, federatedProvider: provider.arn };
  if (!authorizeAssumeRole(who, null, role, 'sts:AssumeRoleWithWebIdentity', keys)) throw denied;
  const durationSeconds = common.durationSeconds ?? 3600;
  checkDuration(role, durationSeconds, false);
  const session = issueSession(
    context,
    role,
    {
      sessionName: common.sessionName,
      sessionPolicy: common.policy,
      sessionPolicyArns: common.policyArns,
      tags: [],
      transitiveTagKeys: [],
      webIdentity: { issuer: issuerHost, sub: claims.sub, aud: claims.aud },
      chained: false,
    },
    durationSeconds,
  );
  return (
    credentialsXml(session) +
    el('SubjectFromWebIdentityToken', claims.sub) +
    el('Provider', providerId ?? claims.iss) +
    el('Audience', claims.aud) +
    el('PackedPolicySize', packedPolicySize)
  );
};

/** Every STS operation the emulator serves, by Action name. */
export const stsOperations: Record<string, Operation> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
  AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
};

/** STS operations called without AWS credentials. */
export const unsignedStsActions = new Set(['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']);
