import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { diagnosticOf } from '@/components/wizard/json-editor-codemirror';
import type { Finding } from '@/lib/iam/findings';

const doc = Text.of(['{', '    "Action": "lambda:ListTagz",', '    "Resource": "*"', '}']);

function finding(change: Partial<Finding>): Finding {
  return {
    severity: 'error',
    code: 'unknown_action',
    message: 'lambda:ListTagz is not an action of lambda.',
    path: '/Action',
    line: 2,
    column: 15,
    endLine: 2,
    endColumn: 32,
    ...change,
  };
}

describe('diagnosticOf', () => {
  it('marks the finding’s range, with its suggestions as message and actions', () => {
    const diagnostic = diagnosticOf(doc, finding({ suggestions: ['lambda:ListTags'] }));
    expect(doc.sliceString(diagnostic.from, diagnostic.to)).toBe('"lambda:ListTagz"');
    expect(diagnostic).toMatchObject({
      severity: 'error',
      source: 'Error · unknown_action',
      message: 'lambda:ListTagz is not an action of lambda. Did you mean lambda:ListTags?',
    });
    expect(diagnostic.actions?.map((action) => action.name)).toEqual(['Use lambda:ListTags']);
  });

  it.each([
    ['error', 'error', undefined],
    ['security_warning', 'warning', 'cm-lintRange-security'],
    ['warning', 'warning', undefined],
    ['suggestion', 'info', undefined],
  ] as const)('shows a %s as %s', (severity, expected, markClass) => {
    const diagnostic = diagnosticOf(doc, finding({ severity }));
    expect(diagnostic.severity).toBe(expected);
    expect(diagnostic.markClass).toBe(markClass);
  });

  it('keeps a message that already names its suggestion, and clamps a range beyond the text', () => {
    const diagnostic = diagnosticOf(
      doc,
      finding({
        message: 'Did you mean lambda:ListTags?',
        suggestions: ['lambda:ListTags'],
        line: 9,
        column: 40,
        endLine: 12,
        endColumn: 1,
      }),
    );
    expect(diagnostic.message).toBe('Did you mean lambda:ListTags?');
    expect([diagnostic.from, diagnostic.to]).toEqual([doc.length, doc.length]);
    expect(diagnostic.actions).toEqual([]);
  });
});
