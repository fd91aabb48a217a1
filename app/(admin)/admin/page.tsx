import type { Metadata } from 'next';
import Link from 'next/link';
import { ComingNext } from '@/components/shell/coming-next';
import { Card } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Admin' };

export default function AdminPage() {
  return (
    <div className="space-y-6">
      <ComingNext
        title="Admin"
        summary="Configure who does what in Rolesmith, and where and how it creates roles."
        points={[
          'Manage target accounts: id, alias, environment, switch-role colour and how Rolesmith reaches them.',
          'Set guardrails: name prefix and path, required tags, a mandatory permissions boundary, forbidden actions, trusted accounts, a session-length ceiling, and how many approvals each risk level needs.',
          'Read the audit log of every request’s history.',
        ]}
      />
      <Card>
        <h2 className="text-base font-semibold text-slate-900">Available now</h2>
        <p className="mt-1 text-slate-700">
          <Link
            href="/access"
            className="font-medium text-indigo-800 underline underline-offset-2 hover:text-indigo-950"
          >
            Access
          </Link>
          : decide who approves requests for which accounts, and who administers Rolesmith (admins only).
        </p>
      </Card>
    </div>
  );
}
