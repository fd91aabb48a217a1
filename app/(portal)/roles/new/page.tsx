import type { Metadata } from 'next';
import { ComingNext } from '@/components/shell/coming-next';
import { requirePrincipal } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'New role' };

export default async function NewRolePage() {
  await requirePrincipal();
  return (
    <ComingNext
      title="New role"
      summary="Compose a cross-account IAM role and send it for approval."
      points={[
        'Choose the trusted entity: another AWS account, an AWS service, a web identity or SAML provider, or a custom trust policy.',
        'Require an external ID for third parties (it rules out console role switching) and MFA for people.',
        'Attach up to 10 managed policies and write custom policies in a visual builder or as JSON, validated as you type.',
        'Set the name, description, maximum session duration, permissions boundary and tags, then review and submit.',
      ]}
    />
  );
}
