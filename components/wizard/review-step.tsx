'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, useTransition, type ReactNode } from 'react';
import { submitWizardAction } from '@/app/(portal)/roles/new/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field, FieldErrors, FieldHint } from '@/components/ui/field';
import { Input, Select, Textarea } from '@/components/ui/input';
import { ReviewSections } from '@/components/wizard/review-sections';
import type { StepProps } from '@/components/wizard/step-props';
import { fieldDomId } from '@/components/wizard/wizard-steps';
import type { WizardFieldErrors } from '@/lib/wizard/preview-types';
import { roleNamePrefixNotes, roleNamePrefixWarnings } from '@/lib/wizard/role-name-prefix';
import { roleUsersLockedReason, type TagState, type WizardState } from '@/lib/wizard/state';

/** IAM's limit on a role's description. */
const DESCRIPTION_MAX = 1000;
/** IAM's limit on tags per role. */
const TAGS_MAX = 50;
const NAME_CHECK_DELAY_MS = 400;

type NameCheck =
  | { status: 'idle' }
  | { status: 'checking'; name: string }
  | { status: 'available' | 'taken' | 'invalid' | 'failed'; name: string; message: string };

/** Whether the role name is free in the target account, asked as the person types (debounced). */
function useRoleNameCheck(accountId: string, name: string, accountAlias: string | undefined): NameCheck {
  const [check, setCheck] = useState<NameCheck>({ status: 'idle' });
  const trimmed = name.trim();
  const ready = /^\d{12}$/.test(accountId) && trimmed !== '';
  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setCheck({ status: 'checking', name: trimmed });
      void (async () => {
        try {
          const response = await fetch(
            `/api/accounts/${encodeURIComponent(accountId)}/role-name?${new URLSearchParams({ name: trimmed }).toString()}`,
            { signal: controller.signal },
          );
          const body = (await response.json()) as {
            available?: boolean;
            takenBy?: 'role' | 'request';
            message?: string;
            fieldErrors?: Record<string, string[]>;
          };
          if (response.ok) {
            const where = accountAlias ?? accountId;
            setCheck({
              name: trimmed,
              status: body.available ? 'available' : 'taken',
              message: body.available
                ? `${trimmed} is available in ${where}.`
                : body.takenBy === 'role'
                  ? `Already exists in ${where}: ${body.message ?? ''}`
                  : (body.message ?? `${trimmed} is not available in ${where}.`),
            });
          } else if (response.status === 400) {
            setCheck({
              name: trimmed,
              status: 'invalid',
              message: body.fieldErrors?.name?.join(' ') ?? body.message ?? 'Check the role name.',
            });
          } else {
            setCheck({
              name: trimmed,
              status: 'failed',
              message: `Could not check whether the name is free: ${body.message ?? `HTTP ${response.status}`}`,
            });
          }
        } catch {
          if (!controller.signal.aborted)
            setCheck({
              name: trimmed,
              status: 'failed',
              message: 'Could not check whether the name is free (offline?).',
            });
        }
      })();
    }, NAME_CHECK_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [accountId, trimmed, ready, accountAlias]);
  return ready && check.status !== 'idle' && check.name === trimmed ? check : { status: 'idle' };
}

/** The tags the guardrails require but the state lacks, as empty rows (a single allowed value pre-filled). */
function missingRequiredTags(
  tags: readonly TagState[],
  required: readonly { key: string; allowedValues: string[] }[],
): TagState[] {
  return required
    .filter((tag) => !tags.some((row) => row.key === tag.key))
    .map((tag) => ({
      key: tag.key,
      value: tag.allowedValues.length === 1 ? (tag.allowedValues[0] ?? '') : '',
    }));
}

/** Lines under a field (hints or warnings), one item each; nothing without items unless `live`. */
function NoteList({
  id,
  items,
  live = false,
  className,
}: {
  id: string;
  items: { key: string; text: ReactNode }[];
  /** Announced as it changes: rendered (empty) even without items. */
  live?: boolean;
  className: string;
}) {
  if (!live && items.length === 0) return null;
  return (
    <ul id={id} aria-live={live ? 'polite' : undefined} className={className}>
      {items.map((item) => (
        <li key={item.key}>{item.text}</li>
      ))}
    </ul>
  );
}

export interface ReviewStepProps extends StepProps {
  /** Refreshes the preview and refuses (with the error summary) while any step has errors. */
  checkBeforeSubmit: () => Promise<boolean>;
  /** Field errors the server returned at Submit (mapped to their fields across steps). */
  onSubmitErrors: (errors: WizardFieldErrors) => void;
  /**
   * Stops autosave while submitting (a save after the request was created would make the draft
   * again) and resolves with the draft's id, which the submission removes.
   */
  pauseAutosave: () => Promise<string | null>;
  /** Autosave resumes after a refused submission. */
  resumeAutosave: () => void;
  /** The shell's Cancel and Back, shown in the row of Submit request. */
  cancelButton: ReactNode;
  backButton: ReactNode;
}

/**
 * Step 3, *Name, review, and create*: the role's name (checked for availability as it is typed),
 * path, description, maximum session duration, tags, the people who will use it and the
 * justification; then the review of everything in step order; then **Submit request**.
 */
export function ReviewStep(props: ReviewStepProps) {
  const { state, update, preview, errors, touch, accounts, goTo, servicePresets } = props;
  const router = useRouter();
  const [submitting, startSubmit] = useTransition();
  const alias = accounts.find((account) => account.id === state.accountId)?.alias;
  // A change keeps its name: nothing to check.
  const nameCheck = useRoleNameCheck(state.accountId, state.changeOf ? '' : state.name, alias);
  const guardrails = preview?.guardrails;
  const usersLocked = roleUsersLockedReason(state);
  const required = useMemo(() => guardrails?.requiredTags ?? [], [guardrails]);

  // Tags the guardrails require are there from the start, ready for their value.
  const missing = missingRequiredTags(state.tags, required);
  useEffect(() => {
    if (missing.length === 0) return;
    update((current) => ({
      ...current,
      tags: [...current.tags, ...missingRequiredTags(current.tags, required)],
    }));
  }, [missing.length, required, update]);

  const set = <K extends keyof WizardState>(key: K, value: WizardState[K]) =>
    update((current) => ({ ...current, [key]: value }));
  const setTag = (index: number, change: Partial<TagState>) =>
    update((current) => ({
      ...current,
      tags: current.tags.map((tag, at) => (at === index ? { ...tag, ...change } : tag)),
    }));
  const id = fieldDomId;

  const nameErrors = errors.name ?? (nameCheck.status === 'taken' ? [nameCheck.message] : undefined);
  // The chosen use cases' name prefixes: a hint, and a warning (never an error) when not met.
  const prefixNotes = roleNamePrefixNotes(state, servicePresets);
  const prefixWarnings = roleNamePrefixWarnings(prefixNotes, state.name, state.path);
  // A note whose warning shows is said once, by the warning.
  const prefixHints = prefixNotes.filter(
    (note) => !prefixWarnings.some((warning) => warning.presetId === note.presetId),
  );
  const tagMeter = preview?.meters.tags;

  const submit = () =>
    startSubmit(async () => {
      if (!(await props.checkBeforeSubmit())) return;
      const draftId = await props.pauseAutosave();
      const form = new FormData();
      form.set('state', JSON.stringify(state));
      if (draftId) form.set('draftId', draftId);
      const result = await submitWizardAction(null, form);
      if (result.ok) {
        router.push(`/requests/${result.value.requestId}`);
        return;
      }
      props.resumeAutosave();
      const fieldErrors = result.fieldErrors ?? {};
      props.onSubmitErrors(Object.keys(fieldErrors).length > 0 ? fieldErrors : { _form: [result.message] });
    });

  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="role-details-heading" className="flex flex-col gap-5">
        <h3 id="role-details-heading" className="text-base font-semibold text-slate-900">
          Role details
        </h3>
        <div className="flex flex-col gap-1">
          <label htmlFor={id('name')} className="text-sm font-medium text-slate-900">
            Role name
          </label>
          <div className="flex items-stretch">
            {guardrails?.roleNamePrefix ? (
              <span
                aria-hidden="true"
                className="inline-flex items-center rounded-l-md border border-r-0 border-slate-300 bg-slate-100 px-2 font-mono text-sm text-slate-700"
              >
                {guardrails.roleNamePrefix}…
              </span>
            ) : null}
            <Input
              id={id('name')}
              mono
              autoComplete="off"
              spellCheck={false}
              maxLength={64}
              value={state.name}
              readOnly={state.changeOf !== undefined}
              onChange={(event) => set('name', event.target.value)}
              onBlur={() => touch('name')}
              aria-invalid={nameErrors ? true : undefined}
              aria-describedby={`${id('name')}-hint${prefixHints.length > 0 ? ` ${id('name')}-prefix` : ''} ${id('name')}-status${prefixWarnings.length > 0 ? ` ${id('name')}-warning` : ''}${nameErrors ? ` ${id('name')}-error` : ''}`}
              className={guardrails?.roleNamePrefix ? 'rounded-l-none' : ''}
            />
          </div>
          <FieldHint id={id('name')}>
            {state.changeOf !== undefined
              ? 'A change keeps the role’s name: request a new role to use another.'
              : `${guardrails?.roleNamePrefix ? `Must start with ${guardrails.roleNamePrefix}. ` : ''}Up to 64 letters, digits and + = , . @ - _; unique in the account, whatever the capitalisation.`}
          </FieldHint>
          <NoteList
            id={`${id('name')}-prefix`}
            className="text-xs text-slate-700"
            items={prefixHints.map((note) => ({
              key: note.presetId,
              text: `${note.useCase}: ${note.text}.`,
            }))}
          />
          <p id={`${id('name')}-status`} role="status" className="min-h-5 text-sm">
            {nameCheck.status === 'checking' ? (
              <span className="text-slate-700">Checking availability…</span>
            ) : null}
            {nameCheck.status === 'available' ? (
              <span className="font-medium text-emerald-800">{nameCheck.message}</span>
            ) : null}
            {(nameCheck.status === 'invalid' || nameCheck.status === 'failed') && !errors.name ? (
              <span className="text-amber-900">{nameCheck.message}</span>
            ) : null}
          </p>
          {/* Kept on the page while a use case has a prefix, so a warning appearing is announced. */}
          {prefixNotes.length > 0 ? (
            <NoteList
              id={`${id('name')}-warning`}
              live
              className="flex flex-col gap-1 text-sm text-amber-900"
              items={prefixWarnings.map((warning) => ({
                key: warning.presetId,
                text: (
                  <>
                    <span className="font-semibold">Warning: </span>
                    {warning.text}
                  </>
                ),
              }))}
            />
          ) : null}
          <FieldErrors id={id('name')} errors={nameErrors} />
        </div>

        <Field
          id={id('path')}
          label="Path"
          errors={errors.path}
          hint={`Starts and ends with /${guardrails && guardrails.pathPrefix !== '/' ? `; must start with ${guardrails.pathPrefix}` : ''}. Most roles use /.`}
        >
          {(control) => (
            <Input
              {...control}
              mono
              value={state.path}
              onChange={(event) => set('path', event.target.value)}
              onBlur={() => touch('path')}
              className="max-w-md"
            />
          )}
        </Field>

        <Field
          id={id('description')}
          label="Description (optional)"
          errors={errors.description}
          hint={`${state.description.length} of ${DESCRIPTION_MAX} characters. Letters, digits, punctuation and spaces (Latin-1).`}
        >
          {(control) => (
            <Textarea
              {...control}
              rows={2}
              value={state.description}
              onChange={(event) => set('description', event.target.value)}
              onBlur={() => touch('description')}
            />
          )}
        </Field>

        <Field
          id={id('maxSessionHours')}
          label="Maximum session duration (hours)"
          errors={errors.maxSessionHours}
          hint={`From 1 to ${guardrails?.maxSessionHours ?? 12} hours. Set here, unlike in the console.`}
        >
          {(control) => (
            <Input
              {...control}
              type="number"
              inputMode="numeric"
              min={1}
              max={12}
              step={1}
              value={state.maxSessionHours}
              onChange={(event) => set('maxSessionHours', event.target.value)}
              onBlur={() => touch('maxSessionHours')}
              className="max-w-32"
            />
          )}
        </Field>

        <fieldset id={id('tags')} className="flex flex-col gap-2" aria-describedby={`${id('tags')}-hint`}>
          <legend className="text-sm font-medium text-slate-900">Tags</legend>
          <p id={`${id('tags')}-hint`} className="text-xs text-slate-600">
            {tagMeter ? `${tagMeter.used} of ${tagMeter.quota}` : `${state.tags.length} of ${TAGS_MAX}`} tags,
            counting the tag Rolesmith adds. Keys may not start with aws: or rolesmith:.
          </p>
          <FieldErrors id={id('tags')} errors={errors.tags} />
          {state.tags.length > 0 ? (
            <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] items-start gap-x-3 gap-y-2">
              <span className="text-xs font-medium text-slate-700" aria-hidden="true">
                Key
              </span>
              <span className="text-xs font-medium text-slate-700" aria-hidden="true">
                Value
              </span>
              <span />
              {state.tags.map((tag, index) => {
                const rule = required.find((entry) => entry.key === tag.key);
                const keyId = id(`tags.${index}.key`);
                const valueId = id(`tags.${index}.value`);
                const keyErrors = errors[`tags.${index}.key`];
                const valueErrors = errors[`tags.${index}.value`];
                return (
                  <div key={index} className="contents">
                    <div className="flex flex-col gap-1">
                      <label htmlFor={keyId} className="sr-only">
                        Tag {index + 1} key
                      </label>
                      <Input
                        id={keyId}
                        mono
                        value={tag.key}
                        readOnly={Boolean(rule)}
                        maxLength={128}
                        onChange={(event) => setTag(index, { key: event.target.value })}
                        onBlur={() => touch(`tags.${index}.key`)}
                        aria-invalid={keyErrors ? true : undefined}
                        aria-describedby={keyErrors ? `${keyId}-error` : undefined}
                      />
                      {rule ? <Badge className="self-start">Required by a guardrail</Badge> : null}
                      <FieldErrors id={keyId} errors={keyErrors} />
                    </div>
                    <div className="flex flex-col gap-1">
                      <label htmlFor={valueId} className="sr-only">
                        Tag {index + 1} value
                      </label>
                      {rule && rule.allowedValues.length > 0 ? (
                        <Select
                          id={valueId}
                          value={tag.value}
                          onChange={(event) => setTag(index, { value: event.target.value })}
                          onBlur={() => touch(`tags.${index}.value`)}
                          aria-invalid={valueErrors ? true : undefined}
                          aria-describedby={valueErrors ? `${valueId}-error` : undefined}
                        >
                          <option value="">Choose a value</option>
                          {rule.allowedValues.map((value) => (
                            <option key={value} value={value}>
                              {value}
                            </option>
                          ))}
                        </Select>
                      ) : (
                        <Input
                          id={valueId}
                          mono
                          value={tag.value}
                          maxLength={256}
                          onChange={(event) => setTag(index, { value: event.target.value })}
                          onBlur={() => touch(`tags.${index}.value`)}
                          aria-invalid={valueErrors ? true : undefined}
                          aria-describedby={valueErrors ? `${valueId}-error` : undefined}
                        />
                      )}
                      <FieldErrors id={valueId} errors={valueErrors} />
                    </div>
                    {rule ? (
                      <span />
                    ) : (
                      <Button
                        variant="secondary"
                        aria-label={`Remove tag ${index + 1}${tag.key ? ` (${tag.key})` : ''}`}
                        onClick={() =>
                          update((current) => ({
                            ...current,
                            tags: current.tags.filter((_, at) => at !== index),
                          }))
                        }
                      >
                        Remove
                      </Button>
                    )}
                  </div>
                );
              })}
            </div>
          ) : null}
          <div>
            <Button
              variant="secondary"
              size="sm"
              disabled={state.tags.length >= TAGS_MAX - 1}
              onClick={() =>
                update((current) => ({ ...current, tags: [...current.tags, { key: '', value: '' }] }))
              }
            >
              Add tag
            </Button>
          </div>
        </fieldset>

        {usersLocked ? (
          <div className="flex flex-col gap-1 text-sm">
            <p className="font-medium text-slate-900">People who use the role</p>
            <p className="text-slate-700">{usersLocked}</p>
            <p className="break-all whitespace-pre-line text-slate-900">
              {state.roleUsers.trim() || 'Nobody besides the owner'}
            </p>
          </div>
        ) : (
          <Field
            id={id('roleUsers')}
            label="People who will use the role (optional)"
            errors={errors.roleUsers}
            hint="E-mail addresses, one per line, besides you. They will see the role's summary and its access kit."
          >
            {(control) => (
              <Textarea
                {...control}
                mono
                rows={2}
                value={state.roleUsers}
                onChange={(event) => set('roleUsers', event.target.value)}
                onBlur={() => touch('roleUsers')}
              />
            )}
          </Field>
        )}

        <Field
          id={id('justification')}
          label="Justification"
          errors={errors.justification}
          hint="Why you need this role. The approver reads it with the request."
        >
          {(control) => (
            <Textarea
              {...control}
              rows={3}
              required
              value={state.justification}
              onChange={(event) => set('justification', event.target.value)}
              onBlur={() => touch('justification')}
            />
          )}
        </Field>
      </section>

      <ReviewSections
        state={state}
        preview={preview}
        accounts={accounts}
        goTo={goTo}
        onEditTags={() => {
          const element = document.getElementById(id('tags'));
          element?.scrollIntoView({ block: 'center' });
          element?.querySelector<HTMLElement>('input, button')?.focus();
        }}
      />

      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!submitting) submit();
        }}
        className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4"
      >
        {props.cancelButton}
        <div className="flex flex-wrap items-center gap-3">
          <p role="status" className="text-sm text-slate-700">
            {submitting ? 'Submitting your request…' : ''}
          </p>
          {props.backButton}
          <Button
            type="submit"
            aria-disabled={submitting || undefined}
            className="aria-disabled:cursor-wait aria-disabled:opacity-75"
          >
            {submitting ? 'Submitting…' : 'Submit request'}
          </Button>
        </div>
      </form>
    </div>
  );
}
