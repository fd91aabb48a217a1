import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { notFound } from 'next/navigation';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { TextLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CodeViewer } from '@/components/ui/code-viewer';
import { DescriptionList } from '@/components/ui/description-list';
import { PageHeader } from '@/components/ui/page-header';
import { requirePrincipal } from '@/lib/auth/session';
import type { RoleSpec } from '@/lib/iam/role-spec';
import { trustPolicyText } from '@/lib/iam/trust-builder';
import { describeWhoCanAssume } from '@/lib/iam/who-can-assume';
import { justificationKeyOf } from '@/lib/requests/assess';
import { getRequest } from '@/lib/requests/requests';
import { markRequestSeen } from '@/lib/requests/seen';
import { describeState, type RequestState } from '@/lib/requests/state-machine';

export const metadata: Metadata = { title: 'Request' };

const stateTone: Record<RequestState, BadgeTone> = {
  draft: 'neutral',
  pending: 'info',
  approved: 'info',
  provisioning: 'info',
  provisioned: 'success',
  rejected: 'danger',
  cancelled: 'neutral',
  failed: 'danger',
  rolled_back: 'warning',
};

const severityTone: Record<string, BadgeTone> = {
  critical: 'danger',
  high: 'danger',
  security_warning: 'danger',
  medium: 'warning',
  warning: 'warning',
  low: 'neutral',
  suggestion: 'neutral',
};

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Where a finding or flag stands, in the words of the page's sections. */
function fieldLabel(spec: RoleSpec, field: string): string {
  const [head, index] = field.split('.');
  const at = Number(index);
  if (head === 'trustedEntity') return 'trust policy';
  if (head === 'inlinePolicies') return `inline policy ${spec.inlinePolicies[at]?.name ?? ''}`;
  if (head === 'newManagedPolicies') return `new managed policy ${spec.newManagedPolicies[at]?.name ?? ''}`;
  if (head === 'managedPolicyArns')
    return `managed policy ${spec.managedPolicyArns[at]?.split('/').pop() ?? ''}`;
  return field;
}

/**
 * One request as it will be created: its state, the trust policy and who can assume it, the
 * permissions, boundary and tags, the findings and risk flags with the requester's
 * justifications. Visible to its requester, the approvers of its account and admins (404 for
 * anyone else, as for a request that does not exist).
 */
export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const principal = await requirePrincipal();
  const { id } = await params;
  const detail = await getRequest(principal, id);
  if (!detail.ok) notFound();
  await markRequestSeen(principal, id);
  const { request } = detail.value;
  const { spec } = request;
  const trust = trustPolicyText(spec.trustedEntity);
  const justifications = request.flagJustifications;
  const flags = [
    ...request.findings
      .filter((finding) => finding.severity === 'security_warning' || finding.severity === 'warning')
      .map((finding) => ({
        key: justificationKeyOf(finding),
        severity: finding.severity,
        title: finding.code,
        explanation: finding.message,
        field: finding.field,
      })),
    ...request.risks.map((risk) => ({
      key: justificationKeyOf(risk),
      severity: risk.severity,
      title: risk.title,
      explanation: risk.explanation,
      field: risk.field,
    })),
  ];

  return (
    <div className="space-y-8">
      <PageHeader
        title={`${request.roleName} · ${request.accountId}`}
        description={
          <>
            Requested by {request.requester.name} on {request.createdAt.toISOString().slice(0, 10)} ·{' '}
            <Badge tone={stateTone[request.state]}>{describeState(request.state)}</Badge>
          </>
        }
        actions={
          <TextLink
            fullLoad
            href={`/api/requests/${request.id}/spec`}
            download={`${request.roleName}-request.json`}
            className="text-sm"
          >
            Download the request as JSON
          </TextLink>
        }
      />

      <Card className="space-y-3 p-4">
        <DescriptionList
          items={[
            { term: 'Kind', details: request.kind },
            { term: 'Justification', details: request.justification },
            {
              term: 'People who will use the role',
              details: request.roleUsers.length > 0 ? request.roleUsers.join(', ') : 'Only the requester',
            },
            { term: 'Approvals needed', details: String(request.approvalsRequired) },
            ...(request.fromRequestId
              ? [
                  {
                    term: 'Started again from',
                    details: <Link href={`/requests/${request.fromRequestId}`}>the rejected request</Link>,
                  },
                ]
              : []),
            ...(request.failure
              ? [{ term: 'Failure', details: `${request.failure.code}: ${request.failure.message}` }]
              : []),
          ]}
        />
      </Card>

      <Section id="trust-heading" title="Trusted entity">
        <p className="text-sm text-slate-800">
          {describeWhoCanAssume(trust, { ownAccountId: spec.accountId })}
        </p>
        <CodeViewer json={trust} label="Trust policy" />
      </Section>

      <Section id="permissions-heading" title="Permissions">
        {spec.managedPolicyArns.length > 0 ? (
          <ul className="list-disc pl-6 text-sm">
            {spec.managedPolicyArns.map((arn) => (
              <li key={arn} className="font-mono text-xs">
                {arn}
              </li>
            ))}
          </ul>
        ) : null}
        {spec.inlinePolicies.map((policy) => (
          <div key={`inline-${policy.name}`} className="space-y-1">
            <h3 className="text-sm font-medium">Inline policy {policy.name}</h3>
            <CodeViewer json={policy.document} label={`Inline policy ${policy.name}`} />
          </div>
        ))}
        {spec.newManagedPolicies.map((policy) => (
          <div key={`managed-${policy.name}`} className="space-y-1">
            <h3 className="text-sm font-medium">New managed policy {policy.name}</h3>
            {policy.description ? <p className="text-sm text-slate-700">{policy.description}</p> : null}
            <CodeViewer json={policy.document} label={`New managed policy ${policy.name}`} />
          </div>
        ))}
        {spec.managedPolicyArns.length + spec.inlinePolicies.length + spec.newManagedPolicies.length === 0 ? (
          <p className="text-sm text-slate-700">No permissions policies.</p>
        ) : null}
        <DescriptionList
          dense
          items={[
            { term: 'Permissions boundary', details: spec.permissionsBoundaryArn ?? 'None' },
            { term: 'Path', details: spec.path },
            {
              term: 'Maximum session duration',
              details: `${spec.maxSessionDuration / 3600} ${spec.maxSessionDuration === 3600 ? 'hour' : 'hours'}`,
            },
            { term: 'Description', details: spec.description || 'None' },
          ]}
        />
      </Section>

      <Section id="tags-heading" title="Tags">
        {spec.tags.length > 0 ? (
          <DescriptionList
            dense
            items={spec.tags.map((tag) => ({ term: tag.key, details: tag.value || '(empty)' }))}
          />
        ) : (
          <p className="text-sm text-slate-700">No tags.</p>
        )}
      </Section>

      <Section id="findings-heading" title="Findings and risk flags">
        {flags.length === 0 ? (
          <p className="text-sm text-slate-700">No security warnings, warnings or risk flags.</p>
        ) : (
          <ul className="space-y-3">
            {flags.map((flag) => (
              <li
                key={`${flag.key}-${flag.explanation}`}
                className="rounded-md border border-slate-200 p-3 text-sm"
              >
                <p>
                  <Badge tone={severityTone[flag.severity] ?? 'neutral'}>
                    {flag.severity.replace('_', ' ')}
                  </Badge>{' '}
                  <span className="font-medium">{flag.title}</span>{' '}
                  <span className="text-slate-600">({fieldLabel(spec, flag.field)})</span>
                </p>
                <p className="mt-1 text-slate-800">{flag.explanation}</p>
                {justifications[flag.key] ? (
                  <p className="mt-1 text-slate-800">
                    <span className="font-medium">Requester’s justification:</span> {justifications[flag.key]}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
