import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FindingsPanel } from '@/components/wizard/findings-panel';
import { QuotaMeter } from '@/components/wizard/quota-meter';
import type { Finding } from '@/lib/iam/findings';
import type { PreviewDocument, PreviewRiskFlag } from '@/lib/wizard/preview-types';
import { flagKey } from '@/lib/wizard/state';

const unknownAction: Finding = {
  severity: 'error',
  code: 'unknown_action',
  message: 'The action s3:GetObjekt does not exist.',
  path: '/Statement/0/Action',
  line: 4,
  column: 13,
  endLine: 4,
  endColumn: 27,
  suggestions: ['s3:GetObject'],
};

const documents: PreviewDocument[] = [
  {
    key: 'policy:a',
    title: 'Inline policy AppAccess',
    field: 'customPolicies.a.document',
    findings: [unknownAction],
  },
];

const critical: PreviewRiskFlag = {
  key: flagKey('privesc_passrole_any_role', 'customPolicies.a.document'),
  code: 'privesc_passrole_any_role',
  severity: 'critical',
  title: 'Can pass any role',
  explanation: 'iam:PassRole on every role lets the role hand a more powerful role to a service.',
  documentKey: 'policy:a',
  pointers: ['/Statement/1'],
};
const low: PreviewRiskFlag = {
  ...critical,
  key: 'logging_disabled@x',
  code: 'logging_disabled',
  severity: 'low',
  title: 'Can stop logging',
};

function render(props: Partial<Parameters<typeof FindingsPanel>[0]> = {}) {
  return renderToStaticMarkup(
    <FindingsPanel
      documents={documents}
      risks={[critical, low]}
      justifications={{ [critical.key]: 'The deployer passes its task role.' }}
      onJustify={() => undefined}
      onJump={() => undefined}
      {...props}
    />,
  );
}

describe('FindingsPanel', () => {
  it('counts each Access Analyzer group and lists a finding under its document, with code, suggestion and location', () => {
    const html = render();
    expect(html).toMatch(/Security warnings<span[^>]*>0<\/span>/);
    expect(html).toMatch(/Errors<span[^>]*>1<\/span>/);
    expect(html).toContain('Errors (1)');
    expect(html).toContain('Inline policy AppAccess');
    expect(html).toContain('<code class="font-mono text-xs text-slate-700">unknown_action</code>');
    expect(html).toContain('Did you mean s3:GetObject?');
    expect(html).toMatch(
      /<button type="button" aria-label="Go to line 4, column 13 · \/Statement\/0\/Action in Inline policy AppAccess"[^>]*>line 4, column 13 · \/Statement\/0\/Action<\/button>/,
    );
  });

  it('shows the location as text when there is nowhere to jump', () => {
    const html = render({ onJump: undefined });
    expect(html).not.toContain('Go to line 4');
    expect(html).toContain('line 4, column 13 · /Statement/0/Action');
  });

  it('asks a justification of each risk flag, required for a critical one, keeping what was written', () => {
    const html = render({ errors: { [`flagJustifications.${low.key}`]: ['Explain why'] } });
    expect(html).toContain('Risk flags (2)');
    expect(html).toContain('Privilege escalation');
    expect(html).toContain('Justification (required)');
    expect(html).toContain('Justification (optional)');
    expect(html).toMatch(/<textarea[^>]*required=""[^>]*>The deployer passes its task role.<\/textarea>/);
    expect(html).toContain('Explain why');
  });

  it('lists the guardrails the role does not meet', () => {
    const html = render({
      documents: [
        ...documents,
        {
          key: 'guardrails',
          title: 'Guardrails',
          findings: [],
          problems: [{ field: 'name', message: 'Role name must start with app-' }],
        },
      ],
    });
    expect(html).toContain('Guardrails not met (1)');
    expect(html).toContain('Role name must start with app-');
  });

  it('says when there is nothing to report', () => {
    const html = render({ documents: [], risks: [] });
    expect(html).toContain('No findings: every document passes the checks.');
    expect(html).toContain('No risk flags');
  });
});

describe('QuotaMeter', () => {
  it('is a meter named by its label whose value text is what the eye reads', () => {
    const html = renderToStaticMarkup(
      <QuotaMeter id="m" label="Managed policies" meter={{ used: 3, quota: 10, unit: 'managed policies' }} />,
    );
    expect(html).toContain('<span id="m-label"');
    expect(html).toMatch(
      /role="meter" aria-labelledby="m-label" aria-valuemin="0" aria-valuemax="10" aria-valuenow="3" aria-valuetext="3 of 10 managed policies"/,
    );
    expect(html).toContain('width:30%');
  });

  it('says by how much a quota is exceeded', () => {
    const html = renderToStaticMarkup(
      <QuotaMeter id="t" label="Trust policy size" meter={{ used: 2100, quota: 2048, unit: 'characters' }} />,
    );
    expect(html).toContain('2,100 of 2,048 characters (52 over)');
    expect(html).toContain('aria-valuenow="2048"');
    expect(html).toContain('aria-valuetext="2,100 of 2,048 characters, 52 over the quota"');
    expect(html).toContain('width:100%');
  });
});
