'use client';

import { useEffect } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export default function RoleSummaryError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <Card className="mx-auto max-w-xl">
      <h1 className="text-xl font-semibold text-slate-900">The role could not be shown</h1>
      <p className="mt-2 text-slate-700">
        Something went wrong while reading this role. Nothing was changed.
      </p>
      <Button className="mt-4" onClick={() => retry()}>
        Try again
      </Button>
    </Card>
  );
}
