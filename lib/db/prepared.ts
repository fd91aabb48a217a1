import 'server-only';

import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';

/**
 * Named prepared statements for the hot path (a provisioning worker's claim and a job's end).
 *
 * Kysely sends every statement unnamed, so PostgreSQL parses and plans it on every execution: for
 * the worker's few large CTE statements that planning costs more than running them. A statement
 * whose text begins with {@link PREPARED} is sent as a named prepared statement instead (its name
 * derived from its text), parsed and planned once per connection. Only statements of fixed text
 * should carry the marker (parameters vary, the text does not), so that a connection holds a
 * bounded number of them; they must name their result columns (no `*`), so that a migration adding
 * a column does not invalidate them. PGlite ignores the marker (it is an SQL comment).
 *
 * Behind PgBouncer in transaction mode, enable its prepared-statement support
 * (`max_prepared_statements`, PgBouncer 1.21 or later).
 */
const MARKER = '/* rolesmith:prepared */';

export const PREPARED = sql.raw(`${MARKER} `);

const names = new Map<string, string>();

/** The statement name for a marked statement's text (stable for the same text). */
export function preparedStatementName(text: string): string | null {
  if (!text.startsWith(MARKER)) return null;
  let name = names.get(text);
  if (!name) {
    name = `rolesmith_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    names.set(text, name);
  }
  return name;
}

type QueryFunction = (...args: unknown[]) => unknown;

/** PostgreSQL's `cached plan must not change result type` (a migration changed what it returns). */
const PLAN_CHANGED = '0A000';
/** `prepared statement … does not exist`: the server session is not the one that parsed it. */
const NOT_PREPARED = '26000';

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/**
 * Makes each client of `pool` send marked statements (see {@link PREPARED}) as named prepared
 * statements. Called once, when the pool is made. Heals itself: a statement whose cached plan a
 * migration invalidated is prepared again under a new name at its next run; when the server does
 * not keep prepared statements (a pooler in transaction mode without prepared-statement support),
 * the pool goes back to unnamed statements. The failing call itself still fails (it may have been
 * inside a transaction), so its caller retries as after any database error.
 */
export function namePreparedStatements(pool: pg.Pool): void {
  let isDisabled = false;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as QueryFunction;
    /** Per statement text, how many times this connection had to prepare it anew. */
    const generations = new Map<string, number>();
    (client as unknown as { query: QueryFunction }).query = (...args: unknown[]) => {
      const [text, values] = args;
      if (isDisabled || typeof text !== 'string' || !Array.isArray(values) || args.length !== 2)
        return query(...args);
      const base = preparedStatementName(text);
      if (!base) return query(...args);
      const generation = generations.get(text) ?? 0;
      const name = generation === 0 ? base : `${base}_${generation}`;
      return (query({ name, text, values }) as Promise<unknown>).catch((error: unknown) => {
        const code = errorCode(error);
        if (code === PLAN_CHANGED) generations.set(text, generation + 1);
        if (code === NOT_PREPARED && !isDisabled) {
          isDisabled = true;
          console.warn(
            'rolesmith: the database server does not keep prepared statements (a connection pooler in transaction mode?); using unnamed statements',
          );
        }
        throw error;
      });
    };
  });
}
