import type { Metadata } from 'next';
import { grantRoleAction, revokeRoleAction, signOutPersonAction } from '@/app/(admin)/access/actions';
import { GrantRoleForm } from '@/components/auth/grant-role-form';
import { RevokeRoleButton } from '@/components/auth/revoke-role-button';
import { SignOutPersonForm } from '@/components/auth/sign-out-person-form';
import { listAssignments } from '@/lib/auth/assignments';
import { requireAdmin } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';

export const metadata: Metadata = { title: 'Access' };

export default async function AccessPage() {
  const principal = await requireAdmin();
  const assignments = await listAssignments(principal);
  if (!assignments.ok) throw new Error(assignments.message);
  const env = getEnv();
  const bootstrapAdmins = env.ROLESMITH_MODE === 'aws' ? env.ROLESMITH_BOOTSTRAP_ADMINS : [];

  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-8 px-4 py-8">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold">Access</h1>
        <p className="text-slate-600">
          Everyone who signs in may request roles. Approvers approve requests for their accounts; admins
          manage accounts, guardrails and these assignments. Changes apply on each person&apos;s next request.
        </p>
      </header>

      <section aria-labelledby="assignments-heading" className="flex flex-col gap-3">
        <h2 id="assignments-heading" className="text-lg font-medium">
          Portal roles
        </h2>
        {bootstrapAdmins.length > 0 ? (
          <p className="text-sm text-slate-600">
            Bootstrap admins (ROLESMITH_BOOTSTRAP_ADMINS): {bootstrapAdmins.join(', ')}
          </p>
        ) : null}
        {assignments.value.length === 0 ? (
          <p className="text-slate-600">No portal roles are assigned.</p>
        ) : (
          <table className="w-full border-collapse text-left text-sm">
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="py-2 pr-4 font-medium">
                  Who
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Role
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Accounts
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Granted
                </th>
                <th scope="col" className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {assignments.value.map((assignment) => (
                <tr key={assignment.id} className="border-b border-slate-200 align-top">
                  <td className="py-2 pr-4">
                    {assignment.subjectKind === 'group' ? `Group ${assignment.subject}` : assignment.subject}
                  </td>
                  <td className="py-2 pr-4 capitalize">{assignment.role}</td>
                  <td className="py-2 pr-4">
                    {assignment.accountIds ? assignment.accountIds.join(', ') : 'All accounts'}
                  </td>
                  <td className="py-2 pr-4 text-slate-600">
                    by {assignment.grantedBy} on{' '}
                    <time dateTime={assignment.grantedAt.toISOString()}>
                      {assignment.grantedAt.toISOString().slice(0, 10)}
                    </time>
                  </td>
                  <td className="py-2">
                    <RevokeRoleButton
                      action={revokeRoleAction}
                      assignmentId={assignment.id}
                      label={`Revoke ${assignment.role} from ${assignment.subject}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="grant-heading" className="flex flex-col gap-3">
        <h2 id="grant-heading" className="text-lg font-medium">
          Grant a role
        </h2>
        <GrantRoleForm action={grantRoleAction} />
      </section>

      <section aria-labelledby="sign-out-heading" className="flex flex-col gap-3">
        <h2 id="sign-out-heading" className="text-lg font-medium">
          Sign someone out
        </h2>
        <p className="text-sm text-slate-600">
          Ends every session of that person (a lost laptop, someone leaving): their next request is signed
          out. Their portal roles stay; revoke those above.
        </p>
        <SignOutPersonForm action={signOutPersonAction} />
      </section>
    </div>
  );
}
