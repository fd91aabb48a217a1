import { foldUnchanged, type DiffLine, type DiffRow, type TextDiff } from '@/lib/iam/normalized-json';

const marks = {
  removed: { symbol: '−', words: 'Removed', className: 'bg-red-50' },
  added: { symbol: '+', words: 'Added', className: 'bg-emerald-50' },
} as const;

function Side({ line, change }: { line: DiffLine | null; change: 'removed' | 'added' | null }) {
  const mark = change ? marks[change] : null;
  return (
    <>
      <td className={`w-10 px-2 text-right align-top text-slate-600 select-none ${mark?.className ?? ''}`}>
        {line?.number ?? ''}
      </td>
      <td className={`w-5 align-top font-bold ${mark?.className ?? ''}`}>
        {mark && line ? (
          <>
            <span aria-hidden="true">{mark.symbol}</span>
            <span className="sr-only">{mark.words}: </span>
          </>
        ) : null}
      </td>
      <td className={`pr-3 align-top whitespace-pre ${mark?.className ?? ''}`}>{line?.text ?? ''}</td>
    </>
  );
}

function rowKey(row: DiffRow, index: number): string {
  return `${row.before?.number ?? '-'}:${row.after?.number ?? '-'}:${index}`;
}

/**
 * Two normalised documents side by side, line by line: a removed line marked `−` on the left, an
 * added line `+` on the right (symbols and screen-reader words, not colour alone), long unchanged
 * runs folded. Server-rendered, no client JavaScript.
 */
export function SideBySide({ diff, caption }: { diff: TextDiff; caption: string }) {
  const rows = foldUnchanged(diff.rows);
  return (
    <div
      className="focus-ring max-h-[32rem] overflow-auto rounded-md border border-slate-200 bg-white"
      tabIndex={0}
      role="region"
      aria-label={caption}
    >
      <table className="w-full border-collapse font-mono text-xs leading-5 text-slate-900">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 bg-slate-50 font-sans">
          <tr className="border-b border-slate-300">
            <th scope="col" colSpan={3} className="px-2 py-1 text-left font-medium">
              Before (the role as it is)
            </th>
            <th scope="col" colSpan={3} className="border-l border-slate-300 px-2 py-1 text-left font-medium">
              After (this request)
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) =>
            row.kind === 'folded' ? (
              <tr
                key={`fold-${row.beforeLine}-${row.afterLine}`}
                className="bg-slate-50 font-sans text-slate-600"
              >
                <td colSpan={6} className="px-3 py-0.5 italic">
                  {row.count} unchanged {row.count === 1 ? 'line' : 'lines'}
                </td>
              </tr>
            ) : (
              <tr key={rowKey(row, index)}>
                <Side
                  line={row.before}
                  change={row.kind === 'removed' || row.kind === 'changed' ? 'removed' : null}
                />
                <Side
                  line={row.after}
                  change={row.kind === 'added' || row.kind === 'changed' ? 'added' : null}
                />
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
