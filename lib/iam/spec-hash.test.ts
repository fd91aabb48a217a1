import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roleSpecSchema } from '@/lib/iam/role-spec';
import { canonicalJson, hashRoleSpec, sha256Hex } from '@/lib/iam/spec-hash';

describe('sha256Hex', () => {
  it.each([
    { text: '', hex: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    { text: 'abc', hex: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
    {
      text: 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      hex: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    },
  ])('hashes $text', ({ text, hex }) => {
    expect(sha256Hex(text)).toBe(hex);
  });

  it('agrees with node:crypto on any string, including multi-block and non-ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [{ z: true, y: null }, 'x'], c: undefined })).toBe(
      '{"a":[{"y":null,"z":true},"x"],"b":1}',
    );
  });

  it('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
        expect(JSON.parse(canonicalJson(record))).toEqual(JSON.parse(JSON.stringify(record)));
      }),
    );
  });
});

describe('hashRoleSpec', () => {
  const input = {
    accountId: '111122223333',
    name: 'R',
    trustedEntity: { type: 'aws_account', accountId: '444455556666' },
  };

  it('is the same for an input with defaults spelled out, and differs when anything changes', () => {
    const a = hashRoleSpec(roleSpecSchema.parse(input));
    const b = hashRoleSpec(roleSpecSchema.parse({ ...input, path: '/', maxSessionDuration: 3600, tags: [] }));
    const c = hashRoleSpec(roleSpecSchema.parse({ ...input, maxSessionDuration: 3601 }));
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toEqual(a);
    expect(c.sha256).not.toBe(a.sha256);
    expect(a.sha256).toBe(createHash('sha256').update(a.canonical).digest('hex'));
  });
});
