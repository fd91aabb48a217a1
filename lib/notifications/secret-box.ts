import 'server-only';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { getAuthSecret } from '@/lib/auth/secret';

/**
 * The webhook's signing secret at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the
 * portal's own secret, `AUTH_SECRET` (in sandbox mode the generated `<data dir>/auth-secret`), so
 * that a copy of the database alone does not reveal it. Replacing `AUTH_SECRET` makes the stored
 * secret unreadable: the sender then records a configuration error and an admin replaces the
 * secret on the notifications page.
 */

const VERSION = 'v1';
/** GCM's full tag, as {@link sealSecret} writes it. */
const TAG_BYTES = 16;

function key(): Buffer {
  return Buffer.from(
    hkdfSync('sha256', getAuthSecret(), 'rolesmith', 'rolesmith webhook signing secret v1', 32),
  );
}

/** `v1.<iv>.<ciphertext+tag>` (base64url) for `secret`. */
export function sealSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, iv.toString('base64url'), sealed.toString('base64url')].join('.');
}

/** The secret sealed by {@link sealSecret}, or `null` when it cannot be opened (another key). */
export function openSecret(sealed: string): string | null {
  const [version, ivText, bodyText] = sealed.split('.');
  if (version !== VERSION || !ivText || !bodyText) return null;
  try {
    const body = Buffer.from(bodyText, 'base64url');
    if (body.length < TAG_BYTES) return null;
    // The tag's length is fixed: GCM would otherwise accept a tag cut down to 4 bytes.
    const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(ivText, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    // A wrong key fails GCM's authentication: the secret is unreadable, which the caller reports.
    return null;
  }
}

/** A new signing secret: 32 random bytes, `whsec_` and base64url. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
