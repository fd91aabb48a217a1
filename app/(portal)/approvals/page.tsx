import type { Metadata } from 'next';
import { ComingNext } from '@/components/shell/coming-next';
import { requireRole } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Approvals' };

export default async function ApprovalsPage() {
  await requireRole('approver');
  return (
    <ComingNext
      title="Approvals"
      summary="Review the role requests waiting for you."
      points={[
        'See each request exactly as it would be created: trust policy, permissions, boundary and tags.',
        'Read validation findings and risk flags such as privilege escalation or trust that is too broad.',
        'Approve or reject with a comment. Requests you made yourself are never yours to approve.',
      ]}
    />
  );
}
