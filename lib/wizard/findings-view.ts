/**
 * How the wizard shows findings, risk flags, access and quotas: the Access Analyzer grouping of
 * findings, the words for a finding's location and suggestions, which risk flags need a written
 * justification, and the console's access-level wording. Client-safe: types and plain functions.
 */
import type { AccessLevel } from '@/lib/iam/catalogue';
import type { Finding, FindingSeverity } from '@/lib/iam/findings';
import type { RiskSeverity } from '@/lib/iam/risk';
import type { PreviewDocument, PreviewRiskFlag, QuotaMeter } from '@/lib/wizard/preview-types';

/** Access Analyzer's order and names for its four finding types. */
export const FINDING_GROUPS: readonly { severity: FindingSeverity; label: string }[] = [
  { severity: 'security_warning', label: 'Security warnings' },
  { severity: 'error', label: 'Errors' },
  { severity: 'warning', label: 'Warnings' },
  { severity: 'suggestion', label: 'Suggestions' },
];

export interface DocumentFindings {
  key: string;
  title: string;
  findings: Finding[];
}

export interface FindingGroup {
  severity: FindingSeverity;
  label: string;
  count: number;
  /** The documents with findings of this severity, in the preview's order. */
  documents: DocumentFindings[];
}

/** The four groups (always all four, so their counts show zeros), each split by document. */
export function groupFindings(documents: readonly PreviewDocument[]): FindingGroup[] {
  return FINDING_GROUPS.map(({ severity, label }) => {
    const perDocument = documents
      .map((document) => ({
        key: document.key,
        title: document.title,
        findings: document.findings.filter((finding) => finding.severity === severity),
      }))
      .filter((document) => document.findings.length > 0);
    return {
      severity,
      label,
      count: perDocument.reduce((sum, document) => sum + document.findings.length, 0),
      documents: perDocument,
    };
  });
}

/** "line 4, column 13 · /Statement/0/Action" (the pointer left out for the whole document). */
export function findingLocation(finding: Pick<Finding, 'line' | 'column' | 'path'>): string {
  const place = `line ${finding.line}, column ${finding.column}`;
  return finding.path ? `${place} · ${finding.path}` : place;
}

/**
 * "Did you mean s3:GetObject?", "Did you mean a, b or c?" (the first three); null without any,
 * or when the finding's `message` already names them (the validator often says it itself).
 */
export function suggestionSentence(suggestions: readonly string[] | undefined, message = ''): string | null {
  const shown = (suggestions ?? []).slice(0, 3);
  if (shown.length === 0) return null;
  if (shown.every((suggestion) => message.includes(suggestion))) return null;
  const last = shown[shown.length - 1];
  const list = shown.length === 1 ? last : `${shown.slice(0, -1).join(', ')} or ${last}`;
  return `Did you mean ${list}?`;
}

/**
 * Whether a flag must be justified in writing before the request can be submitted: as the
 * preview says when it says, else security warnings and critical or high risk flags (as the
 * approval requires them to be acknowledged, see `acknowledgementItems` in lib/requests/assess.ts).
 */
export function requiresJustification(
  risk: Pick<PreviewRiskFlag, 'code' | 'severity' | 'documentKey' | 'requiresJustification'>,
  documents: readonly PreviewDocument[],
): boolean {
  if (risk.requiresJustification !== undefined) return risk.requiresJustification;
  if (risk.severity === 'critical' || risk.severity === 'high') return true;
  return documents.some(
    (document) =>
      document.key === risk.documentKey &&
      document.findings.some(
        (finding) => finding.code === risk.code && finding.severity === 'security_warning',
      ),
  );
}

export type RiskCategory =
  'security_warning' | 'privilege_escalation' | 'exposure' | 'exfiltration' | 'other';

export const RISK_CATEGORY_LABELS: Record<RiskCategory, string> = {
  security_warning: 'Security warning',
  privilege_escalation: 'Privilege escalation',
  exposure: 'Exposure',
  exfiltration: 'Exfiltration',
  other: 'Broad access',
};

/**
 * The kind of risk a flag names: privilege escalation (`privesc_*`), exposure (who may assume
 * the role, credentials or resources shared), exfiltration, a security warning of the validator,
 * or broad access (administrator, `NotAction`, whole services, logging and infrastructure).
 */
export function riskCategory(
  risk: Pick<PreviewRiskFlag, 'code' | 'documentKey'>,
  documents: readonly PreviewDocument[],
): RiskCategory {
  const { code } = risk;
  if (code.startsWith('privesc_')) return 'privilege_escalation';
  if (code.startsWith('trust_') || code === 'credentials_exposure' || code === 'resource_exposure')
    return 'exposure';
  if (code === 'data_exfiltration') return 'exfiltration';
  const isFinding = documents.some(
    (document) =>
      document.key === risk.documentKey &&
      document.findings.some((finding) => finding.code === code && finding.severity === 'security_warning'),
  );
  return isFinding ? 'security_warning' : 'other';
}

export const RISK_SEVERITY_TONES: Record<RiskSeverity, 'danger' | 'warning' | 'info'> = {
  critical: 'danger',
  high: 'danger',
  medium: 'warning',
  low: 'info',
};

export interface LevelGrant {
  level: AccessLevel;
  scope: 'full' | 'limited';
}

/**
 * The console's policy-summary wording of a service's access: "Full access", or e.g.
 * "Full: List, Read · Limited: Write".
 */
export function describeAccessLevels(service: {
  isFullAccess: boolean;
  levels: readonly LevelGrant[];
}): string {
  if (service.isFullAccess) return 'Full access';
  const full = service.levels.filter((level) => level.scope === 'full').map((level) => level.level);
  const limited = service.levels.filter((level) => level.scope === 'limited').map((level) => level.level);
  return [
    full.length ? `Full: ${full.join(', ')}` : null,
    limited.length ? `Limited: ${limited.join(', ')}` : null,
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
}

export type MeterTone = 'ok' | 'near' | 'full' | 'over';

/** How full a quota is: `over` beyond it, `full` at it, `near` from 80 %, `ok` below. */
export function meterTone({ used, quota }: Pick<QuotaMeter, 'used' | 'quota'>): MeterTone {
  if (used > quota) return 'over';
  if (used === quota && quota > 0) return 'full';
  return quota > 0 && used / quota >= 0.8 ? 'near' : 'ok';
}

/** "3 of 10 managed policies", "1,234 of 10,240 characters" (the same on server and browser). */
export function meterText({ used, quota, unit }: QuotaMeter, locale = 'en'): string {
  const format = new Intl.NumberFormat(locale);
  return `${format.format(used)} of ${format.format(quota)} ${unit}`;
}
