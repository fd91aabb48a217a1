import { describe, expect, it } from 'vitest';
import type { Finding } from '@/lib/iam/findings';
import {
  describeAccessLevels,
  findingLocation,
  groupFindings,
  meterText,
  meterTone,
  requiresJustification,
  riskCategory,
  suggestionSentence,
} from '@/lib/wizard/findings-view';
import type { PreviewDocument } from '@/lib/wizard/preview-types';

function finding(severity: Finding['severity'], code: string, line = 1, path = ''): Finding {
  return {
    severity,
    code: code as Finding['code'],
    message: `${code} message`,
    path,
    line,
    column: 5,
    endLine: line,
    endColumn: 9,
  };
}

const documents: PreviewDocument[] = [
  {
    key: 'trust',
    title: 'Trust policy',
    field: 'custom.document',
    findings: [finding('security_warning', 'missing_external_id'), finding('suggestion', 'add_sid')],
  },
  {
    key: 'policy:a',
    title: 'Inline policy AppAccess',
    field: 'customPolicies.a.document',
    findings: [
      finding('error', 'unknown_action', 4),
      finding('error', 'json_syntax', 9),
      finding('warning', 'x'),
    ],
  },
  { key: 'guardrails', title: 'Guardrails', findings: [] },
];

describe('groupFindings', () => {
  it('gives the four Access Analyzer groups in order, with counts and the documents concerned', () => {
    const groups = groupFindings(documents);
    expect(groups.map((group) => [group.label, group.count])).toEqual([
      ['Security warnings', 1],
      ['Errors', 2],
      ['Warnings', 1],
      ['Suggestions', 1],
    ]);
    const errors = groups[1];
    expect(errors?.documents.map((document) => document.title)).toEqual(['Inline policy AppAccess']);
    expect(errors?.documents[0]?.findings.map((item) => item.code)).toEqual([
      'unknown_action',
      'json_syntax',
    ]);
  });

  it('keeps the four groups, with zeros, when there is nothing', () => {
    expect(groupFindings([]).map((group) => group.count)).toEqual([0, 0, 0, 0]);
  });
});

describe('finding words', () => {
  it.each([
    {
      item: { line: 4, column: 13, path: '/Statement/0/Action' },
      text: 'line 4, column 13 · /Statement/0/Action',
    },
    { item: { line: 1, column: 1, path: '' }, text: 'line 1, column 1' },
  ])('$text', ({ item, text }) => {
    expect(findingLocation(item)).toBe(text);
  });

  it.each([
    { suggestions: undefined, text: null },
    { suggestions: [], text: null },
    { suggestions: ['s3:GetObject'], text: 'Did you mean s3:GetObject?' },
    { suggestions: ['a', 'b'], text: 'Did you mean a or b?' },
    { suggestions: ['a', 'b', 'c', 'd'], text: 'Did you mean a, b or c?' },
  ])('$suggestions → $text', ({ suggestions, text }) => {
    expect(suggestionSentence(suggestions)).toBe(text);
  });
});

describe('risk flags', () => {
  it.each([
    { code: 'privesc_passrole_any_role', severity: 'critical' as const, key: 'policy:a', required: true },
    { code: 'data_exfiltration', severity: 'high' as const, key: 'policy:a', required: true },
    { code: 'logging_disabled', severity: 'medium' as const, key: 'policy:a', required: false },
    { code: 'missing_external_id', severity: 'medium' as const, key: 'trust', required: true },
    // A security warning of another document does not make this one's flag required.
    { code: 'missing_external_id', severity: 'low' as const, key: 'policy:a', required: false },
  ])('$code ($severity) in $key: required $required', ({ code, severity, key, required }) => {
    expect(requiresJustification({ code, severity, documentKey: key }, documents)).toBe(required);
  });

  it('follows the preview when it says whether a flag needs a justification', () => {
    const flag = { code: 'logging_disabled', severity: 'low' as const, documentKey: 'policy:a' };
    expect(requiresJustification({ ...flag, requiresJustification: true }, documents)).toBe(true);
    expect(
      requiresJustification({ ...flag, severity: 'high', requiresJustification: false }, documents),
    ).toBe(false);
  });

  it.each([
    { code: 'privesc_attach_policy', key: 'policy:a', category: 'privilege_escalation' },
    { code: 'trust_any_principal', key: 'trust', category: 'exposure' },
    { code: 'resource_exposure', key: 'policy:a', category: 'exposure' },
    { code: 'credentials_exposure', key: 'policy:a', category: 'exposure' },
    { code: 'data_exfiltration', key: 'policy:a', category: 'exfiltration' },
    { code: 'missing_external_id', key: 'trust', category: 'security_warning' },
    { code: 'full_admin', key: 'managed:arn:aws:iam::aws:policy/AdministratorAccess', category: 'other' },
  ])('$code is $category', ({ code, key, category }) => {
    expect(riskCategory({ code, documentKey: key }, documents)).toBe(category);
  });
});

describe('describeAccessLevels', () => {
  it.each([
    { service: { isFullAccess: true, levels: [] }, text: 'Full access' },
    {
      service: {
        isFullAccess: false,
        levels: [
          { level: 'List' as const, scope: 'full' as const },
          { level: 'Read' as const, scope: 'full' as const },
          { level: 'Write' as const, scope: 'limited' as const },
        ],
      },
      text: 'Full: List, Read · Limited: Write',
    },
    {
      service: { isFullAccess: false, levels: [{ level: 'Tagging' as const, scope: 'limited' as const }] },
      text: 'Limited: Tagging',
    },
  ])('$text', ({ service, text }) => {
    expect(describeAccessLevels(service)).toBe(text);
  });
});

describe('quota meters', () => {
  it.each([
    { used: 3, quota: 10, tone: 'ok' },
    { used: 8, quota: 10, tone: 'near' },
    { used: 10, quota: 10, tone: 'full' },
    { used: 11, quota: 10, tone: 'over' },
    { used: 0, quota: 0, tone: 'ok' },
  ])('$used of $quota is $tone', ({ used, quota, tone }) => {
    expect(meterTone({ used, quota })).toBe(tone);
  });

  it('writes the meter as words, numbers grouped', () => {
    expect(meterText({ used: 3, quota: 10, unit: 'managed policies' })).toBe('3 of 10 managed policies');
    expect(meterText({ used: 1234, quota: 10240, unit: 'characters' })).toBe('1,234 of 10,240 characters');
  });
});
