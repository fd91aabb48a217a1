import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roleSpecSchema } from '@/lib/iam/role-spec';
import { hashRoleSpec, sha256Hex } from '@/lib/iam/spec-hash';

describe('sha256Hex', () => {
  it.each([
    { text: '', hex: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    { text: 'abc', hex: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
    {
      text: 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      hex: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    },
    // Digests computed independently, with coreutils' sha256sum.
    { text: '日本 données', hex: '7dc1617795cff126c8cb65284087ab382e65fc94e82a72338e37bfc42dd4791a' },
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

  it('hashes the canonical JSON of a spec to a digest computed independently', () => {
    const spec = roleSpecSchema.parse({ ...input, tags: [{ key: 'team', value: 'données' }] });
    const { canonical, sha256 } = hashRoleSpec(spec);
    expect(canonical).toBe(
      '{"accountId":"111122223333","description":"","inlinePolicies":[],"managedPolicyArns":[],"maxSessionDuration":3600,"name":"R","newManagedPolicies":[],"path":"/","tags":[{"key":"team","value":"données"}],"trustedEntity":{"accountId":"444455556666","requireMfa":false,"type":"aws_account"}}',
    );
    // `printf '%s' "$canonical" | sha256sum`
    expect(sha256).toBe('74c84a4c10e5f9f2b41b328c8f2a49c924241ea078fb118eabff76670a19ec9d');
  });
});
