import { createHash } from 'node:crypto';
import { canonicalJson } from '@/lib/iam/canonical-json';
import type { RoleSpec } from '@/lib/iam/role-spec';

/**
 * The canonical form of a role specification (see canonical-json.ts) and its SHA-256, to which an
 * approval is bound. Only the server hashes specs (on submission and approval), so the hash is
 * Node's own `crypto`; the canonical JSON stays importable in the browser.
 */

export { canonicalJson };

/** A spec's canonical JSON and the lower-case hex SHA-256 of its UTF-8 bytes. */
export function hashRoleSpec(spec: RoleSpec): { canonical: string; sha256: string } {
  const canonical = canonicalJson(spec);
  return { canonical, sha256: sha256Hex(canonical) };
}

/** SHA-256 of a string's UTF-8 encoding, as 64 lower-case hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
