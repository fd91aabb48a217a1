'use client';

import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { FieldErrors, FieldHint } from '@/components/ui/field';
import { JsonEditor } from '@/components/wizard/json-editor';
import type { StepProps } from '@/components/wizard/step-props';
import { entityCardTitles, patchCard, switchToRecognizedCard } from '@/components/wizard/trust-choices';
import { fieldDomId } from '@/components/wizard/wizard-steps';

/**
 * The *Custom trust policy* card: the JSON editor, validated as the person types; a document
 * that one of the other cards writes exactly is offered back as that card.
 */
export function TrustCustom({ state, update, errors, touch, preview, jumpTo }: StepProps) {
  const id = fieldDomId('custom.document');
  const documentErrors = errors['custom.document'];
  const recognized = preview?.recognizedCard;
  const recognizedState = preview?.recognizedState;
  const described = [`${id}-hint`, documentErrors?.length ? `${id}-error` : null].filter(Boolean).join(' ');

  return (
    <div className="flex flex-col gap-3">
      {recognized && recognized !== 'custom' ? (
        <Callout tone="info" headingLevel={3} title={`Matches the ${entityCardTitles[recognized]} option`}>
          <p>
            This policy is what the <em>{entityCardTitles[recognized]}</em> option writes — use that option
            instead: its fields are easier to review and change.
            {recognizedState ? null : ' Choose it above and enter its fields.'}
          </p>
          {recognizedState ? (
            <div>
              <Button
                variant="secondary"
                size="sm"
                onClick={() => {
                  update((current) => switchToRecognizedCard(current, recognized, recognizedState));
                  // This card's fields go away with it: the keyboard continues on the chosen card.
                  document.getElementById(`${fieldDomId('entity')}-${recognized}`)?.focus();
                }}
              >
                Use the {entityCardTitles[recognized]} option
              </Button>
            </div>
          ) : null}
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
          // The preview calls the trust policy's document `trust`; the shell's note says `custom`.
          jumpTo={jumpTo && ['trust', 'custom'].includes(jumpTo.documentKey) ? jumpTo : null}
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
