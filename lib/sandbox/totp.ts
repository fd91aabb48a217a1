import 'server-only';
import { createHmac, randomBytes } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new random TOTP seed, base32-encoded (160 bits, as AWS virtual MFA devices use). */
export function newTotpSeed(): string {
  const bytes = randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function decodeBase32(seed: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of seed.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`Invalid base32 character in TOTP seed: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * The RFC 6238 TOTP code (HMAC-SHA1, 30-second steps, 6 digits) of a base32 seed at a time
 * (milliseconds since the epoch).
 */
export function totpCode(seed: string, atMs: number = Date.now()): string {
  const counter = Math.floor(atMs / 1000 / 30);
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', decodeBase32(seed)).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(binary).padStart(6, '0');
}

/** Whether a code matches the seed now, allowing one step of clock drift either way. */
export function isValidTotp(seed: string, code: string, atMs: number = Date.now()): boolean {
  return [-1, 0, 1].some((step) => totpCode(seed, atMs + step * 30_000) === code);
}
