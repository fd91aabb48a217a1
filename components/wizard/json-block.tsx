/**
 * JSON (or any indented text) in a dark `<pre>` that wraps long lines without losing the
 * structure: each line keeps its indentation and a wrapped line continues two characters deeper,
 * so an ARN longer than the column stays readable without scrolling sideways. The text itself is
 * unchanged (a copy button copies the original).
 */
export function JsonBlock({
  text,
  label,
  className = '',
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  return (
    <pre
      tabIndex={0}
      aria-label={label}
      className={`focus-ring max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100 ${className}`}
    >
      {text.split('\n').map((line, index) => {
        const indent = line.length - line.trimStart().length;
        return (
          <span
            key={index}
            className="block [overflow-wrap:anywhere] whitespace-pre-wrap"
            style={{ paddingLeft: `${indent + 2}ch`, textIndent: '-2ch' }}
          >
            {line.trimStart() || '\u00a0'}
          </span>
        );
      })}
    </pre>
  );
}
