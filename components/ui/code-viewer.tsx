import { tokenizeJson, type JsonToken } from '@/components/ui/json-tokens';

const tokenClass: Record<JsonToken['kind'], string> = {
  key: 'text-indigo-800',
  string: 'text-emerald-800',
  number: 'text-amber-800',
  literal: 'text-fuchsia-800',
  punctuation: 'text-slate-500',
  text: '',
};

/**
 * Read-only, highlighted JSON, rendered on the server: no client JavaScript. Each token is a
 * span whose text React escapes, so a value such as `</script>` shows as text. Give `value` to
 * show any JSON-serialisable value (indented by two spaces), or `json` for text as it is.
 */
export function CodeViewer({
  value,
  json,
  label,
  className = '',
  maxHeight = 'max-h-96',
}: {
  value?: unknown;
  json?: string;
  /** The accessible name of the (scrollable, focusable) code block, e.g. "Trust policy". */
  label: string;
  className?: string;
  maxHeight?: string;
}) {
  const source = json ?? JSON.stringify(value, null, 2) ?? '';
  return (
    <pre
      tabIndex={0}
      aria-label={label}
      className={`focus-ring overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-5 text-slate-900 ${maxHeight} ${className}`}
    >
      <code>
        {tokenizeJson(source).map((token, index) =>
          token.kind === 'text' ? (
            token.text
          ) : (
            // Tokens have no identity but their place; the list never reorders.
            <span key={index} className={tokenClass[token.kind]}>
              {token.text}
            </span>
          ),
        )}
      </code>
    </pre>
  );
}
