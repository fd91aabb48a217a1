import type { ReactNode } from 'react';
import { TextLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CodeViewer } from '@/components/ui/code-viewer';
import { CopyButton } from '@/components/ui/copy-button';
import { DataTable } from '@/components/ui/data-table';
import { DescriptionList } from '@/components/ui/description-list';
import { EmptyState } from '@/components/ui/empty-state';
import { trustPolicyText } from '@/lib/iam/trust-builder';
import { describeWhoCanAssume } from '@/lib/iam/who-can-assume';
import type { RoleTag } from '@/lib/iam/role-spec';
import type { RoleSummaryDetail } from '@/lib/requests/roles';

/** `2026-12-08 10:42 UTC` in a `<time>`. */
export function UtcTime({ at }: { at: Date }) {
  const iso = at.toISOString();
  return (
    <time dateTime={iso}>
      {iso.slice(0, 10)} {iso.slice(11, 16)} UTC
    </time>
  );
}

/** The console's way of writing a session length: `1 hour`, `12 hours`, `1 hour 30 minutes`. */
export function formatSessionDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  const parts = [
    hours > 0 ? `${hours} ${hours === 1 ? 'hour' : 'hours'}` : '',
    minutes > 0 ? `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}` : '',
  ].filter(Boolean);
  return parts.join(' ') || `${seconds} seconds`;
}

function RequestLink({ requestId, at }: { requestId: string; at: Date }) {
  return (
    <>
      <UtcTime at={at} /> by request{' '}
      <TextLink href={`/requests/${requestId}`} className="font-mono">
        {requestId.slice(0, 8)}
      </TextLink>
    </>
  );
}

/** The console's *Summary* box: ARN (with copy), account, path, description, dates, session length. */
export function RoleSummaryCard({ role }: { role: RoleSummaryDetail }) {
  const items: { term: string; details: ReactNode }[] = [
    {
      term: 'ARN',
      details: (
        <span className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-xs break-all">{role.arn}</span>
          <CopyButton text={role.arn} accessibleLabel="Copy the role ARN" />
        </span>
      ),
    },
    {
      term: 'Account',
      details: role.account ? (
        <>
          {role.account.alias} <span className="font-mono">({role.accountId})</span>
        </>
      ) : (
        <span className="font-mono">{role.accountId}</span>
      ),
    },
    { term: 'Path', details: <span className="font-mono">{role.path}</span> },
    { term: 'Description', details: role.spec.description || <span className="text-slate-600">None</span> },
    {
      term: 'Created',
      details: role.createdBy ? <RequestLink {...role.createdBy} /> : <UtcTime at={role.createdAt} />,
    },
    {
      term: 'Last changed',
      details: role.lastChangedBy ? (
        <RequestLink {...role.lastChangedBy} />
      ) : (
        <span className="text-slate-600">Not changed since it was created</span>
      ),
    },
    { term: 'Maximum session duration', details: formatSessionDuration(role.spec.maxSessionDuration) },
    {
      term: 'Owner',
      details: (
        <>
          {role.ownerName} <span className="text-slate-600">({role.ownerEmail})</span>
        </>
      ),
    },
    {
      term: 'Used by',
      details:
        role.roleUsers.length > 0 ? (
          role.roleUsers.join(', ')
        ) : (
          <span className="text-slate-600">Only its owner</span>
        ),
    },
  ];
  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold text-slate-900">Summary</h2>
      <DescriptionList items={items} />
    </Card>
  );
}

/** *Trust relationships*: who can assume the role, in a sentence, and the trust policy. */
export function RoleTrustSection({ role }: { role: RoleSummaryDetail }) {
  const text = trustPolicyText(role.spec.trustedEntity);
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-900">{describeWhoCanAssume(text, { ownAccountId: role.accountId })}</p>
      <h3 className="text-base font-semibold text-slate-900">Trusted entities</h3>
      <div className="flex flex-col gap-2">
        <CodeViewer json={text} label="Trust policy" />
        <div>
          <CopyButton text={text} label="Copy JSON" accessibleLabel="Copy the trust policy" />
        </div>
      </div>
    </div>
  );
}

/** *Tags*: key and value, in the order they were given. */
export function RoleTagsSection({ tags }: { tags: readonly RoleTag[] }) {
  if (tags.length === 0) return <EmptyState title="No tags">This role has no tags.</EmptyState>;
  return (
    <DataTable
      caption="Tags"
      rows={tags}
      rowKey={(tag) => tag.key}
      columns={[
        { id: 'key', header: 'Key', rowHeader: true, cell: (tag) => tag.key },
        {
          id: 'value',
          header: 'Value',
          cell: (tag) => tag.value || <span className="text-slate-600">(empty)</span>,
        },
      ]}
    />
  );
}
