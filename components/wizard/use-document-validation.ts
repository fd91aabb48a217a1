'use client';

import { useEffect, useRef, useState } from 'react';
import type { Finding } from '@/lib/iam/findings';
import type { DocumentValidation } from '@/lib/wizard/validate-document';

/** How long typing must pause before the document is sent for validation. */
export const VALIDATION_DEBOUNCE_MS = 150;

export interface DocumentValidationRequest {
  kind: 'identity' | 'trust' | 'boundary';
  document: string;
  accountId: string;
  identityPolicyType?: 'inline' | 'managed';
  otherInlinePoliciesSize?: number;
}

export interface DocumentValidationState {
  /** The findings of the last answer, and the exact text they are about (positions refer to it). */
  findings: Finding[];
  omittedFindings: number;
  validatedText: string | null;
  /** A request is waiting for the debounce or the server. */
  pending: boolean;
  /** Why the last validation did not answer (rate limit, signed out, network), else null. */
  problem: string | null;
}

/**
 * Validates a policy document on the server as the person types: `POST /api/iam/validate`,
 * debounced, each new text aborting the request for the previous one, so only the latest text's
 * findings arrive. `onFindings` is called with each answer's findings.
 */
export function useDocumentValidation(
  request: DocumentValidationRequest,
  onFindings?: (findings: Finding[]) => void,
): DocumentValidationState {
  const [state, setState] = useState<DocumentValidationState>({
    findings: [],
    omittedFindings: 0,
    validatedText: null,
    pending: true,
    problem: null,
  });
  const onFindingsRef = useRef(onFindings);
  useEffect(() => {
    onFindingsRef.current = onFindings;
  }, [onFindings]);

  const { kind, document, accountId, identityPolicyType = 'inline', otherInlinePoliciesSize = 0 } = request;
  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setState((previous) => (previous.pending ? previous : { ...previous, pending: true }));
      const body = {
        kind,
        document,
        identityPolicyType,
        otherInlinePoliciesSize,
        ...(/^\d{12}$/.test(accountId) ? { accountId } : {}),
      };
      fetch('/api/iam/validate', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      })
        .then(async (response) => {
          if (!response.ok) {
            const problem =
              response.status === 429
                ? 'Checking paused: too many checks in a minute. It resumes shortly.'
                : response.status === 401
                  ? 'Checking stopped: sign in again to check the policy.'
                  : 'The policy could not be checked just now.';
            setState((previous) => ({ ...previous, pending: false, problem }));
            return;
          }
          const answer = (await response.json()) as DocumentValidation;
          setState({
            findings: answer.findings,
            omittedFindings: answer.omittedFindings,
            validatedText: document,
            pending: false,
            problem: null,
          });
          onFindingsRef.current?.(answer.findings);
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          setState((previous) => ({
            ...previous,
            pending: false,
            problem: `The policy could not be checked: ${error instanceof Error ? error.message : 'network error'}.`,
          }));
        });
    }, VALIDATION_DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [kind, document, accountId, identityPolicyType, otherInlinePoliciesSize]);

  return state;
}
