'use client';

import { useEffect, useState } from 'react';
import type { StepProps } from '@/components/wizard/step-props';
import type { IdentityProviderRef } from '@/lib/wizard/account-reads';

export type IdentityProvidersState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'loaded'; providers: IdentityProviderRef[] }
  | { status: 'failed'; message: string };

/** Props of the cards that choose an identity provider of the target account (web identity, SAML). */
export type ProviderCardProps = StepProps & {
  providers: IdentityProvidersState;
  retryProviders: () => void;
  /** The target account as people read it, e.g. "acme-production (444455556666)". */
  accountLabel: string;
};

type Answer = { accountId: string; state: IdentityProvidersState };

/**
 * The target account's OIDC and SAML identity providers, read from
 * `GET /api/accounts/<id>/identity-providers` while `enabled` (the web identity and SAML cards
 * need them) and read again when the account changes. `retry` reads them again after a failure.
 */
export function useIdentityProviders(
  accountId: string,
  enabled: boolean,
): { state: IdentityProvidersState; retry: () => void } {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [attempt, setAttempt] = useState(0);
  const wanted = enabled && /^\d{12}$/.test(accountId);
  const alreadyLoaded = answer?.accountId === accountId && answer.state.status === 'loaded';

  useEffect(() => {
    if (!wanted || alreadyLoaded) return;
    const controller = new AbortController();
    fetch(`/api/accounts/${accountId}/identity-providers`, { signal: controller.signal })
      .then(async (response) => {
        const body = (await response.json()) as { providers?: IdentityProviderRef[]; message?: string };
        setAnswer({
          accountId,
          state:
            response.ok && body.providers
              ? { status: 'loaded', providers: body.providers }
              : { status: 'failed', message: body.message ?? `The server answered ${response.status}` },
        });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setAnswer({
          accountId,
          state: { status: 'failed', message: error instanceof Error ? error.message : 'Network error' },
        });
      });
    return () => controller.abort();
  }, [accountId, wanted, alreadyLoaded, attempt]);

  const state: IdentityProvidersState = !wanted
    ? { status: 'idle' }
    : answer?.accountId === accountId
      ? answer.state
      : { status: 'loading' };
  return {
    state,
    retry: () => {
      setAnswer(null);
      setAttempt((value) => value + 1);
    },
  };
}
