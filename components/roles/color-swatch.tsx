/** A small square in a switch-role colour (six hex digits without `#`), with the hex value as text. */
export function ColorSwatch({ color, showValue = true }: { color: string; showValue?: boolean }) {
  const valid = /^[0-9A-Fa-f]{6}$/.test(color);
  return (
    <span className="inline-flex items-center gap-2">
      <span
        aria-hidden="true"
        className="inline-block size-5 shrink-0 rounded border border-slate-400"
        style={{ backgroundColor: valid ? `#${color}` : 'transparent' }}
      />
      {showValue ? <span className="font-mono text-xs text-slate-700">#{color.toUpperCase()}</span> : null}
    </span>
  );
}
