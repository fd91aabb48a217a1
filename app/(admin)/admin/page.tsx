import type { Metadata } from 'next';
import { ComingNext } from '@/components/shell/coming-next';

export const metadata: Metadata = { title: 'Admin' };

export default function AdminPage() {
  return (
    <ComingNext
      title="Admin"
      summary="Configure where and how Rolesmith creates roles."
      points={[
        'Manage target accounts: id, alias, environment, switch-role colour and how Rolesmith reaches them.',
        'Set guardrails: name prefix and path, required tags, a mandatory permissions boundary, forbidden actions, trusted accounts, a session-length ceiling, and how many approvals each risk level needs.',
        'Decide who approves for which accounts, and read the audit log of every request’s history.',
      ]}
    />
  );
}
