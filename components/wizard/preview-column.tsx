'use client';

import { CopyButton } from '@/components/ui/copy-button';
import { JsonBlock } from '@/components/wizard/json-block';
import { FindingsPanel } from '@/components/wizard/findings-panel';
import { QuotaMeter } from '@/components/wizard/quota-meter';
import { groupFindings } from '@/lib/wizard/findings-view';
import type { PreviewDocument, WizardPreview, WizardStepId } from '@/lib/wizard/preview-types';

/** "0 security warnings · 1 error · …": each finding type's count, as Access Analyzer groups them. */
export function FindingCounts({ documents }: { documents: readonly PreviewDocument[] }) {
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
      {groupFindings(documents).map((group) => {
        const tone =
          group.count === 0
            ? 'text-slate-700'
            : group.severity === 'error' || group.severity === 'security_warning'
              ? 'font-semibold text-red-800'
              : 'font-medium text-amber-900';
        return (
          <li key={group.severity} className={tone}>
            {group.label}: {group.count}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The wizard's right-hand column: what the form will produce, always in view. Who can assume the
 * role and its trust policy JSON (with a copy button), the findings counts; on *Add permissions*
 * also the findings panel with its risk flags and the quota meters.
 */
export function PreviewColumn({
  step,
  preview,
  loading,
  error,
  justifications,
  onJustify,
  onJump,
  onTouch,
  justificationErrors,
}: {
  step: WizardStepId;
  preview: WizardPreview | null;
  loading: boolean;
  error: string | null;
  justifications: Record<string, string>;
  onJustify: (key: string, text: string) => void;
  onJump: (documentKey: string, line: number, column: number) => void;
  onTouch: (field: string) => void;
  justificationErrors: Record<string, string[]>;
}) {
  return (
    <section aria-labelledby="wizard-preview-heading" aria-busy={loading} className="flex flex-col gap-5">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="wizard-preview-heading" className="text-base font-semibold text-slate-900">
          Preview
        </h2>
        <span role="status" className="text-xs text-slate-600">
          {loading ? 'Updating…' : ''}
        </span>
      </div>
      {error ? (
        <p
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
        >
          {error}
          {preview ? ' What you see below may be out of date.' : ''}
        </p>
      ) : null}

      <div className="flex flex-col gap-1">
        <h3 className="text-sm font-semibold text-slate-900">Who can assume this role</h3>
        <p className="text-sm text-slate-800">
          {preview?.whoCanAssume ?? (preview ? 'Not decided yet: choose a trusted entity.' : 'Loading…')}
        </p>
      </div>

      <div className="flex flex-col gap-1">
        <div className="flex items-center justify-between gap-2">
          <h3 className="text-sm font-semibold text-slate-900">Trust policy (JSON)</h3>
          {preview?.trustPolicy ? (
            <CopyButton text={preview.trustPolicy} accessibleLabel="Copy the trust policy JSON" />
          ) : null}
        </div>
        {preview?.trustPolicy ? (
          <JsonBlock text={preview.trustPolicy} label="Trust policy JSON" className="max-h-80" />
        ) : (
          <p className="text-sm text-slate-700">
            {preview ? 'Appears once the trusted entity is complete.' : 'Loading…'}
          </p>
        )}
      </div>

      {preview && step !== 'permissions' ? (
        <div className="flex flex-col gap-1">
          <h3 className="text-sm font-semibold text-slate-900">Findings</h3>
          <FindingCounts documents={preview.documents} />
        </div>
      ) : null}

      {step === 'permissions' && preview ? (
        <>
          <FindingsPanel
            documents={preview.documents}
            risks={preview.risks}
            justifications={justifications}
            onJustify={onJustify}
            onJump={onJump}
            onTouch={onTouch}
            errors={justificationErrors}
          />
          <div className="flex flex-col gap-3">
            <h3 className="text-sm font-semibold text-slate-900">Quotas</h3>
            <QuotaMeter
              id="preview-meter-managed"
              label="Managed policies"
              meter={preview.meters.managedPolicies}
            />
            <QuotaMeter
              id="preview-meter-inline"
              label="Inline policies size"
              meter={preview.meters.inlinePoliciesSize}
            />
            <QuotaMeter
              id="preview-meter-trust"
              label="Trust policy size"
              meter={preview.meters.trustPolicySize}
            />
            <QuotaMeter id="preview-meter-tags" label="Tags" meter={preview.meters.tags} />
          </div>
        </>
      ) : null}
    </section>
  );
}
