/**
 * The request lists' own table (migration `202612080100_request_queue`): what changed on a
 * requester's requests since they last opened them.
 */
export interface RequestUnseenChangesTable {
  request_id: string;
  requester_id: string;
  /** The last event by someone else that changed the request's state. */
  event_id: string;
}

export interface QueueTables {
  request_unseen_changes: RequestUnseenChangesTable;
}
