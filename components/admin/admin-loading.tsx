/** A skeleton of an admin page (heading, intro, table) while it loads. */
export function AdminLoading({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading {label}…</span>
      <div className="h-8 w-64 animate-pulse rounded bg-slate-200" />
      <div className="h-4 w-full max-w-2xl animate-pulse rounded bg-slate-200" />
      <div className="h-64 w-full animate-pulse rounded-lg bg-slate-200" />
    </div>
  );
}
