import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable, Pagination, TableFilters, type Column } from '@/components/ui/data-table';

interface Row {
  id: string;
  alias: string;
  requests: number;
}

const columns: Column<Row>[] = [
  { id: 'alias', header: 'Alias', rowHeader: true, sortable: true, cell: (row) => row.alias },
  { id: 'requests', header: 'Requests', sortable: true, cell: (row) => row.requests },
  { id: 'note', header: 'Note', cell: () => '<b>not markup</b>' },
];

const render = () =>
  renderToStaticMarkup(
    <DataTable
      caption="Target accounts"
      columns={columns}
      rows={[
        { id: '1', alias: 'acme-production', requests: 2 },
        { id: '2', alias: 'acme-development', requests: 0 },
      ]}
      rowKey={(row) => row.id}
      sort={{ column: 'alias', direction: 'asc' }}
      sortHref={(column, direction) => `/accounts?sort=${column}&dir=${direction}`}
    />,
  );

describe('DataTable', () => {
  it('names the table, marks the sorted column and links each sortable header to its next order', () => {
    const html = render();
    expect(html).toContain('<caption class="sr-only">Target accounts</caption>');
    expect(html).toMatch(
      /<th scope="col" aria-sort="ascending"[^>]*><a [^>]*href="\/accounts\?sort=alias&amp;dir=desc"/,
    );
    expect(html).toMatch(
      /<th scope="col" aria-sort="none"[^>]*><a [^>]*href="\/accounts\?sort=requests&amp;dir=asc"/,
    );
    expect(html).toMatch(/<th scope="col" class="[^"]*">Note<\/th>/);
  });

  it('renders the row-header column as th scope=row, and cell text escaped', () => {
    const html = render();
    expect(html).toMatch(/<th scope="row"[^>]*>acme-production<\/th>/);
    expect(html).toContain('&lt;b&gt;not markup&lt;/b&gt;');
  });
});

describe('Pagination', () => {
  it('links to the first and next pages, or says the list ends', () => {
    const middle = renderToStaticMarkup(<Pagination label="Pages" firstHref="/a" nextHref="/a?after=x" />);
    expect(middle).toContain('aria-label="Pages"');
    expect(middle).toContain('href="/a"');
    expect(middle).toContain('href="/a?after=x"');
    const last = renderToStaticMarkup(
      <Pagination label="Pages" nextHref={null} endLabel="End of the log." />,
    );
    expect(last).toContain('End of the log.');
    expect(last).not.toContain('href=');
  });
});

describe('TableFilters', () => {
  it('submits with a secondary Filter button, leaving the page its one primary button', () => {
    const html = renderToStaticMarkup(
      <TableFilters action="/roles" label="Filter roles" isFiltered>
        <input name="q" aria-label="Search" />
      </TableFilters>,
    );
    const button = /<button[^>]*>Filter<\/button>/.exec(html)?.[0] ?? '';
    expect(button).toContain('type="submit"');
    expect(button).toContain('bg-white');
    expect(button).not.toContain('bg-indigo-700');
    expect(html).toContain('href="/roles"');
  });
});
