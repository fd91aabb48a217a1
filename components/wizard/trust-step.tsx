'use client';
// Placeholder replaced by the trust-step slice of issue 12 (never merged as is).
import type { StepProps } from '@/components/wizard/step-props';
export function TrustStep(_props: StepProps) {
  return <p>Select trusted entity: being built.</p>;
}
