import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { switchRoleAction } from '@/app/sandbox/switchrole/actions';
import { SwitchRoleForm } from '@/components/sandbox/switch-role-form';
import { Callout } from '@/components/ui/callout';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requirePrincipal } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { normalizeSwitchRoleColor } from '@/lib/iam/switch-role-palette';
import { zodFieldErrors } from '@/lib/result';
import { getSwitchRoleCaller, switchRoleQuerySchema } from '@/lib/sandbox/switch-role-session';

export const metadata: Metadata = { title: 'Switch Role (sandbox)' };

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The link's colour as six upper-case hex digits (an earlier console colour as today's of the
 * same name, so that links made before the palette changed keep their colour), or empty when it
 * is not a colour.
 */
function linkColor(value: string | undefined): string {
  const hex = normalizeSwitchRoleColor(value ?? '');
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
        <Callout tone="info" title="You switch as your sandbox IAM user" titleId="acting-as">
          <p>
            The role is assumed with STS AssumeRole in the sandbox emulator, signed with the access keys of{' '}
            <span className="font-mono break-all">{caller.value.userArn}</span> (session name{' '}
            <span className="font-mono">{caller.value.userName}</span>), just as the console uses the user you
            signed in with. Your secret keys never leave the server.
          </p>
        </Callout>
      ) : (
        <Callout tone="error" role="alert">
          <p>{caller.message}</p>
        </Callout>
      )}
      {queryErrors.length > 0 ? (
        <Callout
          tone="warning"
          role="alert"
          title="This switch-role link is not valid, so no role was assumed."
        >
          <ul className="list-inside list-disc">
            {queryErrors.map((issue) => (
              <li key={`${String(issue.path[0])}:${issue.message}`}>{issue.message}</li>
            ))}
          </ul>
          <p>Correct the fields below, or open the link from the role&apos;s summary page again.</p>
        </Callout>
      ) : null}
      {caller.ok ? (
        <Card>
          <SwitchRoleForm
            action={switchRoleAction}
            initial={{
              account: raw.account ?? '',
              roleName: raw.roleName ?? '',
              displayName: raw.displayName ?? '',
              color: linkColor(raw.color),
            }}
            initialErrors={initialErrors}
            mfaSerial={caller.value.mfaSerial}
            currentMfaCode={caller.value.currentMfaCode}
          />
        </Card>
      ) : null}
    </div>
  );
}
