import Link from 'next/link';
import type { ReactNode } from 'react';
import { Button, TextLink } from '@/components/ui/button';
import type { SortDirection, SortState } from '@/lib/search-params';

export interface Column<T> {
  id: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** This column names the row (`th scope="row"`). */
  rowHeader?: boolean;
  /** The header is a link that sorts by this column (see `sortHref`). */
  sortable?: boolean;
  className?: string;
}

function SortIcon({ direction }: { direction: SortDirection | null }) {
  return (
    <span aria-hidden="true" className={direction ? 'text-indigo-800' : 'text-slate-400'}>
      {direction === 'asc' ? '▲' : direction === 'desc' ? '▼' : '↕'}
    </span>
  );
}

/**
 * A table of rows, server-rendered. Sorting, filters and pages live in the URL: a sortable
 * column's header is a link built by `sortHref`, and the header carries `aria-sort`. Wide tables
 * scroll sideways inside their border (set `minWidth`) and the scroll area can be focused.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  sort = null,
  sortHref,
  minWidth,
  className = '',
}: {
  /** The table's name, read by screen readers (visually hidden). */
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  sort?: SortState | null;
  /** The URL that sorts by `column` in `direction` (first page). */
  sortHref?: (column: string, direction: SortDirection) => string;
  /** e.g. `min-w-[56rem]`, for tables that scroll on narrow screens rather than squeeze. */
  minWidth?: string;
  className?: string;
}) {
  return (
    <div
      className={`focus-ring overflow-x-auto rounded-lg border border-slate-200 bg-white ${className}`}
      tabIndex={minWidth ? 0 : undefined}
      role={minWidth ? 'region' : undefined}
      aria-label={minWidth ? caption : undefined}
    >
      <table className={`w-full border-collapse text-left text-sm ${minWidth ?? ''}`}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50">
          <tr className="border-b border-slate-300">
            {columns.map((column) => {
              const direction = sort?.column === column.id ? sort.direction : null;
              const next: SortDirection = direction === 'asc' ? 'desc' : 'asc';
              return (
                <th
                  key={column.id}
                  scope="col"
                  aria-sort={
                    column.sortable
                      ? direction === 'asc'
                        ? 'ascending'
                        : direction === 'desc'
                          ? 'descending'
                          : 'none'
                      : undefined
                  }
                  className="px-3 py-2 font-medium text-slate-900"
                >
                  {column.sortable && sortHref ? (
                    <Link
                      href={sortHref(column.id, next)}
                      className="focus-ring inline-flex items-center gap-1 rounded-sm hover:text-indigo-800"
                    >
                      {column.header}
                      <SortIcon direction={direction} />
                    </Link>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className="border-b border-slate-200 align-top last:border-b-0">
              {columns.map((column) =>
                column.rowHeader ? (
                  <th
                    key={column.id}
                    scope="row"
                    className={`px-3 py-2 font-medium ${column.className ?? ''}`}
                  >
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={column.id} className={`px-3 py-2 ${column.className ?? ''}`}>
                    {column.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A list's filters: a GET form (so they land in the URL), its Filter button and a Clear link. */
export function TableFilters({
  action,
  label,
  isFiltered,
  children,
  className = '',
}: {
  /** The list's path, e.g. `/audit`. */
  action: string;
  /** The search landmark's name, e.g. "Filter the audit log". */
  label: string;
  isFiltered: boolean;
  children: ReactNode;
  /** Grid columns for the fields and the buttons, e.g. `sm:grid-cols-[2fr_1fr_auto]`. */
  className?: string;
}) {
  return (
    <form
      method="get"
      action={action}
      role="search"
      aria-label={label}
      className={`grid gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:items-end ${className}`}
    >
      {children}
      <div className="flex items-center gap-3 sm:pb-0.5">
        {/* Secondary: the page's one primary button is its own action (Create role). */}
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {isFiltered ? (
          <TextLink href={action} className="text-sm">
            Clear
          </TextLink>
        ) : null}
      </div>
    </form>
  );
}

/** Keyset pages: back to the first page, and on to the next one (or the list's end). */
export function Pagination({
  label,
  firstHref,
  firstLabel = '← First page',
  nextHref,
  nextLabel = 'Next page →',
  endLabel = null,
}: {
  label: string;
  /** Set when not on the first page. */
  firstHref?: string | null;
  firstLabel?: string;
  nextHref: string | null;
  nextLabel?: string;
  /** Said on the last page (e.g. "End of the log."); with none, a list of one page shows no pagination. */
  endLabel?: string | null;
}) {
  if (!firstHref && !nextHref && endLabel === null) return null;
  return (
    <nav aria-label={label} className="flex flex-wrap gap-4 text-sm">
      {firstHref ? <TextLink href={firstHref}>{firstLabel}</TextLink> : null}
      {nextHref ? (
        <TextLink href={nextHref}>{nextLabel}</TextLink>
      ) : endLabel ? (
        <span className="text-slate-600">{endLabel}</span>
      ) : null}
    </nav>
  );
}
