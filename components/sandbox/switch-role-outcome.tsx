import { Callout } from '@/components/ui/callout';
import { CopyButton } from '@/components/ui/copy-button';
import { DescriptionList } from '@/components/ui/description-list';
import type { SwitchRoleResult } from '@/lib/sandbox/switch-role-session';

/** `2026-11-28 15:30:12 UTC` */
function formatUtc(iso: string): string {
  return `${iso.replace('T', ' ').slice(0, 19)} UTC`;
}

function minutesLeft(iso: string): number {
  return Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 60_000));
}

/** The result of a sandbox switch: the session as the console would show it, or AWS's refusal in plain words. */
export function SwitchRoleOutcome({ result }: { result: SwitchRoleResult }) {
  if (!result.ok) {
    return (
      <Callout
        tone="error"
        titleId="switch-failed"
        title={result.aws ? 'AWS refused the switch' : 'Could not switch role'}
        className="p-5"
      >
        {result.aws ? (
          <p className="break-words">
            <span className="font-mono font-semibold">{result.aws.code}</span>: {result.aws.message}
          </p>
        ) : (
          <p>{result.message}</p>
        )}
        {result.hint ? <p>{result.hint}</p> : null}
      </Callout>
    );
  }
  const session = result.value;
  return (
    <section
      aria-labelledby="switch-succeeded"
      className="overflow-hidden rounded-lg border border-slate-300 bg-white shadow-sm"
    >
      <div
        className="flex items-center justify-between gap-4 px-5 py-2 text-sm font-semibold text-slate-900"
        style={{ backgroundColor: session.color ? `#${session.color}` : '#e2e8f0' }}
      >
        <span>
          {session.displayName} | {session.account}
        </span>
        <span className="font-normal">{session.usedMfa ? 'with MFA' : 'without MFA'}</span>
      </div>
      <div className="flex flex-col gap-4 p-5 text-sm">
        <h2 id="switch-succeeded" className="text-base font-semibold text-green-800">
          Switched role: you are now acting as {session.displayName}
        </h2>
        <DescriptionList
          items={[
            {
              term: 'Assumed-role ARN',
              details: (
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-mono break-all">{session.assumedRoleArn}</span>
                  <CopyButton text={session.assumedRoleArn} accessibleLabel="Copy the assumed-role ARN" />
                </span>
              ),
            },
            { term: 'Role', details: <span className="font-mono break-all">{session.roleArn}</span> },
            {
              term: 'Session expires',
              details: (
                <>
                  <time dateTime={session.expiration}>{formatUtc(session.expiration)}</time> (in{' '}
                  {minutesLeft(session.expiration)} minutes)
                </>
              ),
            },
          ]}
        />
        <section aria-labelledby="caller-identity" className="flex flex-col gap-1">
          <h3 id="caller-identity" className="font-semibold">
            GetCallerIdentity with the temporary credentials
          </h3>
          {session.callerIdentity.ok ? (
            <DescriptionList
              dense
              items={[
                {
                  term: 'Arn',
                  details: <span className="font-mono break-all">{session.callerIdentity.value.arn}</span>,
                },
                {
                  term: 'Account',
                  details: <span className="font-mono">{session.callerIdentity.value.account}</span>,
                },
                {
                  term: 'UserId',
                  details: <span className="font-mono break-all">{session.callerIdentity.value.userId}</span>,
                },
              ]}
            />
          ) : (
            <p className="text-red-800">
              <span className="font-mono">{session.callerIdentity.aws.code}</span>:{' '}
              {session.callerIdentity.aws.message}
            </p>
          )}
        </section>
        <section aria-labelledby="attached-policies" className="flex flex-col gap-1">
          <h3 id="attached-policies" className="font-semibold">
            ListAttachedRolePolicies as the role
          </h3>
          {session.attachedPolicies.ok ? (
            session.attachedPolicies.value.length > 0 ? (
              <ul className="list-inside list-disc">
                {session.attachedPolicies.value.map((policy) => (
                  <li key={policy.arn}>
                    {policy.name}{' '}
                    <span className="font-mono text-xs break-all text-slate-600">{policy.arn}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p>The role has no managed policies attached.</p>
            )
          ) : (
            <p className="text-slate-800">
              The role may not list its own policies:{' '}
              <span className="font-mono">{session.attachedPolicies.aws.code}</span>:{' '}
              {session.attachedPolicies.aws.message}
            </p>
          )}
        </section>
      </div>
    </section>
  );
}
