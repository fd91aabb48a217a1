import type { ComponentProps, ReactNode } from 'react';
import { DataTable, Pagination } from '@/components/ui/data-table';

/**
 * The results of a list page (under its `TableFilters`): the problem when the list could not be read
 * (filters or a page link to fix), else the empty state when there are no rows, else a section with
 * a visually hidden heading, one line about the order and page, the table and its keyset pager.
 */
export function ListResults<T>({
  problem,
  empty,
  heading,
  summary,
  rows,
  pagination,
  ...table
}: {
  /** Shown instead of everything else when set (e.g. a `Callout` naming what to fix). */
  problem: ReactNode;
  /** Shown when there are no rows. */
  empty: ReactNode;
  /** The section's heading, for screen readers: `id` names the section, `text` must differ from the caption. */
  heading: { id: string; text: string };
  /** The line above the table: the order, whether this is a later page, hints. */
  summary: ReactNode;
  pagination: ComponentProps<typeof Pagination>;
} & ComponentProps<typeof DataTable<T>>) {
  if (problem) return problem;
  if (rows.length === 0) return empty;
  return (
    <section aria-labelledby={heading.id} className="flex min-w-0 flex-col gap-3">
      <h2 id={heading.id} className="sr-only">
        {heading.text}
      </h2>
      <p className="text-sm text-slate-700">{summary}</p>
      <DataTable rows={rows} {...table} />
      <Pagination {...pagination} />
    </section>
  );
}
