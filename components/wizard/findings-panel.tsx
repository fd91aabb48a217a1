'use client';
// Placeholder replaced by the permissions-step slice of issue 12 (never merged as is).
import type { PreviewDocument, PreviewRiskFlag } from '@/lib/wizard/preview-types';
export interface FindingsPanelProps {
  documents: readonly PreviewDocument[];
  risks: readonly PreviewRiskFlag[];
  /** Justifications keyed by flag key. */
  justifications: Record<string, string>;
  onJustify: (key: string, text: string) => void;
  /** Jumps to a finding's spot (the shell moves to the step and the editor to the line). */
  onJump?: (documentKey: string, line: number, column: number) => void;
  /** Errors on justification fields (`flagJustifications.<key>`). */
  errors?: Record<string, string[]>;
}
export function FindingsPanel({ documents }: FindingsPanelProps) {
  return <p>{documents.reduce((n, d) => n + d.findings.length, 0)} findings</p>;
}
