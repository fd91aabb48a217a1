import { z } from 'zod';

/**
 * A list page's state in its URL (filters, sort, keyset cursor), read with zod and written back
 * as links, so that a link shows what its sender saw. Pages read `searchParams` with
 * {@link parseListParams} and build every link of the list with {@link listHref}.
 */

/** Next's `searchParams`, as a page receives them. */
export type RawSearchParams = Record<string, string | string[] | undefined>;

export type SortDirection = 'asc' | 'desc';

export interface SortState<C extends string = string> {
  column: C;
  direction: SortDirection;
}

export interface ListSpec<F extends string, C extends string> {
  /** The page's path, e.g. `/accounts`. */
  pathname: string;
  /** Filter parameters; each is a string, empty meaning "no filter". */
  filters: readonly F[];
  /** Sortable columns, with the default order. Absent: the list has one fixed order. */
  sort?: { columns: readonly [C, ...C[]]; default: SortState<C> };
  /** The keyset cursor's parameter name (`after` unless the list calls it otherwise). */
  cursor?: string;
}

export interface ListParams<F extends string, C extends string> {
  filters: Record<F, string>;
  /** The order asked for, or the default when the URL's is absent or unknown. */
  sort: SortState<C> | null;
  /** The cursor as given (checked by whoever decodes it); empty on the first page. */
  cursor: string;
}

const firstValue = z.preprocess(
  (value) => (Array.isArray(value) ? (value as unknown[])[0] : value),
  z.string().trim().max(2048).catch(''),
);

/**
 * A search parameter for a `lib` schema: its first value, trimmed; empty or absent means "no
 * filter" (undefined), anything else is checked by `schema`.
 */
export const optionalParam = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    const text: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
    return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
  }, schema.optional());

/** The first value of a search parameter, trimmed; empty when absent or not text. */
export function firstParam(value: string | string[] | undefined): string {
  return firstValue.parse(value ?? '');
}

/**
 * Reads a list's state from its search parameters. Filters are returned as text for the page's
 * own `lib` call to validate (it reports field errors); an unknown sort column or direction
 * falls back to the default, so a stale or edited link still shows the list.
 */
export function parseListParams<F extends string, C extends string>(
  raw: RawSearchParams,
  spec: ListSpec<F, C>,
): ListParams<F, C> {
  const filters = Object.fromEntries(spec.filters.map((name) => [name, firstParam(raw[name])])) as Record<
    F,
    string
  >;
  let sort: SortState<C> | null = null;
  if (spec.sort) {
    const fallback = spec.sort.default;
    const schema = z.object({
      sort: z.enum(spec.sort.columns).catch(fallback.column),
      dir: z.enum(['asc', 'desc']).catch(fallback.direction),
    });
    const parsed = schema.parse({ sort: firstParam(raw.sort), dir: firstParam(raw.dir) });
    sort = { column: parsed.sort, direction: parsed.dir };
  }
  return { filters, sort, cursor: firstParam(raw[spec.cursor ?? 'after']) };
}

/**
 * The list's URL with `changes` applied. Empty filters and the default order are left out, so
 * one state has one URL. Changing a filter or the order starts again at the first page (a
 * cursor belongs to one filter and order); pass `cursor` to go to another page.
 */
export function listHref<F extends string, C extends string>(
  spec: ListSpec<F, C>,
  current: ListParams<F, C>,
  changes: { filters?: Partial<Record<F, string>>; sort?: SortState<C>; cursor?: string } = {},
): string {
  const query = new URLSearchParams();
  const filters = { ...current.filters, ...changes.filters };
  for (const name of spec.filters) {
    const value = filters[name];
    if (value) query.set(name, value);
  }
  const sort = changes.sort ?? current.sort;
  const fallback = spec.sort?.default;
  if (sort && fallback && (sort.column !== fallback.column || sort.direction !== fallback.direction)) {
    query.set('sort', sort.column);
    query.set('dir', sort.direction);
  }
  const restart = changes.filters !== undefined || changes.sort !== undefined;
  const cursor = changes.cursor ?? (restart ? '' : current.cursor);
  if (cursor) query.set(spec.cursor ?? 'after', cursor);
  const text = query.toString();
  return text ? `${spec.pathname}?${text}` : spec.pathname;
}

/** The direction a column's header link asks for: the other one when it is the sorted column. */
export function nextSortDirection<C extends string>(current: SortState<C> | null, column: C): SortDirection {
  return current?.column === column && current.direction === 'asc' ? 'desc' : 'asc';
}

type SortValue = string | number;
const cursorSchema = z.tuple([z.union([z.string(), z.number()]), z.string()]);

/** A keyset cursor: the last row's sort value and id, opaque in the URL. */
export function encodeKeysetCursor(value: SortValue, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

/** The sort value and id of a cursor from {@link encodeKeysetCursor}; `null` if it does not decode. */
export function decodeKeysetCursor(cursor: string): [SortValue, string] | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function compare(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en');
}

/**
 * Sorts an in-memory list by a column (ties broken by id, so the order is total) and returns the
 * page after `cursor`: the rows whose (value, id) come after the cursor's, as keyset pagination
 * does in SQL, so a row added or removed between two pages shifts nothing. A cursor that does
 * not decode gives the first page.
 */
export function keysetPage<T>(
  rows: readonly T[],
  options: {
    value: (row: T) => SortValue;
    id: (row: T) => string;
    direction: SortDirection;
    cursor: string;
    limit: number;
  },
): { rows: T[]; nextCursor: string | null } {
  const sign = options.direction === 'asc' ? 1 : -1;
  const order = (a: [SortValue, string], b: [SortValue, string]) =>
    sign * (compare(a[0], b[0]) || compare(a[1], b[1]));
  const keyed = rows.map((row) => ({
    row,
    key: [options.value(row), options.id(row)] as [SortValue, string],
  }));
  keyed.sort((a, b) => order(a.key, b.key));
  const after = options.cursor ? decodeKeysetCursor(options.cursor) : null;
  const rest = after ? keyed.filter((entry) => order(entry.key, after) > 0) : keyed;
  const page = rest.slice(0, options.limit);
  const last = page.at(-1);
  return {
    rows: page.map((entry) => entry.row),
    nextCursor: rest.length > options.limit && last ? encodeKeysetCursor(last.key[0], last.key[1]) : null,
  };
}

/** The links a list page renders: sorting by a column, the first page, the next page. */
export interface ListLinks {
  /** A column the list cannot sort by links to its default order. */
  sortHref: (column: string, direction: SortDirection) => string;
  /** Null on the first page. */
  firstHref: string | null;
  /** Null on the last page. */
  nextHref: string | null;
}

/** Every link of a list page in one place, for its table and pagination. */
export function listLinks<F extends string, C extends string>(
  spec: ListSpec<F, C>,
  current: ListParams<F, C>,
  nextCursor: string | null,
): ListLinks {
  const isColumn = (column: string): column is C =>
    spec.sort?.columns.some((name) => name === column) ?? false;
  return {
    sortHref: (column, direction) =>
      listHref(spec, current, { sort: isColumn(column) ? { column, direction } : spec.sort?.default }),
    firstHref: current.cursor ? listHref(spec, current, { cursor: '' }) : null,
    nextHref: nextCursor ? listHref(spec, current, { cursor: nextCursor }) : null,
  };
}

/**
 * One page of a list held in memory (a few hundred rows at most, e.g. target accounts): sorted
 * by the URL's column (ties by id), the keyset page after the URL's cursor, and its links.
 */
export function listPage<T, F extends string, C extends string>(
  rows: readonly T[],
  spec: ListSpec<F, C> & { sort: NonNullable<ListSpec<F, C>['sort']> },
  current: ListParams<F, C>,
  options: { sortValue: Readonly<Record<C, (row: T) => SortValue>>; id: (row: T) => string; limit: number },
): { rows: T[]; sort: SortState<C>; links: ListLinks } {
  const sort = current.sort ?? spec.sort.default;
  const page = keysetPage(rows, {
    value: options.sortValue[sort.column],
    id: options.id,
    direction: sort.direction,
    cursor: current.cursor,
    limit: options.limit,
  });
  return { rows: page.rows, sort, links: listLinks(spec, current, page.nextCursor) };
}
