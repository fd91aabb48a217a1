'use client';

import { useEffect } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export default function SwitchRoleError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <Card className="mx-auto max-w-xl">
      <h1 className="text-xl font-semibold text-slate-900">The switch-role page could not be shown</h1>
      <p className="mt-2 text-slate-700">
        The sandbox emulator may be starting or busy. No role was assumed. Try again in a moment.
      </p>
      <Button className="mt-4" onClick={() => retry()}>
        Try again
      </Button>
    </Card>
  );
}
