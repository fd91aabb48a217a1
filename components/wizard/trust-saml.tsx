'use client';

import { useEffect } from 'react';
import { Button } from '@/components/ui/button';
import { ChoiceFieldset, RadioGroup } from '@/components/ui/choice';
import { Field } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { patchCard } from '@/components/wizard/trust-choices';
import { TrustProviderSelect } from '@/components/wizard/trust-provider-select';
import type { ProviderCardProps } from '@/components/wizard/trust-providers';
import { fieldDomId } from '@/components/wizard/wizard-steps';
import type { SamlAttributeCondition, SamlCard } from '@/lib/wizard/state';

/**
 * The SAML attributes most conditions use, offered first (IAM User Guide, "Available keys for
 * SAML-based AWS STS federation"); the server accepts every key AWS compares. `SAML:aud` is not
 * among them: console access writes it.
 */
const samlKeys = [
  'SAML:sub',
  'SAML:sub_type',
  'SAML:iss',
  'SAML:namequalifier',
  'SAML:edupersonaffiliation',
  'SAML:edupersonprincipalname',
  'SAML:edupersonorgunitdn',
  'SAML:edupersonentitlement',
  'SAML:cn',
  'SAML:mail',
  'SAML:uid',
  'SAML:doc',
] as const;

/**
 * The *SAML 2.0 federation* card: a SAML provider of the target account, and console plus
 * programmatic access or programmatic access only (which needs at least one attribute condition).
 */
export function TrustSaml(props: ProviderCardProps) {
  const { state, update, errors, touch, providers, retryProviders, accountLabel } = props;
  const card = state.saml;
  const set = (change: Partial<SamlCard>) => update((current) => patchCard(current, 'saml', change));
  const setRow = (index: number, change: Partial<SamlAttributeCondition>) =>
    update((current) =>
      patchCard(current, 'saml', {
        attributeConditions: current.saml.attributeConditions.map((row, at) =>
          at === index ? { ...row, ...change } : row,
        ),
      }),
    );
  const loaded = providers.status === 'loaded' ? providers.providers : null;

  // A provider chosen in another target account is not one of this account's.
  useEffect(() => {
    if (loaded && card.providerArn && !loaded.some((provider) => provider.arn === card.providerArn))
      update((current) => patchCard(current, 'saml', { providerArn: '' }));
  }, [loaded, card.providerArn, update]);

  const conditionsId = fieldDomId('saml.attributeConditions');

  return (
    <div className="flex flex-col gap-5">
      <TrustProviderSelect
        id={fieldDomId('saml.providerArn')}
        errors={errors['saml.providerArn']}
        label="SAML 2.0-based provider"
        kind="saml"
        providers={providers}
        retry={retryProviders}
        value={card.providerArn}
        onChange={(arn) => set({ providerArn: arn })}
        onBlur={() => touch('saml.providerArn')}
        accountLabel={accountLabel}
        noneMessage="Register the SAML identity provider in the account's IAM (Identity providers → Add provider → SAML) and come back, or choose another option."
      />
      <RadioGroup
        id={fieldDomId('saml.access')}
        name="saml.access"
        legend="Access to be allowed"
        inline={false}
        value={card.access}
        onValueChange={(value) => {
          const access = value === 'programmatic' ? 'programmatic' : 'console';
          // Programmatic access only needs a condition: offer the first row at once.
          set(
            access === 'programmatic' && card.attributeConditions.length === 0
              ? { access, attributeConditions: [{ key: 'SAML:sub', value: '' }] }
              : { access },
          );
        }}
        options={[
          {
            value: 'console',
            label: 'Allow programmatic and AWS Management Console access',
            description: 'Adds the condition SAML:aud = https://signin.aws.amazon.com/saml.',
          },
          {
            value: 'programmatic',
            label: 'Allow programmatic access only',
            description: 'Needs at least one condition on the SAML assertion’s attributes.',
          },
        ]}
      />

      {card.access === 'programmatic' ? (
        <ChoiceFieldset
          id={conditionsId}
          legend="Attribute conditions"
          hint="At least one: the role accepts assertions whose attributes have these values."
          errors={errors['saml.attributeConditions']}
          className="gap-3"
        >
          {card.attributeConditions.map((row, index) => {
            const keyField = `saml.attributeConditions.${index}.key`;
            const valueField = `saml.attributeConditions.${index}.value`;
            return (
              <div key={index} className="flex items-start gap-3">
                <Field
                  id={fieldDomId(keyField)}
                  label={`Attribute ${index + 1}`}
                  errors={errors[keyField]}
                  className="w-60 shrink-0"
                >
                  {(control) => (
                    <Select
                      {...control}
                      value={row.key}
                      onChange={(event) => setRow(index, { key: event.target.value })}
                      onBlur={() => touch(keyField)}
                    >
                      {(samlKeys as readonly string[]).includes(row.key) ? null : (
                        <option value={row.key}>{row.key || 'Choose a key'}</option>
                      )}
                      {samlKeys.map((key) => (
                        <option key={key} value={key}>
                          {key}
                        </option>
                      ))}
                    </Select>
                  )}
                </Field>
                <Field
                  id={fieldDomId(valueField)}
                  label={`Value ${index + 1}`}
                  errors={errors[valueField]}
                  className="min-w-0 flex-1"
                >
                  {(control) => (
                    <Input
                      {...control}
                      mono
                      autoComplete="off"
                      spellCheck={false}
                      value={row.value}
                      onChange={(event) => setRow(index, { value: event.target.value })}
                      onBlur={() => touch(valueField)}
                    />
                  )}
                </Field>
                <Button
                  variant="ghost"
                  size="sm"
                  className="mt-7 shrink-0"
                  aria-label={`Remove condition ${index + 1}`}
                  onClick={() =>
                    update((current) =>
                      patchCard(current, 'saml', {
                        attributeConditions: current.saml.attributeConditions.filter((_, at) => at !== index),
                      }),
                    )
                  }
                >
                  Remove
                </Button>
              </div>
            );
          })}
          <div>
            <Button
              variant="secondary"
              size="sm"
              onClick={() =>
                update((current) =>
                  patchCard(current, 'saml', {
                    attributeConditions: [
                      ...current.saml.attributeConditions,
                      { key: 'SAML:sub', value: '' },
                    ],
                  }),
                )
              }
            >
              Add condition
            </Button>
          </div>
        </ChoiceFieldset>
      ) : null}
    </div>
  );
}
