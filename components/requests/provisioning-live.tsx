'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { TextLink } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { DataTable, type Column } from '@/components/ui/data-table';
import type { ProvisioningJobStatus } from '@/lib/db/tables/provisioning';
import type { JobProgress, StepProgress, StepStatus } from '@/lib/provisioning/progress';
import type { ProvisioningProgress } from '@/lib/requests/progress';
import {
  followMode,
  isAheadOf,
  LIVE_PACE,
  useProgressPoll,
  WATCH_PACE,
} from '@/components/requests/use-progress-poll';

const stepTone: Record<StepStatus, BadgeTone> = {
  queued: 'neutral',
  running: 'info',
  done: 'success',
  failed: 'danger',
  not_run: 'neutral',
};

const stepWords: Record<StepStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  not_run: 'Not run',
};

const jobTone: Record<ProvisioningJobStatus, BadgeTone> = {
  queued: 'neutral',
  running: 'info',
  retrying: 'warning',
  succeeded: 'success',
  failed: 'danger',
};

const jobWords: Record<ProvisioningJobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  retrying: 'Waiting to retry',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

function jobTitle(job: JobProgress): string {
  return job.operation === 'rollback' ? `Rollback (attempt ${job.attempt})` : `Attempt ${job.attempt}`;
}

/**
 * One sentence for the request's provisioning as a whole: it changes with the request's state or
 * its latest job's status, never with each step, so the live region announces only those changes.
 */
function progressSentence(progress: ProvisioningProgress): string {
  const job = progress.jobs[0];
  if (progress.state === 'provisioned')
    return progress.kind === 'delete' ? 'The role is deleted.' : 'The role is provisioned and verified.';
  if (progress.state === 'rolled_back') return 'Rolled back: what this request created is removed.';
  if (progress.state === 'cancelled') return 'The request was cancelled.';
  const doing = job?.operation === 'rollback' ? 'Rollback' : 'Provisioning';
  if (!job || job.status === 'queued') return `${doing} is queued.`;
  if (job.status === 'running') return `${doing} is running.`;
  if (job.status === 'retrying') return `${doing} is waiting out an error from AWS, then retrying.`;
  if (job.status === 'failed')
    return `${doing} failed${job.failure?.call ? ` at ${job.failure.call}` : ''}: ${job.failure?.code ?? progress.failure?.code ?? 'error'}.`;
  return `${doing} succeeded.`;
}

const columns: readonly Column<StepProgress & { number: number }>[] = [
  { id: 'number', header: '#', cell: (step) => step.number, className: 'w-8 tabular-nums text-slate-600' },
  {
    id: 'call',
    header: 'IAM call',
    rowHeader: true,
    cell: (step) => (
      <>
        <span className="font-mono text-xs break-all">{step.call}</span>
        <span className="block text-xs font-normal text-slate-600">{step.purpose}</span>
      </>
    ),
  },
  {
    id: 'status',
    header: 'Status',
    cell: (step) => <Badge tone={stepTone[step.status]}>{stepWords[step.status]}</Badge>,
  },
  {
    id: 'outcome',
    header: 'Outcome',
    className: 'break-words',
    cell: (step) =>
      step.error ? (
        <>
          <span className="font-mono text-xs">{step.error.code}</span>: {step.error.message}
        </>
      ) : (
        <span className="break-all">{step.outcome ?? '—'}</span>
      ),
  },
];

function JobSteps({ job }: { job: JobProgress }) {
  if (job.steps.length === 0)
    return <p className="text-sm text-slate-700">No plan: the job could not be planned.</p>;
  return (
    <DataTable
      caption={`${jobTitle(job)}: steps`}
      columns={columns}
      rows={job.steps.map((step, index) => ({ ...step, number: index + 1 }))}
      rowKey={(step) => step.key}
    />
  );
}

function JobHeading({ job, level }: { job: JobProgress; level: 3 | 4 }) {
  const Heading = level === 3 ? 'h3' : 'h4';
  return (
    <Heading className="flex flex-wrap items-center gap-2 text-sm font-semibold text-slate-900">
      {jobTitle(job)} <Badge tone={jobTone[job.status]}>{jobWords[job.status]}</Badge>
    </Heading>
  );
}

function FailureCallout({ progress }: { progress: ProvisioningProgress }) {
  const job = progress.jobs[0];
  const failure = job?.failure ?? (progress.state === 'failed' ? progress.failure : null);
  if (!failure || job?.status !== 'failed') return null;
  const call = job.failure?.call;
  const what = job.operation === 'rollback' ? 'The rollback' : 'Provisioning';
  return (
    <Callout tone="error" title={`${what} failed${call ? ` at ${call}` : ''}`} headingLevel={3}>
      <p>{failure.explanation}</p>
      <p>
        AWS error <span className="font-mono font-semibold">{failure.code}</span>: {failure.message}
      </p>
    </Callout>
  );
}

/**
 * The request's provisioning, live: each job's steps (the IAM call, its status and outcome),
 * AWS's failure in plain words, and the role's summary link the moment it is provisioned. While
 * something is still to come (`isLive`) it polls the progress route (GET, every second at first,
 * less often while nothing changes); when it ends, it refreshes the page so that every section
 * shows the final state. A failed request is watched slowly, so that a retry or rollback started
 * elsewhere shows up. New props from the server (after a refresh or an action) replace what it
 * polled.
 */
export function ProvisioningLive({
  initial,
  renderedState,
}: {
  initial: ProvisioningProgress;
  /** The request state the server-rendered parts of the page (state, Retry, Roll back, timeline) show. */
  renderedState: string;
}) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
  const [shownInitial, setShownInitial] = useState(initial);
  const [pollError, setPollError] = useState(false);
  if (shownInitial !== initial) {
    setShownInitial(initial);
    setProgress(initial);
  }
  const { requestId } = progress;

  // Live: follow the job (or refresh at once parts rendered before it ended). Failed and idle: an
  // approver may retry or roll back from another page.
  const mode = followMode(progress, renderedState);
  const pace = mode === 'live' ? LIVE_PACE : mode === 'watch' ? WATCH_PACE : null;
  useProgressPoll(requestId, pace, (next) => {
    setPollError(next === null);
    if (!next) return true;
    if (mode === 'live') {
      setProgress(next);
      if (next.isLive) return true;
    } else {
      if (!next.isLive && !isAheadOf(next, renderedState)) return true;
      setProgress(next);
    }
    // The server's parts of the page (state, Retry and Roll back, timeline) follow.
    router.refresh();
    return false;
  });

  const [latest, ...earlier] = progress.jobs;
  return (
    <div className="space-y-4">
      <p role="status" className="text-sm font-medium text-slate-900">
        {progressSentence(progress)}
      </p>
      {pollError ? (
        <p className="text-sm text-amber-800">Could not read the latest progress; trying again.</p>
      ) : null}
      {progress.roleHref ? (
        <Callout tone="success" title="The role is provisioned" headingLevel={3}>
          <p>
            Rolesmith read the role back from IAM and it matches the request.{' '}
            <TextLink href={progress.roleHref}>Open the summary of {progress.roleName}</TextLink>
          </p>
        </Callout>
      ) : null}
      <FailureCallout progress={progress} />
      {latest ? (
        <div className="space-y-2">
          <JobHeading job={latest} level={3} />
          <JobSteps job={latest} />
        </div>
      ) : (
        <p className="text-sm text-slate-700">Waiting for the provisioning job to be queued.</p>
      )}
      {earlier.length > 0 ? (
        <details className="space-y-2">
          <summary className="focus-ring cursor-pointer rounded-sm text-sm font-medium text-indigo-800">
            Earlier attempts ({earlier.length})
          </summary>
          <div className="mt-2 space-y-4">
            {earlier.map((job) => (
              <div key={job.jobId} className="space-y-2">
                <JobHeading job={job} level={4} />
                {job.failure ? (
                  <p className="text-sm text-slate-800">
                    Failed{job.failure.call ? ` at ${job.failure.call}` : ''}:{' '}
                    <span className="font-mono">{job.failure.code}</span> {job.failure.message}
                  </p>
                ) : null}
                <JobSteps job={job} />
              </div>
            ))}
          </div>
        </details>
      ) : null}
    </div>
  );
}

/**
 * For a request someone else must act on first (pending approval): nothing to show, but watches
 * the progress route slowly and refreshes the page when the request moves (approved, rejected,
 * cancelled), so that the requester sees provisioning start without a reload.
 */
export function RequestWatch({ requestId, state }: { requestId: string; state: string }) {
  const router = useRouter();
  useProgressPoll(requestId, WATCH_PACE, (next) => {
    if (!next || next.state === state) return true;
    router.refresh();
    return false;
  });
  return null;
}
