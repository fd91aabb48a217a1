/** The skeleton a portal page shows while it loads: a heading, a line of text and a panel. */
export function PageLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading…</span>
      <div className="h-8 w-64 animate-pulse rounded bg-slate-200" />
      <div className="h-4 w-full max-w-2xl animate-pulse rounded bg-slate-200" />
      <div className="h-40 w-full animate-pulse rounded-lg bg-slate-200" />
    </div>
  );
}
