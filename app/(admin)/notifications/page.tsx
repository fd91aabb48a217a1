import type { Metadata } from 'next';
import { saveWebhookAction, sendTestWebhookAction } from '@/app/(admin)/notifications/actions';
import { SendTestForm } from '@/components/admin/send-test-form';
import { WebhookForm } from '@/components/admin/webhook-form';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { TextLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { DataTable, type Column } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireAdmin } from '@/lib/auth/session';
import {
  getWebhookSettings,
  listRecentDeliveries,
  WEBHOOK_EVENTS,
  type OutboxSummary,
} from '@/lib/notifications/webhook-settings';

export const metadata: Metadata = { title: 'Notifications' };

/** `2026-12-08 10:42 UTC`-style, in a `<time>`. */
function Time({ at }: { at: Date }) {
  const iso = at.toISOString();
  return (
    <time dateTime={iso} className="whitespace-nowrap">
      {iso.slice(0, 10)} {iso.slice(11, 19)}
    </time>
  );
}

function status(row: OutboxSummary): { label: string; tone: BadgeTone } {
  if (row.status === 'delivered') return { label: 'Delivered', tone: 'success' };
  if (row.status === 'given_up') return { label: 'Given up', tone: 'danger' };
  if (row.status === 'failed') return { label: 'Failed', tone: 'danger' };
  if (row.attempts === 0) return { label: 'Queued', tone: 'neutral' };
  if (row.lastOutcome === 'refused') return { label: 'Refused, retrying', tone: 'warning' };
  return { label: 'Retrying', tone: 'warning' };
}

const eventWords: Record<OutboxSummary['event'], string> = {
  submitted: 'Submitted',
  approved: 'Approved',
  rejected: 'Rejected',
  provisioned: 'Provisioned',
  failed: 'Failed',
  test: 'Test',
};

const columns: Column<OutboxSummary>[] = [
  {
    id: 'event',
    header: 'Event',
    rowHeader: true,
    cell: (row) => (
      <span className="flex flex-col">
        {eventWords[row.event]}
        <span
          className="font-mono text-xs font-normal text-slate-600"
          title="Delivery id (X-Rolesmith-Delivery)"
        >
          {row.id}
        </span>
      </span>
    ),
  },
  {
    id: 'request',
    header: 'Request',
    cell: (row) =>
      row.requestId ? (
        <span className="flex flex-col">
          <TextLink href={`/requests/${row.requestId}`}>{row.roleName}</TextLink>
          <span className="text-xs text-slate-600">
            {row.accountAlias ? `${row.accountAlias} (${row.accountId})` : row.accountId}
          </span>
        </span>
      ) : (
        <span className="text-slate-600">None (Send test)</span>
      ),
  },
  { id: 'queued', header: 'Queued (UTC)', cell: (row) => <Time at={row.createdAt} /> },
  {
    id: 'status',
    header: 'Status',
    cell: (row) => {
      const { label, tone } = status(row);
      return <Badge tone={tone}>{label}</Badge>;
    },
  },
  { id: 'attempts', header: 'Attempts', className: 'text-right tabular-nums', cell: (row) => row.attempts },
  {
    id: 'response',
    header: 'Last response',
    cell: (row) =>
      row.lastOutcome === null ? (
        <span className="text-slate-600">None yet</span>
      ) : (
        <span className="flex flex-col">
          {row.lastStatusCode !== null ? <span>HTTP {row.lastStatusCode}</span> : null}
          {row.lastError && row.lastError !== `HTTP ${row.lastStatusCode}` ? (
            <span className="text-xs break-words text-slate-700">{row.lastError}</span>
          ) : null}
        </span>
      ),
  },
  {
    id: 'next',
    header: 'Next attempt (UTC)',
    cell: (row) =>
      row.nextAttemptAt ? <Time at={row.nextAttemptAt} /> : <span className="text-slate-600">None</span>,
  },
];

export default async function NotificationsPage() {
  const principal = await requireAdmin();
  const [settings, deliveries] = await Promise.all([
    getWebhookSettings(principal),
    listRecentDeliveries(principal),
  ]);
  if (!settings.ok) throw new Error(settings.message);
  if (!deliveries.ok) throw new Error(deliveries.message);
  const webhook = settings.value;
  const secretSetAt = webhook.secretCreatedAt?.toISOString() ?? null;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Notifications"
        description="A webhook that tells a chat channel or another system when requests are submitted, approved, rejected, provisioned or fail. Each delivery is signed; a receiver that does not answer is tried again for a day."
      />
      <Card className="flex flex-col gap-4">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">Webhook</h2>
          <p className="text-sm text-slate-700">
            {secretSetAt ? (
              <>
                A signing secret is set, created{' '}
                <time dateTime={secretSetAt}>
                  {secretSetAt.slice(0, 10)} at {secretSetAt.slice(11, 16)} UTC
                </time>
                .
              </>
            ) : (
              'No webhook is configured yet.'
            )}{' '}
            How receivers verify a delivery is described in the README, under “Notifications webhook”.
          </p>
        </div>
        <WebhookForm
          action={saveWebhookAction}
          version={webhook.version}
          secretCreatedAt={secretSetAt}
          events={WEBHOOK_EVENTS}
          initial={{
            url: webhook.url,
            enabled: webhook.version === 0 ? true : webhook.enabled,
            events: webhook.events,
            allowedHosts: webhook.allowedHosts.join('\n'),
          }}
        />
      </Card>
      <section aria-labelledby="deliveries-heading" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <h2 id="deliveries-heading" className="text-lg font-semibold text-slate-900">
              Recent deliveries
            </h2>
            <p className="text-sm text-slate-700">
              The latest {deliveries.value.length === 25 ? '25 ' : ''}notifications, newest first. A receiver
              can drop repeats by their delivery id.
            </p>
          </div>
          <SendTestForm
            action={sendTestWebhookAction}
            disabledReason={
              webhook.version === 0 ? 'Save the webhook first: a test goes to its saved URL.' : null
            }
          />
        </div>
        {deliveries.value.length === 0 ? (
          <EmptyState title="No deliveries yet">
            Notifications appear here once the webhook is on and a request changes state, or after Send test.
          </EmptyState>
        ) : (
          <DataTable
            caption="Recent webhook deliveries"
            columns={columns}
            rows={deliveries.value}
            rowKey={(row) => row.id}
            minWidth="min-w-[60rem]"
          />
        )}
      </section>
    </div>
  );
}
