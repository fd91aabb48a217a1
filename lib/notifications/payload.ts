import type { ClaimedOutboxRow } from '@/lib/db/queries/webhooks';
import type { RequestState } from '@/lib/db/tables/core';
import type { OutboxEvent } from '@/lib/db/tables/webhooks';

/** What a notification says, as the sender read it from the outbox and the audit trail. */
export interface NotificationFacts {
  deliveryId: string;
  event: OutboxEvent;
  occurredAt: Date;
  /** The request, with the state the transition moved it to. */
  request: (NonNullable<ClaimedOutboxRow['request']> & { state: RequestState }) | null;
  actor: { id: string; name: string | null; email: string | null };
  /** The transition's reason: a rejection's comment, a failure's AWS error. */
  reason: string | null;
}

const headlines: Record<OutboxEvent, string> = {
  submitted: 'Request submitted for approval',
  approved: 'Request approved',
  rejected: 'Request rejected',
  provisioned: 'Role provisioned',
  failed: 'Provisioning failed',
  test: 'Test notification from Rolesmith',
};

/** Slack's mrkdwn treats these three as control characters (api.slack.com, "Formatting text"). */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function actorWords(actor: NotificationFacts['actor']): string {
  if (actor.id.startsWith('system:')) return 'Rolesmith';
  return actor.name ?? actor.email ?? actor.id;
}

/**
 * The JSON body of a notification: Slack-compatible (`text`, and `blocks` with a link to the
 * request at the portal's public URL) plus `rolesmith`, the machine-readable part (event, delivery
 * id, request id, account, role, state, actor). Deterministic for the same facts, so every attempt
 * sends the same body.
 */
export function notificationBody(facts: NotificationFacts, publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  const { request } = facts;
  const requestUrl = request ? `${base}/requests/${request.id}` : null;
  const account = request
    ? request.accountAlias
      ? `${request.accountAlias} (${request.accountId})`
      : request.accountId
    : null;
  const headline = headlines[facts.event];
  const who = actorWords(facts.actor);
  // Slack reads `text` (the notification's fallback) as mrkdwn too: a name like `<!channel>` would
  // notify everyone, so the people's own words are escaped there as in the blocks.
  const text = request
    ? `${headline}: ${escapeMrkdwn(request.roleName)} in ${escapeMrkdwn(account ?? '')}, by ${escapeMrkdwn(who)}`
    : `${headline}, sent by ${escapeMrkdwn(who)}. Deliveries are signed; see X-Rolesmith-Signature.`;
  const lines = request
    ? [
        `*${escapeMrkdwn(headline)}*: <${requestUrl}|${escapeMrkdwn(request.roleName)}> in ${escapeMrkdwn(account ?? '')}`,
        `${request.kind === 'create' ? 'Create' : request.kind === 'change' ? 'Change' : 'Delete'} request · by ${escapeMrkdwn(who)}`,
        ...(facts.reason && (facts.event === 'rejected' || facts.event === 'failed')
          ? escapeMrkdwn(facts.reason.slice(0, 500))
              .split('\n')
              .map((line) => `> ${line}`)
          : []),
      ]
    : [
        `*${escapeMrkdwn(headline)}*`,
        `Sent by ${escapeMrkdwn(who)} from <${base}/notifications|Notifications>.`,
      ];
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }];
  if (requestUrl)
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the request' }, url: requestUrl }],
    });
  return JSON.stringify({
    text,
    blocks,
    rolesmith: {
      version: 1,
      deliveryId: facts.deliveryId,
      event: facts.event,
      occurredAt: facts.occurredAt.toISOString(),
      request: request
        ? {
            id: request.id,
            url: requestUrl,
            kind: request.kind,
            accountId: request.accountId,
            accountAlias: request.accountAlias,
            roleName: request.roleName,
            state: request.state,
          }
        : null,
      actor: { id: facts.actor.id, name: facts.actor.name, email: facts.actor.email },
      reason: facts.reason,
    },
  });
}
