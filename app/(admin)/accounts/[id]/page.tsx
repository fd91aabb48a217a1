import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { saveTargetAccountAction } from '@/app/(admin)/accounts/actions';
import { AccountForm } from '@/components/admin/account-form';
import { TextLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { getTargetAccountForAdmin } from '@/lib/accounts/accounts';
import { requireAdmin } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';

export const metadata: Metadata = { title: 'Edit target account' };

export default async function EditAccountPage({ params }: { params: Promise<{ id: string }> }) {
  const principal = await requireAdmin();
  const { id } = await params;
  const account = await getTargetAccountForAdmin(principal, id);
  if (!account.ok) notFound();
  const { value } = account;

  return (
    <div className="flex flex-col gap-6">
      <p className="text-sm">
        <TextLink href="/accounts">← Target accounts</TextLink>
      </p>
      <PageHeader
        title={`Edit ${value.alias}`}
        description={`Account ${value.id}. Rolesmith uses the new settings from its next request or provisioning step.`}
      />
      <Card>
        <AccountForm
          action={saveTargetAccountAction}
          isSandbox={getEnv().ROLESMITH_MODE === 'sandbox'}
          account={{
            id: value.id,
            alias: value.alias,
            environment: value.environment,
            color: value.color,
            provisionerRoleArn: value.provisionerRoleArn ?? '',
            externalId: value.externalId ?? '',
          }}
        />
      </Card>
    </div>
  );
}
