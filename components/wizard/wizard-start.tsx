import Link from 'next/link';
import { ButtonLink, TextLink } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { DiscardDraftButton } from '@/components/wizard/discard-draft-button';
import type { AccountOption } from '@/components/wizard/step-props';
import { stepTitle, toStepId } from '@/components/wizard/wizard-steps';

export interface StartTemplate {
  id: string;
  title: string;
  description: string;
}

export interface StartDraft {
  id: string;
  title: string;
  accountId: string | null;
  step: string;
  updatedAt: Date;
}

export interface StartRole {
  accountId: string;
  roleName: string;
}

const whenFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/**
 * Where a new request starts, when the person has wizard drafts: blank, from a template (cards
 * with title and description), as a copy of a role they can see, or by resuming a draft (a table
 * with title, account, step and when it was saved, to resume or discard). A server component:
 * only the Discard buttons are interactive.
 */
export function WizardStart({
  templates,
  drafts,
  accounts,
  roles,
}: {
  templates: readonly StartTemplate[];
  drafts: readonly StartDraft[];
  accounts: readonly AccountOption[];
  roles: readonly StartRole[];
}) {
  const aliasOf = (id: string | null) => accounts.find((account) => account.id === id)?.alias ?? id ?? '—';
  return (
    <div className="flex flex-col gap-8">
      <PageHeader
        title="Create role"
        description="Start a new request, or carry on with one you saved as a draft."
        actions={<ButtonLink href="/roles/new?start=blank">Start blank</ButtonLink>}
      />

      <section aria-labelledby="drafts-heading" className="flex flex-col gap-3">
        <h2 id="drafts-heading" className="text-lg font-semibold text-slate-900">
          Your drafts
        </h2>
        <p className="text-sm text-slate-700">
          Saved as you go. A draft is yours alone, is not a request, and reserves no role name.
        </p>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Your wizard drafts, most recently saved first</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Title
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Account
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Step
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Saved (UTC)
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {drafts.map((draft) => (
                <tr key={draft.id} className="border-b border-slate-100 last:border-0">
                  <th scope="row" className="px-4 py-2 font-medium text-slate-900">
                    {draft.title || 'Untitled draft'}
                  </th>
                  <td className="px-4 py-2">{aliasOf(draft.accountId)}</td>
                  <td className="px-4 py-2">{stepTitle(toStepId(draft.step))}</td>
                  <td className="px-4 py-2">
                    <time dateTime={draft.updatedAt.toISOString()}>{whenFormat.format(draft.updatedAt)}</time>
                  </td>
                  <td className="px-4 py-2">
                    <div className="flex items-center justify-end gap-2">
                      <ButtonLink
                        href={`/roles/new?draft=${draft.id}`}
                        variant="secondary"
                        size="sm"
                        aria-label={`Resume ${draft.title || 'Untitled draft'}`}
                      >
                        Resume
                      </ButtonLink>
                      <DiscardDraftButton id={draft.id} title={draft.title || 'Untitled draft'} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {templates.length > 0 ? (
        <section aria-labelledby="templates-heading" className="flex flex-col gap-3">
          <h2 id="templates-heading" className="text-lg font-semibold text-slate-900">
            Start from a template
          </h2>
          <ul className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
            {templates.map((template) => (
              <li key={template.id}>
                <Link
                  href={`/roles/new?template=${encodeURIComponent(template.id)}`}
                  className="focus-ring flex h-full flex-col gap-1 rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-indigo-400 hover:bg-indigo-50"
                >
                  <span className="font-semibold text-indigo-900">{template.title}</span>
                  <span className="text-sm text-slate-700">{template.description}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {roles.length > 0 ? (
        <section aria-labelledby="copy-heading" className="flex flex-col gap-3">
          <h2 id="copy-heading" className="text-lg font-semibold text-slate-900">
            Copy a role you can see
          </h2>
          <p className="text-sm text-slate-700">
            Its trust and permissions are copied; you choose a new name.
          </p>
          <ul className="flex flex-col gap-1 text-sm">
            {roles.map((role) => (
              <li key={`${role.accountId}/${role.roleName}`}>
                <TextLink
                  href={`/roles/new?${new URLSearchParams({ copy: `${role.accountId}/${role.roleName}` }).toString()}`}
                >
                  {role.roleName}
                </TextLink>{' '}
                <span className="text-slate-600">in {aliasOf(role.accountId)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
