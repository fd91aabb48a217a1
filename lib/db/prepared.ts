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

/**
 * Makes each client of `pool` send marked statements (see {@link PREPARED}) as named prepared
 * statements. Called once, when the pool is made.
 */
export function namePreparedStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as QueryFunction;
    (client as unknown as { query: QueryFunction }).query = (...args: unknown[]) => {
      const [text, values] = args;
      if (typeof text === 'string' && Array.isArray(values) && args.length === 2) {
        const name = preparedStatementName(text);
        if (name) return query({ name, text, values });
      }
      return query(...args);
    };
  });
}
