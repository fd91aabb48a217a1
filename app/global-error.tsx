'use client';

import './globals.css';
import { Button } from '@/components/ui/button';

export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="bg-slate-50 font-sans text-slate-900">
        <title>Something went wrong · Rolesmith</title>
        <main className="mx-auto max-w-xl p-8">
          <h1 className="text-xl font-semibold">Something went wrong</h1>
          <p className="mt-2 text-slate-700">Rolesmith could not load. Nothing you submitted was lost.</p>
          <Button className="mt-4" onClick={() => retry()}>
            Try again
          </Button>
        </main>
      </body>
    </html>
  );
}
