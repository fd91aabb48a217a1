'use client';

import { useEffect, useState } from 'react';
import { CodeViewer } from '@/components/ui/code-viewer';
import { AccessSummaryTable } from '@/components/wizard/access-summary-table';
import type { ManagedPolicyDetails } from '@/lib/wizard/account-reads';
import { policyDetailsUrl } from '@/lib/wizard/permissions';

type Loaded =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ok'; policy: ManagedPolicyDetails };

/** Reads an error answer of a read route (`{ message }`), or says what went wrong. */
export async function readRouteError(response: Response): Promise<string> {
  const body: unknown = await response.json().catch(() => null);
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string')
    return body.message;
  return `The portal answered ${response.status}. Try again.`;
}

/**
 * One managed policy's access summary and JSON document, read when shown
 * (`GET /api/accounts/<id>/policies/<arn>`). Give it `key={arn}`: it reads once per mount.
 */
export function PolicyDetails({
  accountId,
  arn,
  name,
  headingLevel = 4,
}: {
  accountId: string;
  arn: string;
  name: string;
  /** The level of its "Permissions summary" and "Policy document" headings. */
  headingLevel?: 4 | 5;
}) {
  const Heading = headingLevel === 4 ? 'h4' : 'h5';
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    fetch(policyDetailsUrl(accountId, arn), { signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) {
          setLoaded({ status: 'error', message: await readRouteError(response) });
          return;
        }
        setLoaded({ status: 'ok', policy: (await response.json()) as ManagedPolicyDetails });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setLoaded({
          status: 'error',
          message:
            error instanceof Error ? `Could not load ${name}: ${error.message}` : `Could not load ${name}.`,
        });
      });
    return () => controller.abort();
  }, [accountId, arn, name]);

  if (loaded.status === 'loading') {
    return (
      <p role="status" className="text-sm text-slate-700">
        Loading {name}…
      </p>
    );
  }
  if (loaded.status === 'error') {
    return (
      <p role="alert" className="text-sm text-red-800">
        {loaded.message}
      </p>
    );
  }
  const { policy } = loaded;
  return (
    <div className="flex flex-col gap-3">
      <p className="font-mono text-xs break-all text-slate-700">{policy.arn}</p>
      {policy.description ? <p className="text-sm text-slate-800">{policy.description}</p> : null}
      <div className="flex flex-col gap-1">
        <Heading className="text-sm font-semibold text-slate-900">Permissions summary</Heading>
        <div
          role="region"
          aria-label={`Access granted by ${policy.name}`}
          tabIndex={0}
          className="focus-ring max-h-72 overflow-y-auto rounded-lg"
        >
          <AccessSummaryTable
            caption={`Access granted by ${policy.name}`}
            services={policy.access.services}
            omittedServices={policy.access.omittedServices}
            unrecognizedActions={policy.access.unrecognizedActions}
          />
        </div>
      </div>
      <div className="flex flex-col gap-1">
        <Heading className="text-sm font-semibold text-slate-900">Policy document</Heading>
        <CodeViewer json={policy.document} label={`${policy.name} policy document`} maxHeight="max-h-72" />
      </div>
    </div>
  );
}
