'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { CONDITION_OPERATORS } from '@/lib/iam/condition-operators';
import { CONDITION_PRESETS, splitValues, type BuilderCondition } from '@/lib/wizard/builder-model';

/**
 * The block's request conditions (optional): rows of key, operator and values (values ORed, rows
 * ANDed), and the common ones one click away: MFA present, source IP, a time window, the
 * requested region, a resource tag.
 */
export function ConditionsEditor({
  id,
  conditions,
  conditionKeys,
  onChange,
}: {
  id: string;
  conditions: readonly BuilderCondition[];
  /** The service's own condition keys, offered as suggestions beside the global ones. */
  conditionKeys: readonly string[];
  onChange: (conditions: BuilderCondition[]) => void;
}) {
  const listId = `${id}-keys`;
  const update = (index: number, change: Partial<BuilderCondition>) =>
    onChange(conditions.map((condition, at) => (at === index ? { ...condition, ...change } : condition)));
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="text-sm font-medium text-slate-900">Request conditions (optional)</legend>
      <datalist id={listId}>
        {[
          'aws:MultiFactorAuthPresent',
          'aws:SourceIp',
          'aws:CurrentTime',
          'aws:RequestedRegion',
          'aws:PrincipalTag/',
          'aws:ResourceTag/',
          'aws:SecureTransport',
          ...conditionKeys,
        ].map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
      {conditions.map((condition, index) => {
        const rowId = `${id}-${index}`;
        const operators: readonly string[] = CONDITION_OPERATORS.includes(condition.operator)
          ? CONDITION_OPERATORS
          : [condition.operator, ...CONDITION_OPERATORS];
        return (
          <div
            key={index}
            role="group"
            aria-label={`Condition ${index + 1}`}
            className="grid grid-cols-1 items-end gap-2 rounded-md border border-slate-200 p-2 sm:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]"
          >
            <div className="flex flex-col gap-1">
              <label htmlFor={`${rowId}-key`} className="text-xs text-slate-800">
                Condition key
              </label>
              <input
                id={`${rowId}-key`}
                type="text"
                list={listId}
                spellCheck={false}
                value={condition.key}
                onChange={(event) => update(index, { key: event.target.value })}
                className="focus-ring w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-sm text-slate-900"
              />
            </div>
            <div className="flex flex-col gap-1">
              <label htmlFor={`${rowId}-operator`} className="text-xs text-slate-800">
                Operator
              </label>
              <select
                id={`${rowId}-operator`}
                value={condition.operator}
                onChange={(event) => update(index, { operator: event.target.value })}
                className="focus-ring rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900"
              >
                {operators.map((operator) => (
                  <option key={operator} value={operator}>
                    {operator}
                  </option>
                ))}
              </select>
            </div>
            <ValuesInput
              id={`${rowId}-values`}
              values={condition.values}
              onChange={(values) => update(index, { values })}
            />
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Remove condition ${index + 1}`}
              onClick={() => onChange(conditions.filter((_, at) => at !== index))}
            >
              Remove
            </Button>
          </div>
        );
      })}
      <div className="flex flex-wrap items-center gap-2">
        <Button
          variant="secondary"
          size="sm"
          onClick={() => onChange([...conditions, { operator: 'StringEquals', key: '', values: [''] }])}
        >
          Add condition
        </Button>
        <span className="text-xs text-slate-600">Common:</span>
        {CONDITION_PRESETS.map((preset) => (
          <Button
            key={preset.id}
            variant="ghost"
            size="sm"
            onClick={() =>
              onChange([
                ...conditions,
                ...preset.conditions.map((condition) => ({ ...condition, values: [...condition.values] })),
              ])
            }
          >
            + {preset.label}
          </Button>
        ))}
      </div>
    </fieldset>
  );
}

/** Values as typed, separated by commas: kept as typed while the list they stand for is unchanged. */
function ValuesInput({
  id,
  values,
  onChange,
}: {
  id: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
}) {
  const [text, setText] = useState(values.join(', '));
  const shown = splitValues(text).join('\u0000') === values.join('\u0000') ? text : values.join(', ');
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs text-slate-800">
        Values (any of, comma-separated)
      </label>
      <input
        id={id}
        type="text"
        spellCheck={false}
        value={shown}
        onChange={(event) => {
          setText(event.target.value);
          onChange(splitValues(event.target.value));
        }}
        className="focus-ring w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-sm text-slate-900"
      />
    </div>
  );
}
