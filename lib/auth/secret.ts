import 'server-only';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getEnv } from '@/lib/env';

const secretKey = Symbol.for('rolesmith.authSecret');
type SecretHolder = { [secretKey]?: string };

/**
 * The secret that signs and encrypts session cookies.
 *
 * In `aws` mode it is `AUTH_SECRET` (required there). In sandbox mode it is `AUTH_SECRET` when set,
 * otherwise a random secret generated once and kept in `<ROLESMITH_DATA_DIR>/auth-secret` (mode
 * 0600), so that sessions survive a restart. Never returned to the browser.
 */
export function getAuthSecret(): string {
  const holder = globalThis as SecretHolder;
  if (holder[secretKey]) return holder[secretKey];
  const env = getEnv();
  const secret = env.AUTH_SECRET ?? readOrCreateSandboxSecret(env.ROLESMITH_DATA_DIR);
  holder[secretKey] = secret;
  return secret;
}

/** Reads the sandbox secret file, creating it (exclusively, mode 0600) when it does not exist. */
export function readOrCreateSandboxSecret(dataDir: string): string {
  const file = path.join(dataDir, 'auth-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`Cannot read the sandbox auth secret at ${file}`, { cause: error });
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(33).toString('base64url');
  try {
    // `wx` fails if another process created the file meanwhile; then that file wins.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw new Error(`Cannot write the sandbox auth secret at ${file}`, { cause: error });
  }
}

/** Forgets the cached secret (tests that change the environment). */
export function resetAuthSecretForTests(): void {
  delete (globalThis as SecretHolder)[secretKey];
}
