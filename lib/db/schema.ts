import type { Kysely, Transaction } from 'kysely';
import type { AuthTables } from '@/lib/db/tables/auth';
import type { CommentTables } from '@/lib/db/tables/comments';
import type { CoreTables } from '@/lib/db/tables/core';
import type { DriftTables } from '@/lib/db/tables/drift';
import type { ProvisioningTables } from '@/lib/db/tables/provisioning';
import type { QueueTables } from '@/lib/db/tables/queue';
import type { WebhookTables } from '@/lib/db/tables/webhooks';
import type { WizardTables } from '@/lib/db/tables/wizard';

/**
 * Every table of the portal's database. Each area declares its tables in
 * `lib/db/tables/<area>.ts` and adds one interface to this `extends` list.
 */
export interface Database
  extends
    CoreTables,
    ProvisioningTables,
    AuthTables,
    WizardTables,
    QueueTables,
    CommentTables,
    WebhookTables,
    DriftTables {}

/** The database, or a transaction on it: query functions accept either. */
export type Db = Kysely<Database> | Transaction<Database>;

/** An open transaction on the database. */
export type Tx = Transaction<Database>;

/** The database itself (not a transaction): what starts transactions. */
export type RootDb = Kysely<Database>;
