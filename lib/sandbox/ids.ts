import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';

const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += base32[byte % 32];
  return out;
}

/** An IAM unique id: prefix + 17 base32 characters, 21 in all (`AROA…`, `ANPA…`, `AIDA…`). */
export function uniqueId(prefix: 'AROA' | 'ANPA' | 'AIDA' | 'ANVA' | 'AIPA'): string {
  return prefix + randomBase32(17);
}

/** An access key id: `AKIA…` (long-term) or `ASIA…` (temporary), 20 characters. */
export function accessKeyId(prefix: 'AKIA' | 'ASIA'): string {
  return prefix + randomBase32(16);
}

/** A 40-character secret access key. */
export function secretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/\+/g, 'a').replace(/\//g, 'b');
}

/** An opaque session token (AWS makes no promise about its size). */
export function sessionToken(): string {
  return `IQoJb3JpZ2luX2VjE${randomBytes(180).toString('base64')}`;
}

/** A request id (UUID v4), as IAM and STS send in `RequestId` and `x-amzn-RequestId`. */
export function requestId(): string {
  return randomUUID();
}
