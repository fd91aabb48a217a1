'use client';

import { useId } from 'react';
import { Badge } from '@/components/ui/badge';
import { Field } from '@/components/ui/field';
import { Textarea } from '@/components/ui/input';
import type { Finding, FindingSeverity } from '@/lib/iam/findings';
import {
  findingLocation,
  groupFindings,
  requiresJustification,
  RISK_CATEGORY_LABELS,
  RISK_SEVERITY_TONES,
  riskCategory,
  suggestionSentence,
  type FindingGroup,
} from '@/lib/wizard/findings-view';
import { policyNameOfArn } from '@/lib/wizard/permissions';
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
  /** The level of the panel's headings ("Findings", "Risk flags"); 3 by default. */
  headingLevel?: 2 | 3;
  /** Marks a justification as touched (on blur), keyed `flagJustifications.<key>`. */
  onTouch?: (field: string) => void;
}

const countTone: Record<FindingSeverity, 'danger' | 'warning' | 'info' | 'neutral'> = {
  security_warning: 'danger',
  error: 'danger',
  warning: 'warning',
  suggestion: 'info',
};

const severityWords = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' } as const;

/**
 * The findings of every document, grouped as IAM Access Analyzer does (security warnings, errors,
 * warnings, suggestions: the four counts, then a headed group for each type found; headed groups
 * rather than tabs, as they fit the narrow preview column), each under its document's title, with its
 * code, message, suggestions and a location that jumps to the spot; then the risk flags, each
 * explained, with the justification the approver reads (required for security warnings and for
 * critical and high flags).
 */
export function FindingsPanel({
  documents,
  risks,
  justifications,
  onJustify,
  onJump,
  errors = {},
  headingLevel = 3,
  onTouch,
}: FindingsPanelProps) {
  const id = useId();
  const groups = groupFindings(documents);
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  const problems = documents.flatMap((document) =>
    (document.problems ?? []).map((problem) => ({ ...problem, documentKey: document.key })),
  );
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const SubHeading = headingLevel === 2 ? 'h3' : 'h4';
  const titleOf = (key: string) =>
    documents.find((document) => document.key === key)?.title ??
    (key.startsWith('managed:') ? `Managed policy ${policyNameOfArn(key.slice('managed:'.length))}` : key);

  return (
    <div className="flex flex-col gap-5">
      <section aria-labelledby={`${id}-findings`} className="flex flex-col gap-3">
        <Heading id={`${id}-findings`} className="text-sm font-semibold text-slate-900">
          Findings
        </Heading>
        <ul aria-label="Findings by type" className="grid grid-cols-2 gap-2">
          {groups.map((group) => (
            <li
              key={group.severity}
              className="flex items-center justify-between gap-2 rounded-md border border-slate-200 bg-white px-2.5 py-1.5 text-sm text-slate-800"
            >
              {group.label}
              <Badge tone={group.count > 0 ? countTone[group.severity] : 'neutral'}>{group.count}</Badge>
            </li>
          ))}
        </ul>
        {problems.length > 0 ? (
          <section className="flex flex-col gap-2">
            <SubHeading className="text-sm font-semibold text-slate-900">
              Guardrails not met ({problems.length})
            </SubHeading>
            <ul className="flex flex-col gap-2">
              {problems.map((problem, index) => (
                <li
                  key={`${problem.documentKey}-${problem.field}-${index}`}
                  className="rounded-md border border-red-200 bg-white px-3 py-2 text-sm text-red-900"
                >
                  {problem.message}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {total === 0 ? (
          <p className="text-sm text-slate-700">
            {problems.length === 0
              ? 'No findings: every document passes the checks.'
              : 'No findings in the policy documents.'}
          </p>
        ) : (
          groups
            .filter((group) => group.count > 0)
            .map((group) => (
              <FindingGroupList key={group.severity} group={group} onJump={onJump} SubHeading={SubHeading} />
            ))
        )}
      </section>

      <section aria-labelledby={`${id}-risks`} className="flex flex-col gap-3">
        <Heading id={`${id}-risks`} className="text-sm font-semibold text-slate-900">
          Risk flags ({risks.length})
        </Heading>
        {risks.length === 0 ? (
          <p className="text-sm text-slate-700">
            No risk flags: nothing here grants privilege escalation, exposure or data exfiltration.
          </p>
        ) : (
          <ul className="flex flex-col gap-3">
            {risks.map((risk, index) => {
              const required = requiresJustification(risk, documents);
              const fieldId = `${id}-flag-${index}`;
              const fieldKey = `flagJustifications.${risk.key}`;
              return (
                <li
                  key={risk.key}
                  className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 text-sm"
                >
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={RISK_SEVERITY_TONES[risk.severity]}>{severityWords[risk.severity]}</Badge>
                    <span className="text-xs font-medium text-slate-700 uppercase">
                      {RISK_CATEGORY_LABELS[riskCategory(risk, documents)]}
                    </span>
                  </div>
                  <SubHeading className="font-semibold text-slate-900">{risk.title}</SubHeading>
                  <p className="text-slate-800">{risk.explanation}</p>
                  <p className="text-xs text-slate-600">
                    In {titleOf(risk.documentKey)}
                    {risk.pointers.length > 0 ? (
                      <>
                        {' '}
                        at <span className="font-mono">{risk.pointers.join(', ')}</span>
                      </>
                    ) : null}
                  </p>
                  <Field
                    id={fieldId}
                    label={required ? 'Justification (required)' : 'Justification (optional)'}
                    hint="Why the role needs this. Your approver reads it with the request."
                    errors={errors[fieldKey]}
                  >
                    {(props) => (
                      <Textarea
                        {...props}
                        data-field={fieldKey}
                        rows={2}
                        required={required}
                        value={justifications[risk.key] ?? ''}
                        onChange={(event) => onJustify(risk.key, event.target.value)}
                        onBlur={() => onTouch?.(fieldKey)}
                      />
                    )}
                  </Field>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}

function FindingGroupList({
  group,
  onJump,
  SubHeading,
}: {
  group: FindingGroup;
  onJump?: FindingsPanelProps['onJump'];
  SubHeading: 'h3' | 'h4';
}) {
  return (
    <section className="flex flex-col gap-2">
      <SubHeading className="text-sm font-semibold text-slate-900">
        {group.label} ({group.count})
      </SubHeading>
      {group.documents.map((document) => (
        <div key={document.key} className="flex flex-col gap-1.5">
          <p className="text-xs font-medium text-slate-700">{document.title}</p>
          <ul className="flex flex-col gap-2">
            {document.findings.map((finding, index) => (
              <FindingItem
                key={`${finding.code}-${finding.line}-${finding.column}-${index}`}
                finding={finding}
                documentTitle={document.title}
                onJump={onJump ? () => onJump(document.key, finding.line, finding.column) : undefined}
              />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function FindingItem({
  finding,
  documentTitle,
  onJump,
}: {
  finding: Finding;
  documentTitle: string;
  onJump?: () => void;
}) {
  const location = findingLocation(finding);
  const suggestion = suggestionSentence(finding.suggestions);
  return (
    <li className="flex flex-col gap-1 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm">
      <code className="font-mono text-xs text-slate-700">{finding.code}</code>
      <p className="text-slate-900">{finding.message}</p>
      {suggestion ? <p className="text-slate-800">{suggestion}</p> : null}
      {onJump ? (
        <button
          type="button"
          onClick={onJump}
          aria-label={`Go to ${location} in ${documentTitle}`}
          className="focus-ring self-start rounded-sm text-left text-xs font-medium text-indigo-800 underline underline-offset-2 hover:text-indigo-950"
        >
          {location}
        </button>
      ) : (
        <p className="text-xs text-slate-600">{location}</p>
      )}
    </li>
  );
}
