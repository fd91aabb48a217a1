'use client';

import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { FieldErrors, FieldHint } from '@/components/ui/field';
import { JsonEditor } from '@/components/wizard/json-editor';
import type { StepProps } from '@/components/wizard/step-props';
import {
  entityCardTitles,
  patchCard,
  switchToRecognizedCard,
  wizardFieldId,
} from '@/components/wizard/trust-choices';

/**
 * The *Custom trust policy* card: the JSON editor, validated as the person types; a document
 * that one of the other cards writes exactly is offered back as that card.
 */
export function TrustCustom({ state, update, errors, touch, preview }: StepProps) {
  const id = wizardFieldId('custom.document');
  const documentErrors = errors['custom.document'];
  const recognized = preview?.recognizedCard;
  const described = [`${id}-hint`, documentErrors?.length ? `${id}-error` : null].filter(Boolean).join(' ');

  return (
    <div className="flex flex-col gap-3">
      {recognized && recognized !== 'custom' ? (
        <Callout tone="info" headingLevel={3} title={`Matches the ${entityCardTitles[recognized]} option`}>
          <p>
            This policy is what the <em>{entityCardTitles[recognized]}</em> option writes — use that option
            instead: its fields are easier to review and change.
          </p>
          <div>
            <Button
              variant="secondary"
              size="sm"
              onClick={() =>
                update((current) => switchToRecognizedCard(current, recognized, preview.recognizedState))
              }
            >
              Use the {entityCardTitles[recognized]} option
            </Button>
          </div>
        </Callout>
      ) : null}
      <div className="flex flex-col gap-1" onBlur={() => touch('custom.document')}>
        <label htmlFor={id} className="text-sm font-medium text-slate-900">
          Trust policy
        </label>
        <JsonEditor
          id={id}
          describedBy={described}
          invalid={Boolean(documentErrors?.length)}
          value={state.custom.document}
          onChange={(text) => update((current) => patchCard(current, 'custom', { document: text }))}
          kind="trust"
          accountId={state.accountId}
          minLines={16}
        />
        <FieldHint id={id}>
          The whole trust policy document, as IAM will store it. Findings appear beside the editor and in the
          preview as you type.
        </FieldHint>
        <FieldErrors id={id} errors={documentErrors} />
      </div>
    </div>
  );
}
