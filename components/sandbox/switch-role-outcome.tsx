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
      <section
        aria-labelledby="switch-failed"
        className="rounded-lg border border-red-300 bg-red-50 p-5 text-sm text-red-900"
      >
        <h2 id="switch-failed" className="text-base font-semibold">
          {result.aws ? 'AWS refused the switch' : 'Could not switch role'}
        </h2>
        {result.aws ? (
          <p className="mt-2 break-words">
            <span className="font-mono font-semibold">{result.aws.code}</span>: {result.aws.message}
          </p>
        ) : (
          <p className="mt-2">{result.message}</p>
        )}
        {result.hint ? <p className="mt-2">{result.hint}</p> : null}
      </section>
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
        <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-700">Assumed-role ARN</dt>
          <dd className="font-mono break-all">{session.assumedRoleArn}</dd>
          <dt className="font-medium text-slate-700">Role</dt>
          <dd className="font-mono break-all">{session.roleArn}</dd>
          <dt className="font-medium text-slate-700">Session expires</dt>
          <dd>
            <time dateTime={session.expiration}>{formatUtc(session.expiration)}</time> (in{' '}
            {minutesLeft(session.expiration)} minutes)
          </dd>
        </dl>
        <section aria-labelledby="caller-identity" className="flex flex-col gap-1">
          <h3 id="caller-identity" className="font-semibold">
            GetCallerIdentity with the temporary credentials
          </h3>
          {session.callerIdentity.ok ? (
            <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
              <dt className="text-slate-700">Arn</dt>
              <dd className="font-mono break-all">{session.callerIdentity.value.arn}</dd>
              <dt className="text-slate-700">Account</dt>
              <dd className="font-mono">{session.callerIdentity.value.account}</dd>
              <dt className="text-slate-700">UserId</dt>
              <dd className="font-mono break-all">{session.callerIdentity.value.userId}</dd>
            </dl>
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
