import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { switchRoleAction } from '@/app/sandbox/switchrole/actions';
import { SwitchRoleForm } from '@/components/sandbox/switch-role-form';
import { PageHeader } from '@/components/ui/page-header';
import { requirePrincipal } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { zodFieldErrors } from '@/lib/result';
import { getSwitchRoleCaller, switchRoleQuerySchema } from '@/lib/sandbox/switch-role-session';

export const metadata: Metadata = { title: 'Switch Role (sandbox)' };

type SearchParams = Record<string, string | string[] | undefined>;

/** The link's colour as six upper-case hex digits, or empty when it is not one. */
function validColor(value: string | undefined): string {
  const hex = (value ?? '').replace(/^#/, '').toUpperCase();
  return /^[0-9A-F]{6}$/.test(hex) ? hex : '';
}

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** The sandbox's stand-in for the console's `https://signin.aws.amazon.com/switchrole`. */
export default async function SandboxSwitchRolePage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  if (getEnv().ROLESMITH_MODE !== 'sandbox') notFound();
  const principal = await requirePrincipal();
  const params = await searchParams;

  const raw = {
    account: first(params.account),
    roleName: first(params.roleName),
    displayName: first(params.displayName),
    color: first(params.color),
  };
  const hasQuery = Object.values(raw).some((value) => value !== undefined);
  const parsed = switchRoleQuerySchema.safeParse(raw);
  const queryError = hasQuery && !parsed.success ? parsed.error : null;
  const queryErrors = queryError?.issues ?? [];
  const initialErrors = queryError ? zodFieldErrors(queryError) : {};
  const caller = await getSwitchRoleCaller(principal);

  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-6">
      <PageHeader
        title="Switch Role"
        description="The sandbox's stand-in for the AWS console's Switch Role page: the link Rolesmith shows for a role opens here, with the same parameters."
      />
      {caller.ok ? (
        <section
          aria-labelledby="acting-as"
          className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm text-sky-950"
        >
          <h2 id="acting-as" className="font-semibold">
            You switch as your sandbox IAM user
          </h2>
          <p className="mt-1">
            The role is assumed with STS AssumeRole in the sandbox emulator, signed with the access keys of{' '}
            <span className="font-mono break-all">{caller.value.userArn}</span> (session name{' '}
            <span className="font-mono">{caller.value.userName}</span>), just as the console uses the user you
            signed in with. Your secret keys never leave the server.
          </p>
        </section>
      ) : (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
          {caller.message}
        </p>
      )}
      {queryErrors.length > 0 ? (
        <div
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
        >
          <p className="font-semibold">This switch-role link is not valid, so no role was assumed.</p>
          <ul className="mt-1 list-inside list-disc">
            {queryErrors.map((issue) => (
              <li key={`${String(issue.path[0])}:${issue.message}`}>{issue.message}</li>
            ))}
          </ul>
          <p className="mt-1">
            Correct the fields below, or open the link from the role&apos;s summary page again.
          </p>
        </div>
      ) : null}
      {caller.ok ? (
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <SwitchRoleForm
            action={switchRoleAction}
            initial={{
              account: raw.account ?? '',
              roleName: raw.roleName ?? '',
              displayName: raw.displayName ?? '',
              color: parsed.success ? (parsed.data.color ?? '') : validColor(raw.color),
            }}
            initialErrors={initialErrors}
            mfaSerial={caller.value.mfaSerial}
            currentMfaCode={caller.value.currentMfaCode}
          />
        </div>
      ) : null}
    </div>
  );
}
