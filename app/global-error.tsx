'use client';

import './globals.css';

export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="bg-slate-50 font-sans text-slate-900">
        <title>Something went wrong · Rolesmith</title>
        <main className="mx-auto max-w-xl p-8">
          <h1 className="text-xl font-semibold">Something went wrong</h1>
          <p className="mt-2 text-slate-700">Rolesmith could not load. Nothing you submitted was lost.</p>
          <button
            type="button"
            onClick={() => retry()}
            className="mt-4 rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
