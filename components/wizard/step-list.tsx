import type { WizardStepId } from '@/lib/wizard/preview-types';
import { WIZARD_STEP_INFO } from '@/components/wizard/wizard-steps';

/**
 * The wizard's step list, as the console's: the three steps numbered, the current one marked
 * (`aria-current="step"`), the steps already reached as buttons that go back to them, and the
 * count of errors a step has once they are shown.
 */
export function StepList({
  current,
  reached,
  errorCounts,
  onSelect,
}: {
  current: WizardStepId;
  /** Index of the furthest step reached: it and those before it can be opened. */
  reached: number;
  /** Errors shown per step (none: no mark). */
  errorCounts: Partial<Record<WizardStepId, number>>;
  onSelect: (step: WizardStepId) => void;
}) {
  return (
    <nav aria-label="Steps">
      <ol className="flex flex-col gap-1">
        {WIZARD_STEP_INFO.map((info, index) => {
          const isCurrent = info.id === current;
          const errors = errorCounts[info.id] ?? 0;
          const content = (
            <>
              <span className="text-xs font-medium text-slate-600">Step {index + 1}</span>
              <span className={isCurrent ? 'font-semibold text-indigo-900' : 'text-slate-900'}>
                {info.title}
              </span>
              {errors > 0 ? (
                <span className="text-xs font-medium text-red-700">
                  {errors} {errors === 1 ? 'error' : 'errors'}
                </span>
              ) : null}
            </>
          );
          const box = `flex w-full flex-col items-start gap-0.5 rounded-md border-l-4 px-3 py-2 text-left text-sm ${
            isCurrent ? 'border-indigo-700 bg-indigo-50' : 'border-transparent'
          }`;
          return (
            <li key={info.id}>
              {!isCurrent && index <= reached ? (
                <button
                  type="button"
                  className={`focus-ring ${box} hover:bg-slate-100`}
                  onClick={() => onSelect(info.id)}
                >
                  {content}
                </button>
              ) : (
                <span className={box} aria-current={isCurrent ? 'step' : undefined}>
                  {content}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
