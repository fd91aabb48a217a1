'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { saveWizardDraftAction } from '@/app/(portal)/roles/new/actions';
import type { WizardStepId } from '@/lib/wizard/preview-types';
import type { WizardState } from '@/lib/wizard/state';

/** At most one save per this interval while the person types. */
export const AUTOSAVE_INTERVAL_MS = 2000;
/** How long to wait before trying again after a save could not reach the server. */
const RETRY_MS = 5000;

/** A draft as the page loaded it. */
export interface SavedDraft {
  id: string;
  version: number;
  /** ISO time of its last save. */
  savedAt: string;
}

export type AutosaveNotice =
  /** Another tab (or window) saved this draft since it was loaded here. */
  | { kind: 'conflict' }
  /** The session ended: saving resumes once signed in again. */
  | { kind: 'signed_out' }
  /** A save was refused for a reason the person can act on (too many drafts, state too large…). */
  | { kind: 'refused'; message: string };

export interface Autosave {
  draftId: string | null;
  /** ISO time of the last save that reached the server. */
  savedAt: string | null;
  /** Changes not saved yet. */
  dirty: boolean;
  /** The server could not be reached: saving is retried. */
  offline: boolean;
  notice: AutosaveNotice | null;
  /** Saves now (e.g. before leaving with "Keep as draft"). */
  saveNow: () => Promise<void>;
  /** After a conflict: loads the draft as the other tab saved it (the page loads again). */
  reloadLatest: () => void;
  /** After a conflict: keeps what is on screen as a new draft. */
  keepMine: () => void;
  /** Tries again after a refusal or a sign-in in another tab. */
  retry: () => void;
  /**
   * Stops saving (the request was submitted, or the draft is being discarded): nothing more to
   * protect. Resolves, once a save on its way has ended, with the draft's id (null: none saved).
   */
  stop: () => Promise<string | null>;
  /** Saves again after {@link Autosave.stop} (a submission that was refused). */
  resume: () => void;
}

interface Snapshot {
  state: WizardState;
  step: WizardStepId;
}

/** `HH:MM` in the person's time zone. */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/**
 * Autosaves the wizard as a wizard draft through `saveWizardDraftAction`: at most every
 * {@link AUTOSAVE_INTERVAL_MS} after a change, and at once on {@link Autosave.saveNow}; with
 * compare-and-set on the draft's version (a `conflict` stops saving until the person chooses).
 * After the first save the address becomes `/roles/new?draft=<id>`, so a reload resumes it; the
 * browser asks before leaving with unsaved changes.
 */
export function useAutosave({
  state,
  step,
  accountIds,
  title,
  initial,
}: {
  state: WizardState;
  step: WizardStepId;
  /** The portal's target accounts (a state naming another is saved without an account). */
  accountIds: readonly string[];
  title: string;
  initial: SavedDraft | null;
}): Autosave {
  const [draft, setDraft] = useState<{ id: string; version: number } | null>(
    initial ? { id: initial.id, version: initial.version } : null,
  );
  const [savedAt, setSavedAt] = useState<string | null>(initial?.savedAt ?? null);
  const [saved, setSaved] = useState<Snapshot | null>(initial ? { state, step } : null);
  const [notice, setNotice] = useState<AutosaveNotice | null>(null);
  const [offline, setOffline] = useState(false);
  const [stopped, setStopped] = useState(false);
  const [saving, setSaving] = useState(false);
  const [lastAttempt, setLastAttempt] = useState(0);

  // What the save in progress and the timers read: the latest values, not those of their render.
  const latest = useRef({ state, step, title, draft, accountIds });
  useEffect(() => {
    latest.current = { state, step, title, draft, accountIds };
  });
  // A fresh wizard (no draft yet) is saved only once the person changes something.
  const [baseline] = useState<Snapshot>({ state, step });
  const dirty =
    !stopped &&
    (saved
      ? saved.state !== state || saved.step !== step
      : baseline.state !== state || baseline.step !== step);

  // One save at a time: each carries the version the previous one returned.
  const inFlight = useRef<Promise<void> | null>(null);
  const send = useCallback(async (): Promise<void> => {
    const {
      state: sentState,
      step: sentStep,
      title: sentTitle,
      draft: current,
      accountIds: ids,
    } = latest.current;
    const form = new FormData();
    if (current) {
      form.set('id', current.id);
      form.set('expectedVersion', String(current.version));
    }
    if (ids.includes(sentState.accountId)) form.set('accountId', sentState.accountId);
    form.set('step', sentStep);
    form.set('title', sentTitle);
    form.set('state', JSON.stringify(sentState));
    setSaving(true);
    setLastAttempt(Date.now());
    try {
      const result = await saveWizardDraftAction(null, form);
      setOffline(false);
      if (result.ok) {
        const record = result.value;
        setDraft({ id: record.id, version: record.version });
        latest.current = { ...latest.current, draft: { id: record.id, version: record.version } };
        setSavedAt(new Date(record.updatedAt).toISOString());
        setSaved({ state: sentState, step: sentStep });
        setNotice(null);
        if (!current) {
          // A reload (or a sign-in again) now resumes this draft, at its step.
          const url = new URL(window.location.href);
          url.search = new URLSearchParams({ draft: record.id }).toString();
          window.history.replaceState(window.history.state, '', url);
        }
      } else if (result.code === 'unauthenticated') {
        setNotice({ kind: 'signed_out' });
      } else if (result.code === 'not_found' && current) {
        // Discarded (or submitted) in another tab: what is on screen becomes a new draft.
        setDraft(null);
        latest.current = { ...latest.current, draft: null };
        setSaved(null);
      } else if (result.code === 'conflict' && current) {
        setNotice({ kind: 'conflict' });
      } else if (result.code === 'rate_limited') {
        setOffline(true);
      } else {
        const fields = Object.values(result.fieldErrors ?? {}).flat();
        setNotice({ kind: 'refused', message: [result.message, ...fields].join(' ') });
      }
    } catch {
      // The server could not be reached: the throttled save tries again.
      setOffline(true);
    }
  }, []);
  const stoppedRef = useRef(false);
  const save = useCallback((): Promise<void> => {
    if (inFlight.current) return inFlight.current;
    if (stoppedRef.current) return Promise.resolve();
    const promise = send().finally(() => {
      inFlight.current = null;
      setSaving(false);
    });
    inFlight.current = promise;
    return promise;
  }, [send]);

  // Set when the page is left on purpose (a reload of the latest draft): no prompt then.
  const leaving = useRef(false);

  const blocked = stopped || saving || notice !== null;

  // Throttled save: the first change waits until the interval since the last save has passed.
  useEffect(() => {
    if (!dirty || blocked) return;
    const wait = Math.max(0, lastAttempt + (offline ? RETRY_MS : AUTOSAVE_INTERVAL_MS) - Date.now());
    const timer = setTimeout(() => void save(), Math.max(wait, offline ? RETRY_MS : 300));
    return () => clearTimeout(timer);
  }, [dirty, blocked, lastAttempt, offline, save, state]);

  // A step change saves at once.
  const previousStep = useRef(step);
  useEffect(() => {
    if (previousStep.current === step) return;
    previousStep.current = step;
    if (dirty && !blocked) void save();
  }, [step, dirty, blocked, save]);

  // Signed in again in another tab: saving resumes when the person comes back to this one.
  useEffect(() => {
    if (notice?.kind !== 'signed_out') return;
    const resume = () => {
      setNotice(null);
      void save();
    };
    window.addEventListener('focus', resume);
    return () => window.removeEventListener('focus', resume);
  }, [notice, save]);

  useEffect(() => {
    if (!dirty && !saving) return;
    const ask = (event: BeforeUnloadEvent) => {
      if (leaving.current) return;
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty, saving]);

  const reloadLatest = useCallback(() => {
    const current = latest.current.draft;
    if (!current) return;
    leaving.current = true;
    // The address is `/roles/new?draft=<id>` since the first save: the page reads the draft as
    // stored (and repairs what it must) exactly as on a first visit.
    window.location.reload();
  }, []);

  const keepMine = useCallback(() => {
    setDraft(null);
    latest.current = { ...latest.current, draft: null };
    setSaved(null);
    setNotice(null);
    void save();
  }, [save]);

  const retry = useCallback(() => {
    setNotice(null);
    void save();
  }, [save]);

  const saveNow = useCallback(async () => {
    if (stopped) return;
    // A save already on its way may not hold the latest change: save again after it.
    if (inFlight.current) await inFlight.current;
    await save();
  }, [save, stopped]);

  const stop = useCallback(async () => {
    stoppedRef.current = true;
    setStopped(true);
    // A save on its way may still create the draft: wait for it, so the caller knows its id.
    if (inFlight.current) await inFlight.current;
    return latest.current.draft?.id ?? null;
  }, []);
  const resume = useCallback(() => {
    stoppedRef.current = false;
    setStopped(false);
  }, []);

  return {
    draftId: draft?.id ?? null,
    savedAt,
    dirty,
    offline,
    notice,
    saveNow,
    reloadLatest,
    keepMine,
    retry,
    stop,
    resume,
  };
}
