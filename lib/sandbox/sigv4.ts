import 'server-only';
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { AwsError, type SandboxRequest } from '@/lib/sandbox/protocol';

/** What a request's SigV4 `Authorization` header (or presigned query) declares. */
export interface SignatureClaim {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  securityToken: string | undefined;
  presigned: boolean;
}

const missingToken = () =>
  new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token');

/**
 * Reads the SigV4 claim of a request: from the `Authorization` header, or from the query string
 * of a presigned URL. Null when the request is unsigned. Throws `IncompleteSignature` for a
 * malformed header.
 */
export function readSignatureClaim(request: SandboxRequest, url: URL): SignatureClaim | null {
  const header = request.headers.get('authorization');
  if (header) {
    if (!header.startsWith('AWS4-HMAC-SHA256 ')) {
      throw new AwsError(
        'IncompleteSignature',
        `Unsupported AWS 'algorithm': '${header.split(' ')[0] ?? ''}'`,
      );
    }
    const fields = new Map<string, string>();
    for (const part of header.slice('AWS4-HMAC-SHA256 '.length).split(',')) {
      const [key, ...rest] = part.trim().split('=');
      if (key) fields.set(key, rest.join('='));
    }
    const credential = fields.get('Credential');
    const signedHeaders = fields.get('SignedHeaders');
    const signature = fields.get('Signature');
    const amzDate = request.headers.get('x-amz-date') ?? '';
    if (!credential || !signedHeaders || !signature) {
      throw new AwsError(
        'IncompleteSignature',
        `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header}`,
      );
    }
    return claimFrom(
      credential,
      signedHeaders,
      signature,
      amzDate,
      request.headers.get('x-amz-security-token') ?? undefined,
      false,
    );
  }
  if (url.searchParams.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    const credential = url.searchParams.get('X-Amz-Credential') ?? '';
    return claimFrom(
      credential,
      url.searchParams.get('X-Amz-SignedHeaders') ?? '',
      url.searchParams.get('X-Amz-Signature') ?? '',
      url.searchParams.get('X-Amz-Date') ?? '',
      url.searchParams.get('X-Amz-Security-Token') ?? undefined,
      true,
    );
  }
  return null;
}

function claimFrom(
  credential: string,
  signedHeaders: string,
  signature: string,
  amzDate: string,
  securityToken: string | undefined,
  presigned: boolean,
): SignatureClaim {
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    throw new AwsError('IncompleteSignature', `Credential should be scoped to a valid region. `);
  }
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: signedHeaders.split(';').filter(Boolean),
    signature,
    amzDate,
    securityToken,
    presigned,
  };
}

const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalPath(pathname: string): string {
  // SigV4 for services other than S3 URI-encodes the (already encoded) path once more, slash by slash.
  return pathname
    .split('/')
    .map((segment) => rfc3986(segment))
    .join('/');
}

function canonicalQuery(url: URL, presigned: boolean): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of url.searchParams) {
    if (presigned && key === 'X-Amz-Signature') continue;
    pairs.push([rfc3986(key), rfc3986(value)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

/**
 * Verifies a request's signature with the secret key of its access key id. Throws
 * `SignatureDoesNotMatch` (wrong signature or a date more than 15 minutes away) as AWS does.
 */
export function verifySignature(
  request: SandboxRequest,
  url: URL,
  body: Uint8Array,
  claim: SignatureClaim,
  secretAccessKey: string,
): void {
  const headerLines = claim.signedHeaders.map((name) => {
    const value =
      name === 'host' ? (request.headers.get('host') ?? url.host) : (request.headers.get(name) ?? '');
    return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
  });
  const payloadHash = claim.presigned ? 'UNSIGNED-PAYLOAD' : hash('sha256', body, 'hex');
  const canonicalRequest = [
    request.method,
    canonicalPath(url.pathname),
    canonicalQuery(url, claim.presigned),
    headerLines.join(''),
    claim.signedHeaders.join(';'),
    // The body itself is what is signed: a signed x-amz-content-sha256 header must not stand in for it.
    payloadHash,
  ].join('\n');
  const scope = `${claim.date}/${claim.region}/${claim.service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    claim.amzDate,
    scope,
    hash('sha256', canonicalRequest, 'hex'),
  ].join('\n');
  const key = signingKey(secretAccessKey, claim.date, claim.region, claim.service);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(claim.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AwsError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  const signedAt = parseAmzDate(claim.amzDate);
  if (signedAt === null) throw missingToken();
  const skewMs = Math.abs(Date.now() - signedAt);
  if (skewMs > 15 * 60 * 1000) {
    throw new AwsError(
      'SignatureDoesNotMatch',
      `Signature expired: ${claim.amzDate} is now earlier than ${formatAmzDate(Date.now() - 15 * 60 * 1000)} (${formatAmzDate(Date.now())} - 15 min.)`,
    );
  }
}

/**
 * Signing keys derived from a secret for one day, region and service (four HMACs each), kept
 * because a client signs every request of a day with the same one. Bounded: emptied when full.
 */
const signingKeys = new Map<string, Buffer>();
const signingKeysMax = 1024;

function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secretAccessKey}\n${date}\n${region}\n${service}`;
  const cached = signingKeys.get(cacheKey);
  if (cached) return cached;
  let key: Buffer = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  if (signingKeys.size >= signingKeysMax) signingKeys.clear();
  signingKeys.set(cacheKey, key);
  return key;
}

function parseAmzDate(value: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export { missingToken };
