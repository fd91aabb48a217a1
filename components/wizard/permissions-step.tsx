'use client';
// Placeholder replaced by the permissions-step slice of issue 12 (never merged as is).
import type { StepProps } from '@/components/wizard/step-props';
export function PermissionsStep(_props: StepProps) {
  return <p>Add permissions: being built.</p>;
}
