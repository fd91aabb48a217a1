'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { arnTemplateFields, buildArn } from '@/lib/wizard/builder-model';
import type { ServiceDetails } from '@/lib/wizard/catalogue-reads';

/**
 * The block's resources: all resources (`*`), or specific ARNs — built from a resource type's
 * ARN template (one input per field, each with "Any"), "any in this account", or typed.
 */
export function ResourcePicker({
  id,
  details,
  actions,
  resources,
  accountId,
  onChange,
}: {
  id: string;
  details: ServiceDetails | null;
  actions: readonly string[];
  resources: readonly string[];
  accountId: string;
  onChange: (resources: string[]) => void;
}) {
  const all = resources.length === 1 && resources[0] === '*';
  const [specific, setSpecific] = useState(!all && resources.length > 0);
  const mode = all ? 'all' : specific || resources.length > 0 ? 'specific' : '';
  const [typed, setTyped] = useState('');

  // The resource types the chosen actions apply to (every type of the service while none is chosen).
  const chosen = new Set(actions.map((name) => name.toLowerCase()));
  const used = new Set(
    (details?.actionsByLevel ?? []).flatMap((group) =>
      group.actions
        .filter((action) => chosen.has(action.name.toLowerCase()))
        .flatMap((action) => action.resourceTypes.map((type) => type.name)),
    ),
  );
  const types = (details?.resourceTypes ?? []).filter((type) => used.has(type.name));

  function add(arn: string) {
    const value = arn.trim();
    if (!value || resources.includes(value)) return;
    onChange([...resources.filter((resource) => resource !== '*'), value]);
  }

  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="text-sm font-medium text-slate-900">Resources</legend>
      <div className="flex flex-wrap gap-x-6 gap-y-2">
        <label className="inline-flex items-center gap-2 text-sm text-slate-900">
          <input
            type="radio"
            name={`${id}-mode`}
            className="focus-ring size-4 accent-indigo-700"
            checked={mode === 'all'}
            onChange={() => {
              setSpecific(false);
              onChange(['*']);
            }}
          />
          All resources (<span className="font-mono">*</span>)
        </label>
        <label className="inline-flex items-center gap-2 text-sm text-slate-900">
          <input
            type="radio"
            name={`${id}-mode`}
            className="focus-ring size-4 accent-indigo-700"
            checked={mode === 'specific'}
            onChange={() => {
              setSpecific(true);
              if (all) onChange([]);
            }}
          />
          Specific resources
        </label>
      </div>
      {mode === 'specific' ? (
        <div className="flex flex-col gap-3 border-l-2 border-slate-200 pl-3">
          {resources.length > 0 ? (
            <ul aria-label="Resources in this statement" className="flex flex-col gap-1">
              {resources.map((arn) => (
                <li
                  key={arn}
                  className="flex items-center justify-between gap-2 rounded-md bg-slate-50 px-2 py-1"
                >
                  <span className="font-mono text-xs break-all text-slate-900">{arn}</span>
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Remove ${arn}`}
                    onClick={() => onChange(resources.filter((item) => item !== arn))}
                  >
                    Remove
                  </Button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-700">No resources yet: add at least one ARN.</p>
          )}
          {types.length === 0 ? (
            <p className="text-xs text-slate-600">
              Choose actions to build ARNs from the resource types they act on, or type an ARN.
            </p>
          ) : null}
          {types.map((type) => (
            <ArnTemplateForm
              key={type.name}
              id={`${id}-${type.name}`}
              name={type.name}
              template={type.arn}
              accountId={accountId}
              onAdd={add}
            />
          ))}
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-typed`} className="text-sm text-slate-800">
              Type an ARN
            </label>
            <div className="flex gap-2">
              <input
                id={`${id}-typed`}
                type="text"
                spellCheck={false}
                value={typed}
                placeholder={`arn:aws:${details?.prefix ?? 'service'}:…`}
                onChange={(event) => setTyped(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') {
                    event.preventDefault();
                    add(typed);
                    setTyped('');
                  }
                }}
                className="focus-ring w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm text-slate-900 shadow-xs"
              />
              <Button
                variant="secondary"
                className="shrink-0 whitespace-nowrap"
                disabled={!typed.trim()}
                onClick={() => {
                  add(typed);
                  setTyped('');
                }}
              >
                Add ARN
              </Button>
            </div>
          </div>
        </div>
      ) : null}
    </fieldset>
  );
}

/** One resource type's ARN, field by field: each field typed, or Any (`*`). */
function ArnTemplateForm({
  id,
  name,
  template,
  accountId,
  onAdd,
}: {
  id: string;
  name: string;
  template: string;
  accountId: string;
  onAdd: (arn: string) => void;
}) {
  const fields = arnTemplateFields(template);
  const [values, setValues] = useState<Record<string, string>>({});
  const [any, setAny] = useState<Record<string, boolean>>({});
  const filled = Object.fromEntries(fields.map((field) => [field, any[field] ? '' : (values[field] ?? '')]));
  const arn = buildArn(template, filled);
  return (
    <fieldset className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-900">
        ARN of a <span className="font-mono">{name}</span>
      </legend>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
        {fields.map((field) => {
          const fieldId = `${id}-${field}`;
          return (
            <div key={field} className="flex flex-col gap-1">
              <label htmlFor={fieldId} className="text-sm text-slate-800">
                {field}
              </label>
              <input
                id={fieldId}
                type="text"
                spellCheck={false}
                disabled={any[field] === true}
                value={any[field] ? '' : (values[field] ?? '')}
                placeholder={any[field] ? 'Any' : field === 'Account' ? accountId : ''}
                onChange={(event) => setValues((previous) => ({ ...previous, [field]: event.target.value }))}
                className="focus-ring w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-sm text-slate-900 disabled:bg-slate-100"
              />
              <label className="inline-flex items-center gap-2 text-xs text-slate-700">
                <input
                  type="checkbox"
                  className="focus-ring size-3.5 accent-indigo-700"
                  checked={any[field] === true}
                  onChange={(event) => setAny((previous) => ({ ...previous, [field]: event.target.checked }))}
                />
                Any {field}
              </label>
            </div>
          );
        })}
      </div>
      <p className="font-mono text-xs break-all text-slate-700" aria-live="polite">
        {arn}
      </p>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" size="sm" onClick={() => onAdd(arn)}>
          Add {name} ARN
        </Button>
        {fields.includes('Account') && /^\d{12}$/.test(accountId) ? (
          <Button variant="ghost" size="sm" onClick={() => onAdd(buildArn(template, { Account: accountId }))}>
            Any {name} in this account
          </Button>
        ) : null}
      </div>
    </fieldset>
  );
}
