import type { Kysely, Transaction } from 'kysely';
import type { CoreTables } from '@/lib/db/tables/core';

/**
 * Every table of the portal's database. Each area declares its tables in
 * `lib/db/tables/<area>.ts` and adds one interface to this `extends` list.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- remove this line when a second area's tables join the list
export interface Database extends CoreTables {}

/** The database, or a transaction on it: query functions accept either. */
export type Db = Kysely<Database> | Transaction<Database>;
