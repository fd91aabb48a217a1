import type { ReactNode } from 'react';
import { AccessKitSwitchLink } from '@/components/roles/access-kit-switch-link';
import { TextLink } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { CopyButton } from '@/components/ui/copy-button';
import { buildCliProfile } from '@/lib/iam/cli-profile';
import { SIGNIN_HOSTS, buildSwitchRoleLink } from '@/lib/iam/switch-role';
import { roleDownloadHref } from '@/lib/requests/role-links';
import type { RoleSummaryDetail } from '@/lib/requests/roles';

/** The CLI profile's default region: IAM and STS are global, so any region works; this one is AWS's first. */
const CLI_PROFILE_REGION = 'us-east-1';

function KitRow({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section
      aria-labelledby={id}
      className="flex flex-col gap-3 border-t border-slate-200 pt-4 first:border-t-0 first:pt-0"
    >
      <h3 id={id} className="text-base font-semibold text-slate-900">
        {title}
      </h3>
      {children}
    </section>
  );
}

/**
 * The access kit at the top of a role's summary: the console's switch-role link (display name
 * and colour editable, copy, opens in a new tab) or the one reason the console cannot switch to
 * the role; the console's multi-session note; the AWS CLI profile; the CloudFormation and
 * Terraform downloads; and, in sandbox mode, the same link on the sandbox's switch-role page.
 */
export function AccessKit({ role, sandbox }: { role: RoleSummaryDetail; sandbox: boolean }) {
  const { spec } = role;
  const alias = role.account?.alias;
  const link = buildSwitchRoleLink(spec);
  const profile = buildCliProfile(spec, {
    profileName: `${spec.name}-${alias ?? spec.accountId}`,
    region: CLI_PROFILE_REGION,
  });
  const ref = { accountId: role.accountId, path: role.path, roleName: role.roleName };

  return (
    <section
      aria-labelledby="access-kit"
      data-testid="access-kit"
      className="flex flex-col gap-4 rounded-lg border-2 border-indigo-200 bg-white p-5 shadow-sm"
    >
      {/* Element Timing reports when this heading's text is painted (the bench reads it); React's
          types do not know the attribute yet. */}
      <h2
        id="access-kit"
        className="text-lg font-semibold text-slate-900"
        {...{ elementtiming: 'access-kit' }}
      >
        Access
      </h2>
      <KitRow id="access-kit-switch" title="Switch role in the console">
        {link.ok ? (
          <>
            <AccessKitSwitchLink
              signInPage={`https://${SIGNIN_HOSTS.aws}/switchrole`}
              sandboxPage={sandbox ? '/sandbox/switchrole' : null}
              account={spec.accountId}
              roleName={link.roleName}
              defaultDisplayName={alias ? `${spec.name} @ ${alias}` : spec.name}
              defaultColor={role.account?.color ?? ''}
            />
            {link.requiresMfa ? (
              <p className="text-sm text-slate-700">
                This role requires MFA: sign in to the console with your MFA device before you switch.
              </p>
            ) : null}
            <p className="text-sm text-slate-700">
              <span className="font-medium text-slate-900">Multi-session:</span> with the console&apos;s
              multi-session mode on (up to five identities signed in at once), the link adds the role as
              another session, with its own address, instead of replacing the identity you are signed in as;
              switching again to a role that is already signed in signs out that session&apos;s tabs.
            </p>
          </>
        ) : (
          <Callout tone="warning" headingLevel={3} title="The console cannot switch to this role">
            <p>
              {link.message} {profile.ok ? 'The AWS CLI profile below is the way in.' : null}
            </p>
          </Callout>
        )}
      </KitRow>
      <KitRow id="access-kit-cli" title="AWS CLI profile">
        {profile.ok ? (
          <>
            <p className="text-sm text-slate-700">
              Add this to <span className="font-mono">~/.aws/config</span>, then run commands with{' '}
              <span className="font-mono">--profile {profile.profileName}</span>.
              {profile.text.includes('YOUR_USER_NAME')
                ? ' Replace YOUR_USER_NAME with your IAM user name.'
                : null}
            </p>
            <pre
              tabIndex={0}
              aria-label="Profile for ~/.aws/config"
              className="focus-ring overflow-x-auto rounded-md border border-slate-200 bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100"
            >
              {profile.text}
            </pre>
            <div>
              <CopyButton
                text={profile.text}
                label="Copy profile"
                accessibleLabel="Copy the AWS CLI profile"
              />
            </div>
          </>
        ) : (
          <p className="text-sm text-slate-700">{profile.message}</p>
        )}
      </KitRow>
      <KitRow id="access-kit-downloads" title="Infrastructure as code">
        <p className="text-sm text-slate-700">
          The role as Rolesmith created it:{' '}
          <TextLink fullLoad href={roleDownloadHref(ref, 'cloudformation')} download>
            CloudFormation (YAML)
          </TextLink>{' '}
          ·{' '}
          <TextLink fullLoad href={roleDownloadHref(ref, 'terraform')} download>
            Terraform
          </TextLink>
        </p>
      </KitRow>
    </section>
  );
}
