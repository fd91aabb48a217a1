/**
 * The skeleton a page shows while it loads: a heading, a line of text and a panel (`tall` for a
 * table). It names no page: Next sends a segment's loading element with the route's payload even
 * when a guard above it answers 404, so it must not tell what the page is.
 */
export function PageLoading({ tall = false }: { tall?: boolean }) {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading…</span>
      <div className="h-8 w-64 animate-pulse rounded bg-slate-200" />
      <div className="h-4 w-full max-w-2xl animate-pulse rounded bg-slate-200" />
      <div className={`${tall ? 'h-64' : 'h-40'} w-full animate-pulse rounded-lg bg-slate-200`} />
    </div>
  );
}
