import type { Metadata } from 'next';
import { ComingNext } from '@/components/shell/coming-next';
import { requirePrincipal } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Roles' };

export default async function RolesPage() {
  await requirePrincipal();
  return (
    <ComingNext
      title="Roles"
      summary="The roles Rolesmith has created in your target accounts."
      points={[
        'Open a role to see its ARN, trust policy, permissions and tags.',
        'Copy its switch-role link for the AWS console and a ready AWS CLI profile.',
        'Request a change to a role, or its deletion, through the same approval flow.',
      ]}
    />
  );
}
