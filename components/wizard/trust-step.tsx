'use client';

import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/input';
import { OptionCards } from '@/components/wizard/option-cards';
import type { StepProps } from '@/components/wizard/step-props';
import { TrustAwsAccount } from '@/components/wizard/trust-aws-account';
import { TrustAwsService } from '@/components/wizard/trust-aws-service';
import { customTrustSkeleton, entityCardTitles } from '@/components/wizard/trust-choices';
import { TrustCustom } from '@/components/wizard/trust-custom';
import { useIdentityProviders } from '@/components/wizard/trust-providers';
import { TrustSaml } from '@/components/wizard/trust-saml';
import { TrustWebIdentity } from '@/components/wizard/trust-web-identity';
import { fieldDomId } from '@/components/wizard/wizard-steps';
import { ENTITY_CARDS, type EntityCard } from '@/lib/wizard/state';

/** One line under each card's title, after the console's. */
const cardDescriptions: Record<EntityCard, string> = {
  aws_account: 'Principals of an AWS account: yours or a third party’s.',
  aws_service: 'A service such as EC2 or Lambda acting in this account.',
  web_identity: 'Users signed in with a web or OpenID Connect identity provider.',
  saml: 'Users of a corporate directory federated with SAML 2.0.',
  custom: 'A trust policy you write as JSON.',
};

const isEntityCard = (value: string): value is EntityCard =>
  (ENTITY_CARDS as readonly string[]).includes(value);

/**
 * Step 1, *Select trusted entity*: the target account, then the trusted entity type as option
 * cards, each with the console's fields. Every card keeps its own fields in the state, so that
 * switching card and back keeps what was typed; the preview column (the shell's) shows the trust
 * policy and who can assume the role as the choices change.
 */
export function TrustStep(props: StepProps) {
  const { state, update, errors, touch, accounts } = props;
  const providers = useIdentityProviders(
    state.accountId,
    state.entity === 'web_identity' || state.entity === 'saml',
  );
  const target = accounts.find((account) => account.id === state.accountId);
  const accountLabel = target ? `${target.alias} (${target.id})` : `Account ${state.accountId}`;
  const cardProps = { ...props, providers: providers.state, retryProviders: providers.retry, accountLabel };

  return (
    <div className="flex flex-col gap-6">
      <Field
        id={fieldDomId('accountId')}
        label="Target account"
        hint={
          state.changeOf !== undefined
            ? 'A change keeps the role’s account.'
            : 'Where the role will be created.'
        }
        errors={errors.accountId}
        className="max-w-md"
      >
        {(control) => (
          <Select
            {...control}
            value={state.accountId}
            disabled={state.changeOf !== undefined}
            onChange={(event) => update((current) => ({ ...current, accountId: event.target.value }))}
            onBlur={() => touch('accountId')}
          >
            {target ? null : <option value="">Choose the target account</option>}
            {accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.alias} ({account.id})
              </option>
            ))}
          </Select>
        )}
      </Field>

      <OptionCards
        id={fieldDomId('entity')}
        name="entity"
        legend="Trusted entity type"
        value={state.entity}
        errors={errors.entity}
        onBlur={() => touch('entity')}
        onValueChange={(value) => {
          if (!isEntityCard(value)) return;
          update((current) => ({
            ...current,
            entity: value,
            // The console's editor starts from a skeleton; a document already typed stays.
            ...(value === 'custom' && current.custom.document.trim() === ''
              ? { custom: { document: customTrustSkeleton } }
              : {}),
          }));
        }}
        options={ENTITY_CARDS.map((card) => ({
          value: card,
          title: entityCardTitles[card],
          description: cardDescriptions[card],
        }))}
      />

      <section
        aria-labelledby={`${fieldDomId('entity')}-fields`}
        className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4"
      >
        <h3 id={`${fieldDomId('entity')}-fields`} className="text-base font-semibold text-slate-900">
          {entityCardTitles[state.entity]}
        </h3>
        {state.entity === 'aws_account' ? <TrustAwsAccount {...props} /> : null}
        {state.entity === 'aws_service' ? <TrustAwsService {...props} /> : null}
        {state.entity === 'web_identity' ? <TrustWebIdentity {...cardProps} /> : null}
        {state.entity === 'saml' ? <TrustSaml {...cardProps} /> : null}
        {state.entity === 'custom' ? <TrustCustom {...props} /> : null}
      </section>
    </div>
  );
}
