'use client';

import { useEffect, useRef } from 'react';
import type { ProvisioningProgress } from '@/lib/requests/progress';

/** How often to ask: the first wait, the longest one, and how many unchanged answers before it grows. */
export interface PollPace {
  firstMs: number;
  maxMs: number;
  steadyPolls: number;
}

/** While provisioning runs: every second, then up to every 8 s while nothing changes. */
export const LIVE_PACE: PollPace = { firstMs: 1000, maxMs: 8000, steadyPolls: 10 };
/** While someone else may act (a pending or failed request): every 5 s, then up to every 30 s. */
export const WATCH_PACE: PollPace = { firstMs: 5000, maxMs: 30_000, steadyPolls: 6 };

const BACKOFF = 1.5;

/**
 * How the provisioning section follows a request whose server-rendered parts (state, Retry and
 * Roll back, timeline) were rendered for `renderedState`, with `progress` read a moment later:
 * - `live`: something is still to come, or the progress is already ahead of the rendered parts
 *   (the job ended between the two reads) and the page must be refreshed at once;
 * - `watch`: a failed request, which someone may retry or roll back from another page;
 * - `none`: nothing more will happen.
 */
export function followMode(
  progress: Pick<ProvisioningProgress, 'isLive' | 'state'>,
  renderedState: string,
): 'live' | 'watch' | 'none' {
  if (progress.isLive || progress.state !== renderedState) return 'live';
  return progress.state === 'failed' ? 'watch' : 'none';
}

/** Whether a polled answer means the server-rendered parts of the page are out of date. */
export function isAheadOf(
  next: Pick<ProvisioningProgress, 'isLive' | 'state'>,
  renderedState: string,
): boolean {
  return !next.isLive && next.state !== renderedState;
}

async function readProgress(requestId: string, signal: AbortSignal): Promise<ProvisioningProgress | null> {
  const response = await fetch(`/api/requests/${requestId}/progress`, { cache: 'no-store', signal });
  if (!response.ok) return null;
  return (await response.json()) as ProvisioningProgress;
}

/**
 * Polls `GET /api/requests/<id>/progress` (never a server action) at `pace` while `pace` is not
 * null: the wait grows by half after `steadyPolls` unchanged answers (or failed reads), and
 * returns to the first pace on any change. `onAnswer` gets each answer (null when the read
 * failed) and returns `false` to stop. Stops when the component unmounts or `pace` changes.
 */
export function useProgressPoll(
  requestId: string,
  pace: PollPace | null,
  onAnswer: (progress: ProvisioningProgress | null) => boolean,
): void {
  const handler = useRef(onAnswer);
  useEffect(() => {
    handler.current = onAnswer;
  });
  useEffect(() => {
    if (!pace) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = pace.firstMs;
    let unchanged = 0;
    let last = '';
    const poll = async () => {
      let next: ProvisioningProgress | null = null;
      try {
        next = await readProgress(requestId, abort.signal);
      } catch {
        if (abort.signal.aborted) return;
      }
      const text = next ? JSON.stringify(next) : '';
      unchanged = next && text !== last ? 0 : unchanged + 1;
      last = text;
      if (!handler.current(next)) return;
      delay = unchanged < pace.steadyPolls ? pace.firstMs : Math.min(pace.maxMs, delay * BACKOFF);
      timer = setTimeout(() => void poll(), delay);
    };
    timer = setTimeout(() => void poll(), delay);
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [requestId, pace]);
}
