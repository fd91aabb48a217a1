'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { WizardPreview } from '@/lib/wizard/preview-types';
import type { WizardState } from '@/lib/wizard/state';

/** How long the state must stay unchanged before it is sent (typing does not send every key). */
export const PREVIEW_DEBOUNCE_MS = 250;

export interface PreviewStatus {
  /** The latest answer (kept while a newer one loads), or null before the first. */
  preview: WizardPreview | null;
  /** The state the latest answer is about. */
  answeredFor: WizardState | null;
  /** The answer shown is not for the state as it is now (a newer one is on its way). */
  loading: boolean;
  /** Why the latest request failed (the last answer stays shown), or null. */
  error: string | null;
  /** The preview of the state as it is now, fetched at once if needed (null when it failed). */
  flush: () => Promise<WizardPreview | null>;
}

async function errorMessage(response: Response): Promise<string> {
  if (response.status === 401) return 'You are signed out: sign in again to see the preview.';
  if (response.status === 429) return 'Too many checks at once: the preview will catch up in a moment.';
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON (a proxy's error page): fall through to the status.
  }
  return `The preview could not be computed (HTTP ${response.status}).`;
}

/**
 * The server's preview of the wizard's state: `POST /api/wizard/preview` once the state has not
 * changed for {@link PREVIEW_DEBOUNCE_MS}, aborting a request made stale by a newer state, and
 * keeping the last answer while the next one loads.
 */
export function usePreview(state: WizardState, delayMs = PREVIEW_DEBOUNCE_MS): PreviewStatus {
  const [answer, setAnswer] = useState<{ for: WizardState; preview: WizardPreview } | null>(null);
  const [failure, setFailure] = useState<{ for: WizardState; message: string } | null>(null);
  const answered = useRef<{ for: WizardState; preview: WizardPreview } | null>(null);
  const inFlight = useRef<{
    for: WizardState;
    controller: AbortController;
    promise: Promise<WizardPreview | null>;
  } | null>(null);
  const current = useRef(state);

  const request = useCallback((target: WizardState): Promise<WizardPreview | null> => {
    if (answered.current?.for === target) return Promise.resolve(answered.current.preview);
    if (inFlight.current?.for === target) return inFlight.current.promise;
    inFlight.current?.controller.abort();
    const controller = new AbortController();
    const promise = (async (): Promise<WizardPreview | null> => {
      try {
        const response = await fetch('/api/wizard/preview', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ state: target }),
          signal: controller.signal,
        });
        if (!response.ok) {
          const message = await errorMessage(response);
          if (!controller.signal.aborted) setFailure({ for: target, message });
          return null;
        }
        const preview = (await response.json()) as WizardPreview;
        answered.current = { for: target, preview };
        if (!controller.signal.aborted) {
          setAnswer({ for: target, preview });
          setFailure(null);
        }
        return preview;
      } catch (error) {
        // Aborted: a newer state replaced this one, and its own request answers.
        if (controller.signal.aborted) return null;
        setFailure({
          for: target,
          message:
            error instanceof TypeError
              ? 'The preview could not be reached (offline?): it will update when the connection is back.'
              : 'The preview could not be read.',
        });
        return null;
      } finally {
        if (inFlight.current?.controller === controller) inFlight.current = null;
      }
    })();
    inFlight.current = { for: target, controller, promise };
    return promise;
  }, []);

  useEffect(() => {
    current.current = state;
    const timer = setTimeout(() => void request(state), delayMs);
    return () => clearTimeout(timer);
  }, [state, delayMs, request]);

  useEffect(() => () => inFlight.current?.controller.abort(), []);

  // A request aborted because the state changed meanwhile (an effect completing a card, a keystroke)
  // answers nothing: the preview of the newer state is the one wanted.
  const flush = useCallback(async (): Promise<WizardPreview | null> => {
    for (;;) {
      const target = current.current;
      const result = await request(target);
      if (result !== null || current.current === target) return result;
    }
  }, [request]);

  return {
    preview: answer?.preview ?? null,
    answeredFor: answer?.for ?? null,
    loading: answer?.for !== state && failure?.for !== state,
    error: failure?.message ?? null,
    flush,
  };
}
