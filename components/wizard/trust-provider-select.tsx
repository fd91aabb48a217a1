'use client';

import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Field, FieldErrors } from '@/components/ui/field';
import { Select } from '@/components/ui/input';
import type { IdentityProvidersState } from '@/components/wizard/trust-providers';
import type { IdentityProviderRef } from '@/lib/wizard/account-reads';

/**
 * A select of the target account's identity providers of one kind (by URL or name), with what
 * to do while they load, when reading them failed, and when the account has none.
 */
export function TrustProviderSelect({
  id,
  label,
  kind,
  providers,
  retry,
  value,
  onChange,
  onBlur,
  errors,
  hint,
  accountLabel,
  noneMessage,
}: {
  id: string;
  label: string;
  kind: IdentityProviderRef['kind'];
  providers: IdentityProvidersState;
  retry: () => void;
  value: string;
  onChange: (arn: string) => void;
  onBlur: () => void;
  errors?: readonly string[];
  hint?: string;
  /** e.g. "acme-production (444455556666)". */
  accountLabel: string;
  /** What to do when the account has no provider of this kind. */
  noneMessage: string;
}) {
  const ofKind =
    providers.status === 'loaded' ? providers.providers.filter((provider) => provider.kind === kind) : [];
  if (providers.status !== 'loaded' || ofKind.length === 0) {
    // No select to show: the explanation stands where the field would be (an error summary's
    // link to the field lands on it), followed by the field's errors.
    return (
      <div id={id} tabIndex={-1} className="flex flex-col gap-1">
        {providers.status === 'idle' ? (
          <p className="text-sm text-slate-700">
            Choose the target account first: its providers are listed here.
          </p>
        ) : providers.status === 'loading' ? (
          <p role="status" className="text-sm text-slate-700">
            Reading the identity providers of {accountLabel}…
          </p>
        ) : providers.status === 'failed' ? (
          <Callout tone="error" role="alert" headingLevel={3} title="Could not read the identity providers">
            <p>{providers.message}</p>
            <div>
              <Button variant="secondary" size="sm" onClick={retry}>
                Try again
              </Button>
            </div>
          </Callout>
        ) : (
          <Callout
            tone="warning"
            headingLevel={3}
            title={`${accountLabel} has no ${kind === 'oidc' ? 'OpenID Connect' : 'SAML'} provider`}
          >
            <p>{noneMessage}</p>
          </Callout>
        )}
        <FieldErrors id={id} errors={errors} />
      </div>
    );
  }
  return (
    <Field id={id} label={label} hint={hint} errors={errors} className="max-w-xl">
      {(control) => (
        <Select {...control} value={value} onChange={(event) => onChange(event.target.value)} onBlur={onBlur}>
          <option value="">Choose a provider</option>
          {ofKind.map((provider) => (
            <option key={provider.arn} value={provider.arn}>
              {provider.name}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
