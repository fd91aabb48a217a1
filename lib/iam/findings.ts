/**
 * Validator findings: what `validatePolicy` reports about a policy document.
 * Errors block submission; security warnings need an approver's acknowledgement.
 */
import type { FindingCode, FindingSeverity } from '@/lib/iam/finding-codes';

export { FINDING_SEVERITIES, type FindingCode, type FindingSeverity } from '@/lib/iam/finding-codes';

export interface Finding {
  severity: FindingSeverity;
  /** Stable snake_case code, e.g. `unknown_action` (see `FINDING_CODES`). */
  code: FindingCode;
  /** What is wrong and what to change. */
  message: string;
  /** JSON pointer into the document, e.g. `/Statement/1/Condition` (`''` for the whole document). */
  path: string;
  /** 1-based line of the offending token in the text. */
  line: number;
  /** 1-based column of the offending token in the text. */
  column: number;
  /** 1-based line just after the offending token (with `endColumn`, an exclusive end an editor can underline to). */
  endLine: number;
  /** 1-based column just after the offending token's last character. */
  endColumn: number;
  /** For an unknown name (action, service, condition key): the closest real ones, best first. */
  suggestions?: string[];
}

const severityRank: Record<FindingSeverity, number> = {
  error: 0,
  security_warning: 1,
  warning: 2,
  suggestion: 3,
};

/** True when any finding is an error (the policy cannot be submitted). */
export function hasErrorFinding(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}

/** Orders findings by position in the text, then by severity (errors first). Returns a new array. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => a.line - b.line || a.column - b.column || severityRank[a.severity] - severityRank[b.severity],
  );
}
