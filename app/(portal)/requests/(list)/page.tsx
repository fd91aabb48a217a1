import type { Metadata } from 'next';
import { ComingNext } from '@/components/shell/coming-next';
import { requirePrincipal } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'My requests' };

export default async function RequestsPage() {
  await requirePrincipal();
  return (
    <ComingNext
      title="My requests"
      summary="Follow the roles you asked for, from draft to created."
      points={[
        'See each request’s state: draft, pending approval, approved, being created, created, rejected or failed.',
        'Read the approver’s comments and any error AWS returned, and edit a request that is still pending.',
        'Open the created role’s summary with its switch-role link.',
      ]}
    />
  );
}
