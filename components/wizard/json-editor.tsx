'use client';
// Placeholder replaced by the policy-editor slice of issue 12 (never merged as is): a plain textarea.
import type { JsonEditorProps } from '@/components/wizard/step-props';
export function JsonEditor({ id, ariaLabel, describedBy, invalid, value, onChange }: JsonEditorProps) {
  return (
    <textarea
      id={id}
      aria-label={ariaLabel}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      className="h-64 w-full font-mono text-sm"
    />
  );
}
