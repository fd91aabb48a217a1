'use client';

import { useEffect } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

/** The error boundary's content for an admin page: a plain message and "Try again". */
export function AdminError({ error, retry, what }: { error: unknown; retry: () => void; what: string }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <Card className="max-w-xl">
      <h1 className="text-xl font-semibold text-slate-900">{what} could not be shown</h1>
      <p className="mt-2 text-slate-700">
        Something went wrong on the server. Nothing was changed by showing this page. Try again, and if it
        keeps failing, check the server&apos;s log.
      </p>
      <Button className="mt-4" onClick={() => retry()}>
        Try again
      </Button>
    </Card>
  );
}
