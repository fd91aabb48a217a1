import type { ReactNode } from 'react';

export interface Description {
  term: ReactNode;
  details: ReactNode;
  /** A key for the row when `term` is not a string. */
  key?: string;
}

/** Key–value pairs (`dl`): terms in a narrow column beside their values, stacked on narrow screens. */
export function DescriptionList({
  items,
  className = '',
  dense = false,
}: {
  items: readonly Description[];
  className?: string;
  /** Smaller gaps, for lists inside cards. */
  dense?: boolean;
}) {
  return (
    <dl
      className={`grid grid-cols-[max-content_minmax(0,1fr)] text-sm ${dense ? 'gap-x-4 gap-y-1' : 'gap-x-6 gap-y-3'} ${className}`}
    >
      {items.map((item, index) => (
        <div key={item.key ?? (typeof item.term === 'string' ? item.term : index)} className="contents">
          <dt className="font-medium text-slate-700">{item.term}</dt>
          <dd className="min-w-0 break-words text-slate-900">{item.details}</dd>
        </div>
      ))}
    </dl>
  );
}
