import type { Metadata } from 'next';
import { updateGuardrailsAction } from '@/app/(admin)/guardrails/actions';
import { GuardrailsForm } from '@/components/admin/guardrails-form';
import { Callout } from '@/components/ui/callout';
import { Card } from '@/components/ui/card';
import { CodeViewer } from '@/components/ui/code-viewer';
import { CopyButton } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { Tabs } from '@/components/ui/tabs';
import { requireAdmin } from '@/lib/auth/session';
import { getGuardrailsForAdmin, type StoredGuardrails } from '@/lib/requests/guardrails-store';

export const metadata: Metadata = { title: 'Guardrails' };

function SavedBy({ stored }: { stored: StoredGuardrails }) {
  if (stored.updatedAt === null) {
    return <>Nobody has saved guardrails yet: the defaults below apply.</>;
  }
  const who = stored.updatedBy.startsWith('system:')
    ? 'Rolesmith (initial defaults)'
    : stored.updatedByName
      ? `${stored.updatedByName}${stored.updatedByEmail ? ` (${stored.updatedByEmail})` : ''}`
      : stored.updatedBy;
  const at = stored.updatedAt.toISOString();
  return (
    <>
      Version {stored.version}, saved by {who} on{' '}
      <time dateTime={at}>
        {at.slice(0, 10)} at {at.slice(11, 16)} UTC
      </time>
      .
    </>
  );
}

export default async function GuardrailsPage() {
  const principal = await requireAdmin();
  const stored = await getGuardrailsForAdmin(principal);
  if (!stored.ok) throw new Error(stored.message);
  const { guardrails } = stored.value;
  const guardrailsJson = JSON.stringify(guardrails, null, 2);

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Guardrails"
        description="The organisation's rules for every role request. Submissions and edits are checked against them; requests already submitted keep the number of approvals they were given."
      />
      <Callout tone="info" role="status">
        <p>
          <SavedBy stored={stored.value} />
        </p>
      </Callout>
      <Tabs
        label="Guardrails view"
        tabs={[
          {
            id: 'form',
            label: 'Edit',
            content: (
              <GuardrailsForm
                action={updateGuardrailsAction}
                version={stored.value.version}
                initial={{
                  roleNamePrefix: guardrails.roleNamePrefix,
                  pathPrefix: guardrails.pathPrefix,
                  requiredTags: guardrails.requiredTags.map((tag) => ({
                    key: tag.key,
                    allowedValues: tag.allowedValues.join(', '),
                  })),
                  permissionsBoundaryArn: guardrails.permissionsBoundaryArn ?? '',
                  forbiddenActions: guardrails.forbiddenActions.join('\n'),
                  trustedAccountAllowList: guardrails.trustedAccountAllowList.join('\n'),
                  maxSessionDurationCeiling: String(guardrails.maxSessionDurationCeiling),
                  approvalsDefault: String(guardrails.approvals.default),
                  approvalsPrivilegeEscalation: String(guardrails.approvals.privilegeEscalation),
                }}
              />
            ),
          },
          {
            id: 'json',
            label: 'JSON',
            content: (
              <Card className="flex flex-col gap-3">
                <p className="text-sm text-slate-700">
                  Version {stored.value.version} as Rolesmith stores and applies it, e.g. to keep in version
                  control or to compare with another installation. Unsaved edits are not included.
                </p>
                <CodeViewer json={guardrailsJson} label="Saved guardrails (JSON)" />
                <div>
                  <CopyButton
                    text={guardrailsJson}
                    label="Copy JSON"
                    accessibleLabel="Copy the guardrails JSON"
                  />
                </div>
              </Card>
            ),
          },
        ]}
      />
    </div>
  );
}
