/**
 * Validator findings: what `validatePolicy` reports about a policy document.
 * Errors block submission; security warnings need an approver's acknowledgement.
 */

export const FINDING_SEVERITIES = ['error', 'security_warning', 'warning', 'suggestion'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export interface Finding {
  severity: FindingSeverity;
  /** Stable snake_case code, e.g. `unknown_action`. */
  code: string;
  /** What is wrong and what to change. */
  message: string;
  /** JSON pointer into the document, e.g. `/Statement/1/Condition` (`''` for the whole document). */
  path: string;
  /** 1-based line of the offending token in the text. */
  line: number;
  /** 1-based column of the offending token in the text. */
  column: number;
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
