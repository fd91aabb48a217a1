import { describe, expect, it } from 'vitest';
import {
  keysetPage,
  listHref,
  listLinks,
  listPage,
  parseListParams,
  type ListSpec,
} from '@/lib/search-params';

const spec: ListSpec<'q' | 'state', 'alias' | 'requests'> = {
  pathname: '/accounts',
  filters: ['q', 'state'],
  sort: { columns: ['alias', 'requests'], default: { column: 'alias', direction: 'asc' } },
};

describe('parseListParams', () => {
  it('reads filters (first value, trimmed), the order and the cursor', () => {
    expect(
      parseListParams({ q: ['  prod ', 'other'], sort: 'requests', dir: 'desc', after: 'abc' }, spec),
    ).toEqual({
      filters: { q: 'prod', state: '' },
      sort: { column: 'requests', direction: 'desc' },
      cursor: 'abc',
    });
  });

  it.each([
    [{}, { column: 'alias', direction: 'asc' }],
    [
      { sort: 'password', dir: 'sideways' },
      { column: 'alias', direction: 'asc' },
    ],
    [{ sort: 'requests' }, { column: 'requests', direction: 'asc' }],
    [{ dir: 'desc' }, { column: 'alias', direction: 'desc' }],
  ])('falls back to the default order for what it does not know: %j', (raw, sort) => {
    expect(parseListParams(raw, spec).sort).toEqual(sort);
  });

  it('has no order for a list with a fixed one, and reads its own cursor name', () => {
    const audit: ListSpec<'actor', never> = { pathname: '/audit', filters: ['actor'], cursor: 'before' };
    expect(parseListParams({ actor: 'carol', before: '42', after: '7' }, audit)).toEqual({
      filters: { actor: 'carol' },
      sort: null,
      cursor: '42',
    });
  });
});

describe('listHref', () => {
  const current = parseListParams({ q: 'prod', sort: 'requests', dir: 'desc', after: 'c1' }, spec);

  it('keeps the state, leaving out empty filters and the default order', () => {
    expect(listHref(spec, current)).toBe('/accounts?q=prod&sort=requests&dir=desc&after=c1');
    expect(listHref(spec, parseListParams({}, spec))).toBe('/accounts');
  });

  it('starts again at the first page when a filter or the order changes', () => {
    expect(listHref(spec, current, { filters: { state: 'x y' } })).toBe(
      '/accounts?q=prod&state=x+y&sort=requests&dir=desc',
    );
    expect(listHref(spec, current, { sort: { column: 'alias', direction: 'asc' } })).toBe('/accounts?q=prod');
    expect(listHref(spec, current, { filters: { q: '' } })).toBe('/accounts?sort=requests&dir=desc');
  });

  it('goes to another page, or back to the first', () => {
    expect(listHref(spec, current, { cursor: 'c2' })).toBe(
      '/accounts?q=prod&sort=requests&dir=desc&after=c2',
    );
    expect(listHref(spec, current, { cursor: '' })).toBe('/accounts?q=prod&sort=requests&dir=desc');
  });

  it('round-trips through parseListParams', () => {
    const href = listHref(spec, current, { cursor: 'c3' });
    const raw = Object.fromEntries(new URL(href, 'http://x').searchParams);
    expect(parseListParams(raw, spec)).toEqual({ ...current, cursor: 'c3' });
  });
});

describe('keysetPage', () => {
  const rows = [
    { id: 'a', n: 3 },
    { id: 'b', n: 1 },
    { id: 'c', n: 3 },
    { id: 'd', n: 2 },
    { id: 'e', n: 1 },
  ];
  const page = (cursor: string, direction: 'asc' | 'desc' = 'asc', list = rows) =>
    keysetPage(list, { value: (row) => row.n, id: (row) => row.id, direction, cursor, limit: 2 });

  it('walks every row once, in order, ties broken by id', () => {
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 5; i += 1) {
      const next = page(cursor);
      seen.push(...next.rows.map((row) => row.id));
      if (next.nextCursor === null) break;
      cursor = next.nextCursor;
    }
    expect(seen).toEqual(['b', 'e', 'd', 'a', 'c']);
  });

  it('sorts descending', () => {
    expect(page('', 'desc').rows.map((row) => row.id)).toEqual(['c', 'a']);
  });

  it('is not shifted by a row removed before the cursor (as an offset would be)', () => {
    const first = page('');
    const withoutFirst = rows.filter((row) => row.id !== 'b');
    expect(page(first.nextCursor ?? '', 'asc', withoutFirst).rows.map((row) => row.id)).toEqual(['d', 'a']);
  });

  it('gives the first page for a cursor that does not decode, and no next cursor on the last page', () => {
    expect(page('not-a-cursor').rows.map((row) => row.id)).toEqual(['b', 'e']);
    expect(
      keysetPage(rows, { value: (row) => row.n, id: (row) => row.id, direction: 'asc', cursor: '', limit: 5 })
        .nextCursor,
    ).toBeNull();
  });
});

describe('listLinks', () => {
  it('gives the sort, first-page and next-page links; a column it cannot sort by gives the default order', () => {
    const current = parseListParams({ q: 'prod', after: 'c1' }, spec);
    const links = listLinks(spec, current, 'c2');
    expect(links.sortHref('requests', 'desc')).toBe('/accounts?q=prod&sort=requests&dir=desc');
    expect(links.sortHref('password', 'desc')).toBe('/accounts?q=prod');
    expect(links.firstHref).toBe('/accounts?q=prod');
    expect(links.nextHref).toBe('/accounts?q=prod&after=c2');
    expect(listLinks(spec, parseListParams({}, spec), null)).toMatchObject({
      firstHref: null,
      nextHref: null,
    });
  });
});

describe('listPage', () => {
  it('sorts by the URL column, pages after its cursor and links on', () => {
    const list = {
      ...spec,
      sort: spec.sort ?? { columns: ['alias'], default: { column: 'alias', direction: 'asc' } },
    };
    const rows = [
      { id: '1', alias: 'c', requests: 0 },
      { id: '2', alias: 'a', requests: 5 },
      { id: '3', alias: 'b', requests: 1 },
    ];
    const options = {
      sortValue: {
        alias: (row: (typeof rows)[number]) => row.alias,
        requests: (row: (typeof rows)[number]) => row.requests,
      },
      id: (row: (typeof rows)[number]) => row.id,
      limit: 2,
    };
    const first = listPage(rows, list, parseListParams({ sort: 'requests', dir: 'desc' }, spec), options);
    expect(first.rows.map((row) => row.alias)).toEqual(['a', 'b']);
    expect(first.sort).toEqual({ column: 'requests', direction: 'desc' });
    expect(first.links.firstHref).toBeNull();
    const next = new URL(first.links.nextHref ?? '', 'http://x');
    const second = listPage(
      rows,
      list,
      parseListParams(Object.fromEntries(next.searchParams), spec),
      options,
    );
    expect(second.rows.map((row) => row.alias)).toEqual(['c']);
    expect(second.links).toMatchObject({ firstHref: '/accounts?sort=requests&dir=desc', nextHref: null });
  });
});
