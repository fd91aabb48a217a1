'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { TextLink } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { DataTable, type Column } from '@/components/ui/data-table';
import type { ProvisioningJobStatus } from '@/lib/db/tables/provisioning';
import type { JobProgress, StepProgress, StepStatus } from '@/lib/provisioning/progress';
import type { ProvisioningProgress } from '@/lib/requests/progress';

/** The first polls come every second; unchanged answers stretch the wait up to {@link MAX_DELAY_MS}. */
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 8000;
const BACKOFF = 1.5;
/** Unchanged answers polled at the first pace before the wait grows. */
const STEADY_POLLS = 10;

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

async function readProgress(requestId: string, signal: AbortSignal): Promise<ProvisioningProgress | null> {
  const response = await fetch(`/api/requests/${requestId}/progress`, { cache: 'no-store', signal });
  if (!response.ok) return null;
  return (await response.json()) as ProvisioningProgress;
}

/**
 * The request's provisioning, live: each job's steps (the IAM call, its status and outcome),
 * AWS's failure in plain words, and the role's summary link the moment it is provisioned. While
 * something is still to come (`isLive`) it polls the progress route (GET, every second at first,
 * less often while nothing changes); when it ends, it refreshes the page so that every section
 * shows the final state. New props from the server (after a refresh or an action) replace what it
 * polled.
 */
export function ProvisioningLive({ initial }: { initial: ProvisioningProgress }) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
  const [shownInitial, setShownInitial] = useState(initial);
  const [pollError, setPollError] = useState(false);
  if (shownInitial !== initial) {
    setShownInitial(initial);
    setProgress(initial);
  }
  const { requestId, isLive } = progress;

  useEffect(() => {
    if (!isLive) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = FIRST_DELAY_MS;
    let unchanged = 0;
    let last = '';
    const poll = async () => {
      let next: ProvisioningProgress | null = null;
      try {
        next = await readProgress(requestId, abort.signal);
      } catch {
        if (abort.signal.aborted) return;
      }
      setPollError(next === null);
      if (next) {
        const text = JSON.stringify(next);
        unchanged = text === last ? unchanged + 1 : 0;
        last = text;
        setProgress(next);
        if (!next.isLive) {
          router.refresh();
          return;
        }
      } else unchanged += 1;
      delay = unchanged < STEADY_POLLS ? FIRST_DELAY_MS : Math.min(MAX_DELAY_MS, delay * BACKOFF);
      timer = setTimeout(() => void poll(), delay);
    };
    timer = setTimeout(() => void poll(), delay);
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [requestId, isLive, router]);

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
