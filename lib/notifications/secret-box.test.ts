import { describe, expect, it } from 'vitest';
import { generateSigningSecret, openSecret, sealSecret } from '@/lib/notifications/secret-box';

/** The sealed form's parts: version, IV, ciphertext followed by the 16-byte GCM tag. */
function parts(sealed: string): [string, string, Buffer] {
  const [version, iv, body] = sealed.split('.');
  return [version!, iv!, Buffer.from(body!, 'base64url')];
}

describe('the signing secret at rest', () => {
  it('opens what it sealed, with a fresh IV each time', () => {
    const secret = generateSigningSecret();
    const [first, second] = [sealSecret(secret), sealSecret(secret)];
    expect(openSecret(first)).toBe(secret);
    expect(openSecret(second)).toBe(secret);
    expect(parts(first)[1]).not.toBe(parts(second)[1]);
    expect(Buffer.from(parts(first)[1], 'base64url')).toHaveLength(12);
  });

  it('refuses a changed ciphertext', () => {
    const [version, iv, body] = parts(sealSecret('whsec_abc'));
    body[0] = body[0]! ^ 1;
    expect(openSecret([version, iv, body.toString('base64url')].join('.'))).toBeNull();
  });

  it('refuses a shortened tag (GCM accepts 4-byte tags unless told the length)', () => {
    // The empty secret seals to its tag alone; its first 4 bytes must not pass for a whole tag,
    // or anyone who may write the database could forge a secret with 2^32 tries.
    const [version, iv, body] = parts(sealSecret(''));
    expect(body).toHaveLength(16);
    for (const length of [4, 8, 12, 15]) {
      expect(openSecret([version, iv, body.subarray(0, length).toString('base64url')].join('.'))).toBeNull();
    }
  });
});
