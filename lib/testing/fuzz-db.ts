import { sql, type Kysely } from 'kysely';
import type { Database } from '@/lib/db/schema';
import type { ErrorCode, Result } from '@/lib/result';

/**
 * Helpers of the wizard's robustness tests: a fingerprint of the stored state a wizard action
 * may change (drafts, requests and their events, which are the audit log, approvals, roles,
 * provisioning, accounts, guardrails), and the shape every answer must have.
 */

/** Tables whose rows no invalid input may change. */
export const FUZZ_TABLES = [
  'wizard_drafts',
  'requests',
  'request_events',
  'approvals',
  'provisioned_roles',
  'provisioning_jobs',
  'target_accounts',
  'guardrails',
] as const;

/** One string that changes whenever any row of {@link FUZZ_TABLES} does (md5 of every row per table). */
export async function storedStateFingerprint(db: Kysely<Database>): Promise<string> {
  const parts = FUZZ_TABLES.map(
    (table) =>
      `(select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from ${table} t)`,
  );
  const { rows } = await sql<{
    fingerprint: string;
  }>`select ${sql.raw(parts.join(" || ' ' || "))} as fingerprint`.execute(db);
  return rows[0]?.fingerprint ?? '';
}

const ERROR_CODES: readonly ErrorCode[] = [
  'invalid_input',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'aws_error',
];

/**
 * Throws unless `result` is a `Result`: `{ ok: true, value }`, or a failure with a known code
 * (never `aws_error`, a server-side failure, for the sandbox), a message, and field errors that
 * are lists of non-empty messages.
 */
export function expectWellFormedResult(result: unknown, what: string): asserts result is Result<unknown> {
  const fault = (reason: string) => new Error(`${what}: ${reason}: ${JSON.stringify(result)?.slice(0, 500)}`);
  if (result === null || typeof result !== 'object') throw fault('not an object');
  const answer = result as Record<string, unknown>;
  if (answer.ok === true) {
    if (!('value' in answer)) throw fault('ok without a value');
    return;
  }
  if (answer.ok !== false) throw fault('neither ok nor failed');
  if (!ERROR_CODES.includes(answer.code as ErrorCode)) throw fault('unknown error code');
  if (answer.code === 'aws_error') throw fault('a server-side (aws_error) failure');
  if (typeof answer.message !== 'string' || answer.message.trim() === '') throw fault('no message');
  if (answer.fieldErrors !== undefined) {
    const fields = answer.fieldErrors as Record<string, unknown>;
    for (const [key, messages] of Object.entries(fields)) {
      if (!Array.isArray(messages) || messages.length === 0) throw fault(`field ${key} has no messages`);
      if (!messages.every((message) => typeof message === 'string' && message.trim() !== ''))
        throw fault(`field ${key} has an empty message`);
    }
  }
}
