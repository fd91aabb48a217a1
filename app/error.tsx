'use client';

import { useEffect } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest =
    typeof error === 'object' && error !== null && 'digest' in error ? String(error.digest) : null;
  return (
    <Card className="max-w-xl">
      <h1 className="text-xl font-semibold text-slate-900">Something went wrong</h1>
      <p className="mt-2 text-slate-700">
        Rolesmith could not show this page. Nothing you submitted was lost. Try again, and if it keeps
        failing, give your administrator the reference below.
      </p>
      {digest ? <p className="mt-2 font-mono text-sm text-slate-700">Reference: {digest}</p> : null}
      <Button className="mt-4" onClick={() => retry()}>
        Try again
      </Button>
    </Card>
  );
}
