import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

/** The events a webhook may be subscribed to (`test`: a delivery from *Send test*). */
export type WebhookEvent = 'submitted' | 'approved' | 'rejected' | 'provisioned' | 'failed';
export type OutboxEvent = WebhookEvent | 'test';
export type OutboxStatus = 'pending' | 'delivered' | 'failed' | 'given_up';
/** What one attempt came to. */
export type DeliveryOutcome =
  'delivered' | 'http_error' | 'network_error' | 'timeout' | 'refused' | 'config_error';

/** The portal's webhook (owned by `lib/notifications`): at most one row, id 1. */
export interface WebhooksTable {
  id: number;
  url: string;
  enabled: boolean;
  events: TextArray;
  /** Hosts an admin allows to resolve to a private address (aws mode). */
  allowed_hosts: TextArray;
  /** The signing secret, encrypted at rest: never read back to anyone but the sender. */
  secret_ciphertext: string;
  secret_created_at: ColumnType<Date, Date | string, Date | string>;
  version: ColumnType<number, number | undefined, number>;
  updated_by: string;
  updated_at: Timestamp;
}

/** A notification to send: its id is the delivery id, the same on every attempt. */
export interface WebhookOutboxTable {
  id: Generated<string>;
  event: OutboxEvent;
  request_id: string | null;
  request_event_id: ColumnType<string | null, string | number | null | undefined, never>;
  actor_id: string;
  created_at: Timestamp;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  lease_owner: string | null;
  lease_expires_at: NullableTimestamp;
  last_outcome: DeliveryOutcome | null;
  last_status_code: number | null;
  last_error: string | null;
  finished_at: NullableTimestamp;
}

/** One attempt to deliver an outbox row. */
export interface WebhookDeliveriesTable {
  id: Generated<string>;
  outbox_id: string;
  attempt: number;
  at: Timestamp;
  outcome: DeliveryOutcome;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface WebhookTables {
  webhooks: WebhooksTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
