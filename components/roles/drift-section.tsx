import type { ReactNode } from 'react';
import { Callout } from '@/components/ui/callout';
import { DriftActions } from '@/components/roles/drift-actions';
import { canApproveFor, type Principal } from '@/lib/auth/principal';
import { viewRoleDrift, type RecordedDriftCheck } from '@/lib/requests/drift';

const HEADING_ID = 'drift-heading';

/** A sentence whose `backticked` parts are names, shown as code. */
export function DriftSentence({ sentence }: { sentence: string }) {
  const parts = sentence.split('`');
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <code key={index} className="rounded bg-white/70 px-1 font-mono text-[0.8125rem]">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** `10:42 UTC`, in a `<time>` element. */
function CheckedAt({ at }: { at: Date }) {
  const iso = at.toISOString();
  return <time dateTime={iso}>{iso.slice(11, 16)} UTC</time>;
}

function Frame({ children, busy = false }: { children: ReactNode; busy?: boolean }) {
  return (
    <section aria-labelledby={HEADING_ID} aria-busy={busy || undefined} className="flex flex-col gap-2">
      <h2 id={HEADING_ID} className="text-lg font-semibold text-slate-900">
        Compared with AWS
      </h2>
      {children}
    </section>
  );
}

function DifferenceList({ differences }: { differences: readonly { kind: string; sentence: string }[] }) {
  return (
    <ul className="list-disc space-y-1 pl-5">
      {differences.map((difference, index) => (
        <li key={`${difference.kind}-${index}`}>
          <DriftSentence sentence={difference.sentence} />
        </li>
      ))}
    </ul>
  );
}

/**
 * The role as it is in IAM compared with what Rolesmith recorded: read live through the portal's
 * server (so the page streams it in, inside `<Suspense fallback={<DriftPending />}>`), recorded for
 * the roles list. Shows nothing for a role the principal may not see (the page has answered 404
 * already). A role AWS would not let Rolesmith read says it could not be checked, never an error.
 */
export async function DriftSection({
  principal,
  accountId,
  roleName,
}: {
  principal: Principal;
  accountId: string;
  roleName: string;
}) {
  const result = await viewRoleDrift(principal, accountId, roleName);
  if (!result.ok) return null;
  if (result.value.source === 'recorded') {
    return (
      <RecordedDrift
        last={result.value.last}
        retryAfterSeconds={result.value.retryAfterSeconds}
        restore={{ accountId, roleName, canRestore: canApproveFor(principal, accountId) }}
      />
    );
  }
  const check = result.value.check;

  if (check.state === 'unknown') {
    return (
      <Frame>
        <Callout tone="info" headingLevel={3} title="Could not check the role in AWS">
          <p>{check.reason}</p>
          <p className="text-xs">
            Tried at <CheckedAt at={check.checkedAt} />. Reload the page to try again.
          </p>
        </Callout>
      </Frame>
    );
  }
  if (check.state === 'matches') {
    return (
      <Frame>
        <Callout tone="success" headingLevel={3}>
          <p className="font-medium">
            <span aria-hidden="true">✓ </span>Matches what Rolesmith created (checked{' '}
            <CheckedAt at={check.checkedAt} />)
          </p>
        </Callout>
      </Frame>
    );
  }
  const count = check.differences.length;
  const deleted = check.live === null;
  return (
    <Frame>
      <Callout
        tone={deleted ? 'error' : 'warning'}
        headingLevel={3}
        title={<DriftTitle deleted={deleted} count={count} />}
      >
        {deleted ? (
          <p>
            IAM has no role of this name in the account any more. What Rolesmith created is shown below, as
            recorded.
          </p>
        ) : (
          <>
            <p>
              Someone changed the role in AWS without Rolesmith (checked {<CheckedAt at={check.checkedAt} />}
              ):
            </p>
            <DifferenceList differences={check.differences} />
            <p>The sections below show the role as Rolesmith recorded it.</p>
            <DriftActions
              accountId={accountId}
              roleName={roleName}
              canRestore={canApproveFor(principal, accountId)}
            />
          </>
        )}
      </Callout>
    </Frame>
  );
}

/**
 * The last recorded check, shown instead of a live one when the person has read roles live from
 * IAM too often in the last minute (IAM's limits are the whole account's).
 */
function RecordedDrift({
  last,
  retryAfterSeconds,
  restore,
}: {
  last: RecordedDriftCheck | null;
  retryAfterSeconds: number;
  restore: { accountId: string; roleName: string; canRestore: boolean };
}) {
  const why = (
    <p className="text-xs">
      You have opened many roles in the last minute, so Rolesmith did not read this one from AWS again (AWS
      limits IAM reads for the whole account). Reload in {retryAfterSeconds}{' '}
      {retryAfterSeconds === 1 ? 'second' : 'seconds'} to check it live.
    </p>
  );
  if (!last) {
    return (
      <Frame>
        <Callout tone="info" headingLevel={3} title="Not checked in AWS yet">
          <p>Rolesmith has no recorded check of this role.</p>
          {why}
        </Callout>
      </Frame>
    );
  }
  const when = (
    <>
      Last recorded check, at <CheckedAt at={last.checkedAt} />
    </>
  );
  if (last.state === 'unknown') {
    return (
      <Frame>
        <Callout tone="info" headingLevel={3} title="Could not check the role in AWS">
          <p className="font-medium">{when}:</p>
          <p>{last.reason}</p>
          {why}
        </Callout>
      </Frame>
    );
  }
  if (last.state === 'matches') {
    return (
      <Frame>
        <Callout tone="success" headingLevel={3}>
          <p className="font-medium">
            <span aria-hidden="true">✓ </span>Matched what Rolesmith created ({when})
          </p>
          {why}
        </Callout>
      </Frame>
    );
  }
  const deleted = last.differences.some((difference) => difference.kind === 'role_deleted');
  const count = last.differences.length;
  return (
    <Frame>
      <Callout
        tone={deleted ? 'error' : 'warning'}
        headingLevel={3}
        title={<DriftTitle deleted={deleted} count={count} />}
      >
        <p>{when}:</p>
        <DifferenceList differences={last.differences} />
        {why}
        {deleted ? null : <DriftActions {...restore} />}
      </Callout>
    </Frame>
  );
}

/** {@link DriftSection}'s skeleton, of the same shape, while IAM is read. */
export function DriftPending() {
  return (
    <Frame busy>
      <div
        role="status"
        className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-700"
      >
        <p className="flex items-center gap-2">
          <span aria-hidden="true" className="h-3 w-3 animate-pulse rounded-full bg-slate-400" />
          Checking the role in AWS…
        </p>
        <div aria-hidden="true" className="mt-2 h-4 w-2/3 animate-pulse rounded bg-slate-200" />
      </div>
    </Frame>
  );
}

/** A drifted check's heading, live or recorded: deleted outside Rolesmith, or how many differences. */
function DriftTitle({ deleted, count }: { deleted: boolean; count: number }) {
  return (
    <>
      <span aria-hidden="true">⚠ </span>
      {deleted
        ? 'The role was deleted outside Rolesmith'
        : `${count} ${count === 1 ? 'difference' : 'differences'} from what Rolesmith created`}
    </>
  );
}
