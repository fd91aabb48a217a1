import type { Metadata } from 'next';
import { TextLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireAdmin } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Admin' };

const sections = [
  {
    href: '/accounts',
    title: 'Target accounts',
    summary:
      'The AWS accounts Rolesmith creates roles in: id, alias, environment, switch-role colour, and how Rolesmith reaches each one.',
  },
  {
    href: '/guardrails',
    title: 'Guardrails',
    summary:
      'Name prefix and path, required tags, a mandatory permissions boundary, forbidden actions, trusted accounts, a session-length ceiling, and how many approvals each risk level needs.',
  },
  {
    href: '/notifications',
    title: 'Notifications',
    summary:
      'A signed webhook (e.g. to Slack) when requests are submitted, approved, rejected, provisioned or fail, and the status of each delivery.',
  },
  {
    href: '/audit',
    title: 'Audit log',
    summary: 'Every state change of every request: who, when, from and to, why, and the exact specification.',
  },
  {
    href: '/access',
    title: 'Access',
    summary: 'Who approves requests for which accounts, and who administers Rolesmith.',
  },
] as const;

export default async function AdminPage() {
  await requireAdmin();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Admin"
        description="Configure where and how Rolesmith creates roles, and who does what. These pages are for admins only."
      />
      <ul className="grid gap-4 sm:grid-cols-2">
        {sections.map((section) => (
          <li key={section.href}>
            <Card className="h-full">
              <h2 className="text-base font-semibold text-slate-900">
                <TextLink href={section.href} className="font-semibold">
                  {section.title}
                </TextLink>
              </h2>
              <p className="mt-1 text-slate-700">{section.summary}</p>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
