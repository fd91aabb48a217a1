import type { ReactNode } from 'react';
import { FoldedActions } from '@/components/requests/folded-actions';
import { SideBySide } from '@/components/requests/side-by-side';
import { Badge } from '@/components/ui/badge';
import { Callout } from '@/components/ui/callout';
import { DataTable, type Column } from '@/components/ui/data-table';
import { DescriptionList, type Description } from '@/components/ui/description-list';
import { awsManagedPolicyDocument } from '@/lib/iam/aws-managed-policies';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import {
  checkNoNewAccess,
  type NoNewAccessVerdict,
  type ResponsibleStatement,
} from '@/lib/iam/no-new-access';
import {
  foldByService,
  semanticDiff,
  type ScopeChange,
  type ServiceActions,
  type SemanticDiff,
  type TrustPrincipal,
} from '@/lib/iam/semantic-diff';
import type { RoleRequest } from '@/lib/requests/model';

function Subsection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h3 id={id} className="text-base font-semibold text-slate-900">
        {title}
      </h3>
      {children}
    </section>
  );
}

function Code({ children }: { children: ReactNode }) {
  return <code className="rounded bg-slate-100 px-1 font-mono text-xs break-words">{children}</code>;
}

/** Where a responsible statement stands, in the page's words. */
function statementLabel(item: ResponsibleStatement): string {
  const [head] = item.field.split('.');
  const policy =
    head === 'inlinePolicies'
      ? `Inline policy ${item.policy}`
      : head === 'newManagedPolicies'
        ? `Customer managed policy ${item.policy}`
        : head === 'managedPolicyArns'
          ? `Managed policy ${item.policy}`
          : head === 'permissionsBoundaryArn'
            ? `Permissions boundary ${item.policy}`
            : 'Trust policy';
  const statement =
    item.statementIndex === null
      ? ''
      : `, statement ${item.statementIndex}${item.sid ? ` (${item.sid})` : ''}`;
  const side = item.side === 'before' ? ' — in the role as it is' : '';
  return `${policy}${statement}${side}`;
}

function Verdict({ verdict }: { verdict: NoNewAccessVerdict }) {
  if (verdict.grantsNoNewAccess) {
    return (
      <Callout
        tone="success"
        headingLevel={3}
        title={
          <>
            <span aria-hidden="true">✓ </span>Grants no new access
          </>
        }
      >
        <p>
          Everything the role could do after this change it can do today, and everyone who could assume it
          after can assume it today. Proven offline from the identity policies, the permissions boundary and
          the trust policy, like IAM Access Analyzer&apos;s <em>check no new access</em>.
        </p>
      </Callout>
    );
  }
  const items = [...verdict.permissions.statements, ...verdict.trust.statements];
  return (
    <Callout
      tone="warning"
      headingLevel={3}
      title={
        <>
          <span aria-hidden="true">⚠ </span>May grant new access
        </>
      }
    >
      <p>
        No new access could be proven. {items.length === 1 ? 'This statement is' : 'These statements are'}{' '}
        why; check
        {items.length === 1 ? ' it' : ' each'} before approving.
      </p>
      <ul className="mt-1 space-y-2">
        {items.map((item) => (
          <li
            key={`${item.side}:${item.field}:${item.pointer}`}
            className="rounded-md border border-amber-200 bg-white/70 p-2"
          >
            <p className="font-medium">
              {statementLabel(item)}
              {item.pointer ? (
                <>
                  {' '}
                  · <Code>{item.pointer}</Code>
                </>
              ) : null}
            </p>
            <ul className="mt-1 list-disc pl-5">
              {item.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </Callout>
  );
}

/** The access levels of a service row with their counts: `Read (12), Write (3)`. */
const levelWords = (row: ServiceActions) =>
  row.levels.map(({ level, actions }) => `${level} (${actions.length})`).join(', ');

const serviceColumns: Column<ServiceActions>[] = [
  { id: 'service', header: 'Service', rowHeader: true, cell: (row) => row.serviceName },
  { id: 'level', header: 'Access levels', cell: levelWords },
  {
    id: 'actions',
    header: 'Actions',
    // A whole service's names say nothing the count does not: they are not repeated.
    cell: (row) =>
      row.isAll ? (
        `All ${row.count} actions of the service`
      ) : (
        <FoldedActions actions={row.levels.flatMap((level) => level.actions)} />
      ),
  },
];

/**
 * Actions by service, one row per service (as the console's policy summary): its access levels
 * with their counts, and its actions, folded when there are many.
 */
function ServiceTable({
  caption,
  groups,
  empty,
}: {
  caption: string;
  groups: readonly ServiceActions[];
  empty: string;
}) {
  const count = groups.reduce((sum, row) => sum + row.count, 0);
  return (
    <div className="space-y-1">
      <h4 className="text-sm font-medium text-slate-900">
        {caption}
        {groups.length > 0 ? (
          <span className="font-normal text-slate-600">
            {' '}
            ({count} {count === 1 ? 'action' : 'actions'} of {groups.length}{' '}
            {groups.length === 1 ? 'service' : 'services'})
          </span>
        ) : null}
      </h4>
      {groups.length === 0 ? (
        <p className="text-sm text-slate-700">{empty}</p>
      ) : (
        <DataTable caption={caption} columns={serviceColumns} rows={groups} rowKey={(row) => row.service} />
      )}
    </div>
  );
}

function ScopeList({ scopes }: { scopes: readonly string[] }) {
  return (
    <ul className="space-y-1">
      {scopes.map((scope) => (
        <li key={scope} className="break-words">
          {scope}
        </li>
      ))}
    </ul>
  );
}

const scopeColumns: Column<ScopeChange>[] = [
  {
    id: 'actions',
    header: 'Actions',
    rowHeader: true,
    cell: (row) => <FoldedActions actions={row.actions} />,
  },
  { id: 'effect', header: 'Effect', cell: (row) => row.effect },
  { id: 'before', header: 'Before', cell: (row) => <ScopeList scopes={row.before} /> },
  { id: 'after', header: 'After', cell: (row) => <ScopeList scopes={row.after} /> },
];

interface PrincipalRow extends TrustPrincipal {
  change: 'Added' | 'Removed';
}

const principalColumns: Column<PrincipalRow>[] = [
  { id: 'principal', header: 'Principal', rowHeader: true, cell: (row) => <Code>{row.label}</Code> },
  {
    id: 'change',
    header: 'Change',
    cell: (row) => <Badge tone={row.change === 'Added' ? 'warning' : 'neutral'}>{row.change}</Badge>,
  },
];

function listOrNone(items: readonly string[]): ReactNode {
  return items.length === 0 ? (
    'None'
  ) : (
    <ul className="space-y-0.5">
      {items.map((item) => (
        <li key={item}>
          <Code>{item}</Code>
        </li>
      ))}
    </ul>
  );
}

function otherChanges(diff: SemanticDiff): Description[] {
  const items: Description[] = [];
  const { managedPolicies, newManagedPolicies, inlinePolicies, tags } = diff;
  if (managedPolicies.attached.length > 0)
    items.push({ term: 'Managed policies attached', details: listOrNone(managedPolicies.attached) });
  if (managedPolicies.detached.length > 0)
    items.push({ term: 'Managed policies detached', details: listOrNone(managedPolicies.detached) });
  for (const [change, names] of Object.entries(newManagedPolicies))
    if (names.length > 0)
      items.push({
        term: `Customer managed policies (created by Rolesmith) ${change}`,
        details: listOrNone(names),
      });
  for (const [change, names] of Object.entries(inlinePolicies))
    if (names.length > 0) items.push({ term: `Inline policies ${change}`, details: listOrNone(names) });
  if (diff.boundary)
    items.push({
      term: 'Permissions boundary',
      details: (
        <>
          {diff.boundary.before ?? 'None'} → {diff.boundary.after ?? 'None'}
        </>
      ),
    });
  const tagLines = [
    ...tags.added.map((tag) => `Added ${tag.key} = ${tag.value || '(empty)'}`),
    ...tags.removed.map((tag) => `Removed ${tag.key} = ${tag.value || '(empty)'}`),
    ...tags.changed.map(
      (tag) => `Changed ${tag.key}: ${tag.before || '(empty)'} → ${tag.after || '(empty)'}`,
    ),
  ];
  if (tagLines.length > 0)
    items.push({
      term: 'Tags',
      details: (
        <ul className="space-y-0.5">
          {tagLines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ),
    });
  if (diff.maxSessionDuration)
    items.push({
      term: 'Maximum session duration',
      details: `${diff.maxSessionDuration.before / 3600} h → ${diff.maxSessionDuration.after / 3600} h`,
    });
  if (diff.description)
    items.push({
      term: 'Description',
      details: (
        <>
          “{diff.description.before || '(none)'}” → “{diff.description.after || '(none)'}”
        </>
      ),
    });
  return items;
}

function changeWords(diff: SemanticDiff['documents'][number]): string {
  const removed = diff.diff.removed.reduce((sum, range) => sum + range.end - range.start + 1, 0);
  const added = diff.diff.added.reduce((sum, range) => sum + range.end - range.start + 1, 0);
  const what = diff.change === 'added' ? 'added' : diff.change === 'removed' ? 'removed' : 'changed';
  return `${what} · ${removed} ${removed === 1 ? 'line' : 'lines'} removed, ${added} added`;
}

/** `before` or `after` when that side has the policy but its document is not known. */
function unknownSide(document: SemanticDiff['documents'][number]): 'before' | 'after' | null {
  if (document.change !== 'added' && !document.known.before) return 'before';
  if (document.change !== 'removed' && !document.known.after) return 'after';
  return null;
}

/**
 * A change request's difference from the role as recorded (`request.baseSpec` → `request.spec`):
 * the "grants no new access" verdict first, then the semantic diff (actions added and removed by
 * service and access level, resources and conditions changed, trust principals, other fields),
 * then each changed document side by side, normalised and folded. Renders nothing for other kinds.
 */
export async function ChangeDiff({ request }: { request: RoleRequest }) {
  const before = request.baseSpec;
  if (request.kind !== 'change' || before === null) return null;
  const after = request.spec;
  const catalogue = await loadCatalogue();
  const lookup = awsManagedPolicyDocument;
  const verdict = checkNoNewAccess(before, after, { lookup, catalogue });
  const diff = semanticDiff(before, after, { catalogue, lookup });
  const fold = (groups: Parameters<typeof foldByService>[0]) => foldByService(groups, catalogue);
  const principals: PrincipalRow[] = [
    ...diff.trust.principalsAdded.map((p): PrincipalRow => ({ ...p, change: 'Added' })),
    ...diff.trust.principalsRemoved.map((p): PrincipalRow => ({ ...p, change: 'Removed' })),
  ];
  const other = otherChanges(diff);
  const trustChanged =
    principals.length + diff.trust.conditionsAdded.length + diff.trust.conditionsRemoved.length > 0 ||
    diff.trust.whoCanAssume !== null;

  return (
    <section aria-labelledby="change-diff-heading" className="space-y-5">
      <h2 id="change-diff-heading" className="text-lg font-semibold text-slate-900">
        Changes to the role
      </h2>
      <Verdict verdict={verdict} />

      <Subsection id="change-actions-heading" title="Permissions">
        <ServiceTable
          caption="Actions allowed after the change that were not before"
          groups={fold(diff.actionsAdded)}
          empty="No actions added."
        />
        <ServiceTable
          caption="Actions no longer allowed"
          groups={fold(diff.actionsRemoved)}
          empty="No actions removed."
        />
        {diff.deniesAdded.length + diff.deniesRemoved.length > 0 ? (
          <>
            <ServiceTable
              caption="Actions newly denied"
              groups={fold(diff.deniesAdded)}
              empty="No denies added."
            />
            <ServiceTable
              caption="Actions no longer denied"
              groups={fold(diff.deniesRemoved)}
              empty="No denies removed."
            />
          </>
        ) : null}
        {diff.unrecognizedAdded.length > 0 ? (
          <p className="text-sm">
            Also allowed after the change, unknown to the IAM catalogue: {diff.unrecognizedAdded.join(', ')}.
          </p>
        ) : null}
        {diff.notCompared.length > 0 ? (
          <p className="text-sm text-slate-700">
            Not listed: the actions of {diff.notCompared.join(', ')}, whose documents are not known here.
          </p>
        ) : null}
      </Subsection>

      {diff.scopeChanges.length > 0 ? (
        <Subsection id="change-scope-heading" title="Resources and conditions changed">
          <DataTable
            caption="Actions on both sides whose resources or conditions changed"
            columns={scopeColumns}
            rows={diff.scopeChanges}
            // Scopes are long ARNs and conditions: the table scrolls (a focusable region) rather than squeeze.
            minWidth="min-w-[40rem]"
            rowKey={(row) => `${row.effect}:${row.actions[0]}:${row.before.join('|')}:${row.after.join('|')}`}
          />
        </Subsection>
      ) : null}

      <Subsection id="change-trust-heading" title="Trust relationships">
        {!trustChanged ? <p className="text-sm text-slate-700">The trust policy does not change.</p> : null}
        {principals.length > 0 ? (
          <DataTable
            caption="Trusted principals added or removed"
            columns={principalColumns}
            rows={principals}
            rowKey={(row) => `${row.change}:${row.type}:${row.value}`}
          />
        ) : null}
        {diff.trust.conditionsAdded.length + diff.trust.conditionsRemoved.length > 0 ? (
          <DescriptionList
            dense
            items={[
              { term: 'Conditions added', details: listOrNone(diff.trust.conditionsAdded) },
              { term: 'Conditions removed', details: listOrNone(diff.trust.conditionsRemoved) },
            ]}
          />
        ) : null}
        {diff.trust.whoCanAssume ? (
          <DescriptionList
            dense
            items={[
              { term: 'Who can assume it now', details: diff.trust.whoCanAssume.before },
              { term: 'Who can assume it after', details: diff.trust.whoCanAssume.after },
            ]}
          />
        ) : null}
      </Subsection>

      <Subsection id="change-other-heading" title="Other changes">
        {other.length > 0 ? (
          <DescriptionList dense items={other} />
        ) : (
          <p className="text-sm text-slate-700">No other changes.</p>
        )}
      </Subsection>

      {diff.documents.length > 0 ? (
        <Subsection id="change-documents-heading" title="Documents side by side">
          <p className="text-sm text-slate-700">
            Normalised: keys sorted, single values written as one-element lists, statements in their order.
          </p>
          {diff.documents.map((document) => (
            <details key={document.key} className="rounded-md border border-slate-200 bg-white">
              <summary className="focus-ring cursor-pointer rounded-md px-3 py-2 text-sm">
                <span className="font-medium">{document.title}</span> — {changeWords(document)}
              </summary>
              <div className="space-y-2 px-3 pb-3">
                {unknownSide(document) ? (
                  <p className="text-sm text-slate-700">
                    The document {unknownSide(document)} the change is not known here.
                  </p>
                ) : null}
                <SideBySide diff={document.diff} caption={`${document.title}, before and after`} />
              </div>
            </details>
          ))}
        </Subsection>
      ) : null}
    </section>
  );
}
