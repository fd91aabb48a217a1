import type { ReactNode } from 'react';

/** What a list shows when it has nothing: one sentence why, and optionally the next action. */
export function EmptyState({
  title,
  children,
  action,
  className = '',
}: {
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  return (
    <div
      className={`flex flex-col items-start gap-2 rounded-lg border border-dashed border-slate-300 bg-white px-5 py-6 ${className}`}
    >
      <p className="font-medium text-slate-900">{title}</p>
      {children ? <div className="text-sm text-slate-700">{children}</div> : null}
      {action}
    </div>
  );
}
