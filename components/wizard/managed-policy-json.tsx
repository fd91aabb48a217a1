'use client';

import { useState, type ReactNode } from 'react';
import { JsonBlock } from '@/components/wizard/json-block';
import { policyDetailsUrl } from '@/lib/wizard/permissions';

/** JSON folded until asked for: a `<details>` whose summary says what it holds. */
export function JsonDetails({
  summary,
  children,
  onOpen,
}: {
  summary: string;
  children: ReactNode;
  onOpen?: () => void;
}) {
  return (
    <details onToggle={(event) => event.currentTarget.open && onOpen?.()}>
      <summary className="focus-ring cursor-pointer rounded-sm text-indigo-800 underline underline-offset-2">
        {summary}
      </summary>
      {children}
    </details>
  );
}

/** A managed policy's JSON, fetched when its `<details>` is first opened. */
export function ManagedPolicyJson({ accountId, arn }: { accountId: string; arn: string }) {
  const [text, setText] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const load = async () => {
    if (text !== null) return;
    try {
      const response = await fetch(policyDetailsUrl(accountId, arn));
      const body = (await response.json()) as { document?: string; message?: string };
      if (response.ok && typeof body.document === 'string') setText(body.document);
      else setFailed(body.message ?? 'The policy could not be read.');
    } catch {
      setFailed('The policy could not be read (offline?).');
    }
  };
  return (
    <JsonDetails summary="Show JSON" onOpen={() => void load()}>
      {failed ? (
        <p className="mt-2 text-red-800">{failed}</p>
      ) : text === null ? (
        <p className="mt-2 text-slate-700" role="status">
          Loading…
        </p>
      ) : (
        <JsonBlock text={text} className="mt-2" />
      )}
    </JsonDetails>
  );
}
