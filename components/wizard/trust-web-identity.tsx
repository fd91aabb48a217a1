'use client';

import { useEffect } from 'react';
import { Callout } from '@/components/ui/callout';
import { Checkbox, RadioGroup } from '@/components/ui/choice';
import { Field, FieldErrors } from '@/components/ui/field';
import { Input, Textarea } from '@/components/ui/input';
import {
  githubSubjectPreview,
  isGithubProviderArn,
  patchCard,
  splitLines,
  toggleLine,
} from '@/components/wizard/trust-choices';
import { TrustProviderSelect } from '@/components/wizard/trust-provider-select';
import type { ProviderCardProps } from '@/components/wizard/trust-providers';
import { fieldDomId } from '@/components/wizard/wizard-steps';
import { GITHUB_AUDIENCE, GITHUB_OIDC_HOST } from '@/lib/iam/github-subject';
import type { GithubRef, WebIdentityCard, WebIdentityProvider } from '@/lib/wizard/state';

const providerOptions: { value: WebIdentityProvider; label: string; description: string }[] = [
  { value: 'cognito', label: 'Amazon Cognito', description: 'Users of an identity pool' },
  { value: 'amazon', label: 'Login with Amazon', description: 'Users of an app registered with Amazon' },
  { value: 'facebook', label: 'Facebook', description: 'Users of a Facebook app' },
  { value: 'google', label: 'Google', description: 'Users of a Google OAuth client' },
  {
    value: 'oidc',
    label: 'OpenID Connect provider',
    description: "An OIDC identity provider registered in the target account's IAM",
  },
  {
    value: 'github_actions',
    label: 'GitHub Actions',
    description: 'Workflows of a GitHub organization, repository and branch or environment',
  },
];

const githubRefOptions: { value: GithubRef; label: string; description: string }[] = [
  {
    value: 'any',
    label: 'Any branch, tag or environment',
    description: 'Every workflow of the repository, pull requests included.',
  },
  { value: 'branch', label: 'A branch', description: 'Workflows that run on one branch.' },
  {
    value: 'environment',
    label: 'An environment',
    description: 'Jobs that use one deployment environment (its protection rules apply).',
  },
];

/**
 * The *Web identity* card: the identity provider decides the fields, as in the console; an IAM
 * OIDC provider and the GitHub Actions preset are read from the target account.
 */
export function TrustWebIdentity(props: ProviderCardProps) {
  const { state, update, errors, touch, providers, retryProviders, accountLabel } = props;
  const card = state.webIdentity;
  const set = (change: Partial<WebIdentityCard>) =>
    update((current) => patchCard(current, 'webIdentity', change));
  const loaded = providers.status === 'loaded' ? providers.providers : null;
  const githubArn = loaded?.find((provider) => isGithubProviderArn(provider.arn))?.arn ?? '';

  // The GitHub preset always uses the target account's GitHub provider (none: no ARN), and an
  // OIDC provider chosen in another account is not one of this account's.
  useEffect(() => {
    if (!loaded) return;
    const wanted =
      card.provider === 'github_actions'
        ? githubArn
        : card.provider === 'oidc' && !loaded.some((provider) => provider.arn === card.providerArn)
          ? ''
          : card.providerArn;
    if (wanted !== card.providerArn)
      update((current) => patchCard(current, 'webIdentity', { providerArn: wanted }));
  }, [loaded, githubArn, card.provider, card.providerArn, update]);

  const field = (name: keyof WebIdentityCard) => ({
    id: fieldDomId(`webIdentity.${name}`),
    errors: errors[`webIdentity.${name}`],
  });
  const text = (name: Exclude<keyof WebIdentityCard, 'provider' | 'amr' | 'githubRef'>) => ({
    value: card[name],
    onChange: (event: { target: { value: string } }) => set({ [name]: event.target.value }),
    onBlur: () => touch(`webIdentity.${name}`),
    autoComplete: 'off',
    spellCheck: false,
  });
  const chosenOidc = loaded?.find((provider) => provider.arn === card.providerArn);
  const subject = githubSubjectPreview(card);

  // The OIDC provider select; the GitHub preset shows it too while the providers load or fail.
  const providerSelect = (
    <TrustProviderSelect
      {...field('providerArn')}
      label="Provider URL"
      hint="The OpenID Connect providers registered in the account's IAM."
      kind="oidc"
      providers={providers}
      retry={retryProviders}
      value={card.providerArn}
      onChange={(arn) => {
        // A provider with one registered client ID: that is the audience, unless one is typed.
        const registered = loaded?.find((provider) => provider.arn === arn)?.audiences ?? [];
        set({
          providerArn: arn,
          ...(registered.length === 1 && card.audiences.trim() === '' ? { audiences: registered[0] } : {}),
        });
      }}
      onBlur={() => touch('webIdentity.providerArn')}
      accountLabel={accountLabel}
      noneMessage="Register the identity provider in the account's IAM (Identity providers → Add provider → OpenID Connect) and come back, or choose another option."
    />
  );

  return (
    <div className="flex flex-col gap-5">
      <RadioGroup
        id={fieldDomId('webIdentity.provider')}
        name="webIdentity.provider"
        legend="Identity provider"
        inline={false}
        value={card.provider}
        onValueChange={(value) => {
          const provider = providerOptions.find((option) => option.value === value)?.value;
          if (provider) set({ provider });
        }}
        options={providerOptions}
      />

      {card.provider === 'cognito' ? (
        <>
          <Field
            {...field('identityPoolId')}
            label="Identity pool ID"
            hint="e.g. us-east-1:0a1b2c3d-…"
            className="max-w-md"
          >
            {(control) => <Input {...control} mono {...text('identityPoolId')} />}
          </Field>
          <RadioGroup
            id={fieldDomId('webIdentity.amr')}
            name="webIdentity.amr"
            legend="Identities"
            value={card.amr}
            onValueChange={(value) =>
              set({ amr: value === 'unauthenticated' ? 'unauthenticated' : 'authenticated' })
            }
            options={[
              { value: 'authenticated', label: 'Authenticated' },
              { value: 'unauthenticated', label: 'Unauthenticated (guests)' },
            ]}
          />
        </>
      ) : null}

      {card.provider === 'amazon' || card.provider === 'facebook' ? (
        <Field {...field('appId')} label="Application ID" className="max-w-md">
          {(control) => <Input {...control} mono {...text('appId')} />}
        </Field>
      ) : null}

      {card.provider === 'google' ? (
        <Field
          {...field('audience')}
          label="Audience"
          hint="The OAuth client ID of your Google app."
          className="max-w-md"
        >
          {(control) => <Input {...control} mono {...text('audience')} />}
        </Field>
      ) : null}

      {card.provider === 'oidc' ? (
        <>
          {providerSelect}
          {chosenOidc && chosenOidc.audiences.length > 0 ? (
            <fieldset className="flex flex-col gap-2">
              <legend className="text-sm font-medium text-slate-900">
                Client IDs registered with the provider
              </legend>
              {chosenOidc.audiences.map((audience, index) => (
                <Checkbox
                  key={audience}
                  id={`${fieldDomId('webIdentity.audiences')}-registered-${index}`}
                  label={<code className="font-mono">{audience}</code>}
                  checked={splitLines(card.audiences).includes(audience)}
                  onChange={(event) =>
                    set({ audiences: toggleLine(card.audiences, audience, event.target.checked) })
                  }
                />
              ))}
            </fieldset>
          ) : null}
          <Field
            {...field('audiences')}
            label="Audiences"
            hint="One per line: the client IDs the role accepts."
            className="max-w-md"
          >
            {(control) => <Textarea {...control} mono rows={2} {...text('audiences')} />}
          </Field>
          <Field
            {...field('subjects')}
            label="Subjects (optional)"
            hint="One per line: the token's sub values allowed; * and ? match any characters."
            className="max-w-md"
          >
            {(control) => <Textarea {...control} mono rows={2} {...text('subjects')} />}
          </Field>
        </>
      ) : null}

      {card.provider === 'github_actions' ? (
        <>
          {providers.status === 'loaded' && !githubArn ? (
            <div id={fieldDomId('webIdentity.providerArn')} tabIndex={-1} className="flex flex-col gap-1">
              <Callout
                tone="warning"
                headingLevel={3}
                title={`${accountLabel} has no GitHub Actions provider`}
              >
                <p>
                  The GitHub Actions option needs the account&apos;s IAM OpenID Connect provider for{' '}
                  <code className="font-mono">{GITHUB_OIDC_HOST}</code>, and this account has none. An
                  administrator of the account adds it in IAM (Identity providers → Add provider → OpenID
                  Connect, provider URL <code className="font-mono">https://{GITHUB_OIDC_HOST}</code>,
                  audience <code className="font-mono">{GITHUB_AUDIENCE}</code>); then come back to this step,
                  or choose another target account.
                </p>
              </Callout>
              <FieldErrors
                id={fieldDomId('webIdentity.providerArn')}
                errors={errors['webIdentity.providerArn']}
              />
            </div>
          ) : providers.status === 'loaded' ? (
            <p className="text-sm text-slate-700">
              Uses the account&apos;s provider for <code className="font-mono">{GITHUB_OIDC_HOST}</code>, with
              audience <code className="font-mono">{GITHUB_AUDIENCE}</code>.
            </p>
          ) : (
            providerSelect
          )}
          <Field
            {...field('organization')}
            label="GitHub organization"
            hint="Required: the user or organization that owns the repositories."
            className="max-w-md"
          >
            {(control) => <Input {...control} mono required {...text('organization')} />}
          </Field>
          <Field
            {...field('repository')}
            label="GitHub repository (optional)"
            hint="Blank: any repository of the organization."
            className="max-w-md"
          >
            {(control) => <Input {...control} mono {...text('repository')} />}
          </Field>
          <RadioGroup
            id={fieldDomId('webIdentity.githubRef')}
            name="webIdentity.githubRef"
            errors={errors['webIdentity.githubRef']}
            legend="Branch or environment"
            inline={false}
            value={card.githubRef}
            onValueChange={(value) => {
              const githubRef = githubRefOptions.find((option) => option.value === value)?.value;
              if (githubRef) set({ githubRef });
            }}
            options={githubRefOptions}
          />
          {card.githubRef === 'branch' ? (
            <Field
              {...field('branch')}
              label="GitHub branch"
              hint="The branch name without refs/heads/, e.g. main or release/2.x."
              className="max-w-md"
            >
              {(control) => <Input {...control} mono required {...text('branch')} />}
            </Field>
          ) : card.githubRef === 'environment' ? (
            <Field
              {...field('environment')}
              label="GitHub environment"
              hint="The environment the workflow's job names (environment: production); its token carries the environment instead of the branch."
              className="max-w-md"
            >
              {(control) => <Input {...control} mono required {...text('environment')} />}
            </Field>
          ) : null}
          <dl className="flex flex-col gap-1 text-sm">
            <dt className="font-medium text-slate-900">
              Subject the role will accept (<code className="font-mono">{GITHUB_OIDC_HOST}:sub</code>)
            </dt>
            <dd>
              {subject ? (
                <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-900">{subject}</code>
              ) : (
                <span className="text-slate-700">
                  Type the organization
                  {card.githubRef === 'any' ? '' : ` and the ${card.githubRef}`} to see it.
                </span>
              )}
            </dd>
          </dl>
        </>
      ) : null}
    </div>
  );
}
