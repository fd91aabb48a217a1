import type { ReactNode } from 'react';
import { meterText, meterTone, type MeterTone } from '@/lib/wizard/findings-view';
import type { QuotaMeter as QuotaMeterValue } from '@/lib/wizard/preview-types';

const barTone: Record<MeterTone, string> = {
  ok: 'bg-indigo-700',
  near: 'bg-amber-500',
  full: 'bg-amber-600',
  over: 'bg-red-700',
};

const textTone: Record<MeterTone, string> = {
  ok: 'text-slate-700',
  near: 'text-amber-900',
  full: 'text-amber-900',
  over: 'font-medium text-red-800',
};

/**
 * A quota as a bar with its words ("3 of 10 managed policies"): an ARIA `meter` named by its
 * label, whose value text is those words, so a screen reader hears what the eye sees. Beyond the
 * quota the bar is full and red and the words say by how much.
 */
export function QuotaMeter({
  id,
  label,
  meter,
  children,
  className = '',
}: {
  id: string;
  /** e.g. "Managed policies". */
  label: ReactNode;
  meter: QuotaMeterValue;
  /** Shown under the bar (e.g. why a selection was refused). */
  children?: ReactNode;
  className?: string;
}) {
  const tone = meterTone(meter);
  const text = meterText(meter);
  const over = meter.used - meter.quota;
  const width = meter.quota > 0 ? Math.min(100, (meter.used / meter.quota) * 100) : meter.used > 0 ? 100 : 0;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
        <span id={`${id}-label`} className="font-medium text-slate-900">
          {label}
        </span>
        <span id={`${id}-text`} className={textTone[tone]}>
          {text}
          {over > 0 ? ` (${over} over)` : ''}
        </span>
      </div>
      <div
        id={id}
        role="meter"
        aria-labelledby={`${id}-label`}
        aria-valuemin={0}
        aria-valuemax={meter.quota}
        aria-valuenow={Math.min(meter.used, meter.quota)}
        aria-valuetext={over > 0 ? `${text}, ${over} over the quota` : text}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className={`h-full rounded-full ${barTone[tone]}`} style={{ width: `${width}%` }} />
      </div>
      {children}
    </div>
  );
}
