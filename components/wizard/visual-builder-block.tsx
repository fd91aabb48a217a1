'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ActionPicker } from '@/components/wizard/visual-builder-actions';
import { ConditionsEditor } from '@/components/wizard/visual-builder-conditions';
import { useServiceDetails } from '@/components/wizard/visual-builder-data';
import { ResourcePicker } from '@/components/wizard/visual-builder-resources';
import { ServicePicker } from '@/components/wizard/visual-builder-service';
import type { BuilderBlock } from '@/lib/wizard/builder-model';
import type { ServiceDetails } from '@/lib/wizard/catalogue-reads';

/** The service's action names in the console's order (by access level), for writing a block. */
export function actionOrderOf(details: ServiceDetails | null): string[] {
  return details ? details.actionsByLevel.flatMap((group) => group.actions.map((action) => action.name)) : [];
}

/**
 * One block of the visual builder: service → actions → resources → request conditions, Allow or
 * Deny, and Remove. Every change is handed up as the whole block, with the service's action order.
 */
export function BuilderBlockEditor({
  id,
  number,
  block,
  accountId,
  isNew,
  onChange,
  onRemove,
}: {
  id: string;
  /** 1-based, for headings and names. */
  number: number;
  block: BuilderBlock;
  accountId: string;
  /** Just added: focus goes to its service search. */
  isNew: boolean;
  onChange: (block: BuilderBlock, actionOrder: string[]) => void;
  onRemove: () => void;
}) {
  const details = useServiceDetails(block.service);
  const ready = details.status === 'ready' ? details.value : null;
  const [justPicked, setJustPicked] = useState(false);
  const change = (next: Partial<BuilderBlock>) => onChange({ ...block, ...next }, actionOrderOf(ready));
  const title = ready ? ready.name : block.service || 'Choose a service';
  const headingId = `${id}-title`;

  return (
    <section
      aria-labelledby={headingId}
      className="flex flex-col gap-4 rounded-lg border border-slate-300 bg-white p-4 shadow-xs"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h4 id={headingId} className="text-base font-semibold text-slate-900">
          {block.effect === 'Deny' ? 'Deny' : 'Allow'} · {title}
          <span className="sr-only"> (permission {number})</span>
          {block.actions.length > 0 ? (
            <span className="ml-2 text-sm font-normal text-slate-600">
              {block.actions.length} {block.actions.length === 1 ? 'action' : 'actions'}
            </span>
          ) : null}
        </h4>
        <Button
          variant="danger-secondary"
          size="sm"
          onClick={onRemove}
          aria-label={`Remove permission ${number} (${title})`}
        >
          Remove
        </Button>
      </div>

      {block.service ? (
        <div className="flex flex-wrap items-center gap-3 text-sm text-slate-900">
          <span>
            Service: <strong>{ready?.name ?? block.service}</strong>{' '}
            <span className="font-mono text-slate-600">({block.service})</span>
          </span>
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Change the service of permission ${number} (clears its actions and resources)`}
            onClick={() => change({ service: '', actions: [], resources: [] })}
          >
            Change service
          </Button>
        </div>
      ) : (
        <ServicePicker
          id={`${id}-service`}
          autoFocus={isNew}
          onPick={(service) => {
            setJustPicked(true);
            change({ service, actions: [] });
          }}
        />
      )}

      <fieldset className="flex flex-col gap-1">
        <legend className="text-sm font-medium text-slate-900">Effect</legend>
        <div className="flex gap-6">
          {(['Allow', 'Deny'] as const).map((effect) => (
            <label key={effect} className="inline-flex items-center gap-2 text-sm text-slate-900">
              <input
                type="radio"
                name={`${id}-effect`}
                className="focus-ring size-4 accent-indigo-700"
                checked={block.effect === effect}
                onChange={() => change({ effect })}
              />
              {effect}
            </label>
          ))}
        </div>
      </fieldset>

      {block.service ? (
        details.status === 'ready' ? (
          <>
            <ActionPicker
              id={`${id}-actions`}
              details={details.value}
              actions={block.actions}
              focusFilter={justPicked}
              onChange={(actions) => change({ actions })}
            />
            <ResourcePicker
              id={`${id}-resources`}
              details={details.value}
              actions={block.actions}
              resources={block.resources}
              accountId={accountId}
              onChange={(resources) => change({ resources })}
            />
            <ConditionsEditor
              id={`${id}-conditions`}
              conditions={block.conditions}
              conditionKeys={details.value.conditionKeys.map((key) => key.key)}
              onChange={(conditions) => change({ conditions })}
            />
          </>
        ) : details.status === 'failed' ? (
          <p role="alert" className="text-sm text-red-700">
            The actions of {block.service} could not be loaded: {details.message}
          </p>
        ) : (
          <p className="text-sm text-slate-700" role="status">
            Loading the actions of {block.service}…
          </p>
        )
      ) : null}
    </section>
  );
}
