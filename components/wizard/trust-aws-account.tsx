'use client';

import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Checkbox, RadioGroup } from '@/components/ui/choice';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import type { StepProps } from '@/components/wizard/step-props';
import { patchCard } from '@/components/wizard/trust-choices';
import { fieldDomId } from '@/components/wizard/wizard-steps';
import type { AwsAccountCard } from '@/lib/wizard/state';

/** A suggested external ID: random, unguessable, within `sts:ExternalId`'s character set. */
const suggestExternalId = () => crypto.randomUUID();

/**
 * The *AWS account* card: this account or another one (12 digits, or a portal account picked by
 * alias), *Require external ID* (with a generated suggestion) and *Require MFA*.
 */
export function TrustAwsAccount({ state, update, errors, touch, accounts }: StepProps) {
  const card = state.awsAccount;
  const set = (change: Partial<AwsAccountCard>) =>
    update((current) => patchCard(current, 'awsAccount', change));
  const target = accounts.find((account) => account.id === state.accountId);
  const picked = accounts.find((account) => account.id === card.accountId);
  const listId = fieldDomId('awsAccount.accountId-options');

  return (
    <div className="flex flex-col gap-5">
      <RadioGroup
        id={fieldDomId('awsAccount.which')}
        name="awsAccount.which"
        legend="An AWS account"
        inline={false}
        value={card.which}
        onValueChange={(value) => set({ which: value === 'this' ? 'this' : 'other' })}
        options={[
          {
            value: 'this',
            label: 'This account',
            description: target
              ? `${target.alias} (${target.id}), where the role is created`
              : 'The target account, where the role is created',
          },
          {
            value: 'other',
            label: 'Another AWS account',
            description: 'Principals of another account may assume the role once that account allows them.',
          },
        ]}
      />

      {card.which === 'other' ? (
        <Field
          id={fieldDomId('awsAccount.accountId')}
          label="Account ID"
          hint={
            card.accountId !== '' && card.accountId === state.accountId
              ? 'This is the target account itself: choose "This account" above.'
              : picked
                ? `${picked.alias}, one of the portal's target accounts.`
                : "12 digits. The list offers the portal's target accounts by alias."
          }
          errors={errors['awsAccount.accountId']}
          className="max-w-sm"
        >
          {(control) => (
            <>
              <Input
                {...control}
                mono
                inputMode="numeric"
                autoComplete="off"
                list={listId}
                placeholder="111122223333"
                value={card.accountId}
                // Digits only: a pasted "1111-2222-3333" keeps its digits.
                onChange={(event) => set({ accountId: event.target.value.replace(/\D/g, '') })}
                onBlur={() => touch('awsAccount.accountId')}
              />
              <datalist id={listId}>
                {accounts.map((account) => (
                  <option key={account.id} value={account.id} label={account.alias} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      ) : null}

      <fieldset className="flex flex-col gap-3">
        <legend className="text-sm font-medium text-slate-900">Options</legend>
        <Checkbox
          id={fieldDomId('awsAccount.requireExternalId')}
          label="Require external ID"
          hint="Best when a third party will assume this role: they must send the ID you agree on."
          checked={card.requireExternalId}
          onChange={(event) =>
            set({
              requireExternalId: event.target.checked,
              ...(event.target.checked && !card.externalId ? { externalId: suggestExternalId() } : {}),
            })
          }
        />
        {card.requireExternalId ? (
          <div className="ml-6 flex flex-col gap-3">
            <div className="flex flex-wrap items-end gap-2">
              <Field
                id={fieldDomId('awsAccount.externalId')}
                label="External ID"
                hint="A generated suggestion; change it to the one agreed with the third party."
                errors={errors['awsAccount.externalId']}
                className="min-w-72 flex-1"
              >
                {(control) => (
                  <Input
                    {...control}
                    mono
                    autoComplete="off"
                    value={card.externalId}
                    onChange={(event) => set({ externalId: event.target.value })}
                    onBlur={() => touch('awsAccount.externalId')}
                  />
                )}
              </Field>
            </div>
            <div>
              <Button variant="secondary" size="sm" onClick={() => set({ externalId: suggestExternalId() })}>
                Generate another
              </Button>
            </div>
            <Callout tone="warning" headingLevel={3} title="No console Switch Role">
              <p>
                A role that requires an external ID cannot be used from the console&apos;s Switch Role; people
                will use the AWS CLI or SDK.
              </p>
            </Callout>
          </div>
        ) : null}
        <Checkbox
          id={fieldDomId('awsAccount.requireMfa')}
          label="Require MFA"
          hint="Only sessions signed in with multi-factor authentication may assume the role."
          checked={card.requireMfa}
          onChange={(event) => set({ requireMfa: event.target.checked })}
        />
      </fieldset>
    </div>
  );
}
