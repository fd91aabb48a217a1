export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="mx-auto flex max-w-2xl flex-col gap-6">
      <span className="sr-only">Loading the switch-role form…</span>
      <div className="h-8 w-48 animate-pulse rounded bg-slate-200" />
      <div className="h-20 w-full animate-pulse rounded-lg bg-slate-200" />
      <div className="h-96 w-full animate-pulse rounded-lg bg-slate-200" />
    </div>
  );
}
