import { Callout } from '@/components/ui/callout';
import { DataTable, type Column } from '@/components/ui/data-table';
import { DescriptionList } from '@/components/ui/description-list';
import { newManagedPolicyArn, roleArn } from '@/lib/iam/role-spec';
import { trustPolicyText } from '@/lib/iam/trust-builder';
import { describeWhoCanAssume } from '@/lib/iam/who-can-assume';
import { trustAllowsEc2 } from '@/lib/provisioning/instance-profile';
import type { RoleRequest } from '@/lib/requests/model';

interface Removal {
  what: string;
  name: string;
  outcome: string;
}

const columns: Column<Removal>[] = [
  { id: 'what', header: 'What', cell: (row) => row.what },
  {
    id: 'name',
    header: 'Name',
    rowHeader: true,
    cell: (row) => <code className="font-mono text-xs break-all">{row.name}</code>,
  },
  { id: 'outcome', header: 'What happens', cell: (row) => row.outcome },
];

/**
 * A delete request's consequences, from the role as recorded (`request.baseSpec`, else the spec):
 * what will be removed — the role, its inline policies, its managed policy attachments, the
 * customer managed policies Rolesmith created with it (deleted; policies attached but not created
 * by Rolesmith are only detached) — and who loses access: who can assume it, and the people
 * recorded as using it. Renders nothing for other kinds.
 */
export function DeleteSummary({ request }: { request: RoleRequest }) {
  if (request.kind !== 'delete') return null;
  const spec = request.baseSpec ?? request.spec;
  const trust = trustPolicyText(spec.trustedEntity);
  const removals: Removal[] = [
    {
      what: 'Role',
      name: roleArn(spec),
      outcome: 'Deleted, with its trust policy, tags and permissions boundary setting',
    },
    ...spec.inlinePolicies.map((policy) => ({
      what: 'Inline policy',
      name: policy.name,
      outcome: 'Deleted with the role',
    })),
    ...spec.newManagedPolicies.map((policy) => ({
      what: 'Customer managed policy (created by Rolesmith for this role)',
      name: newManagedPolicyArn(spec.accountId, policy.name),
      outcome: 'Detached, then deleted',
    })),
    ...spec.managedPolicyArns.map((arn) => ({
      what: arn.split(':')[4] === 'aws' ? 'AWS managed policy' : 'Customer managed policy',
      name: arn,
      outcome: 'Detached only: Rolesmith did not create it, so it stays in the account',
    })),
    ...(spec.permissionsBoundaryArn
      ? [
          {
            what: 'Permissions boundary',
            name: spec.permissionsBoundaryArn,
            outcome: 'No longer applied to the role; the policy stays in the account',
          },
        ]
      : []),
    ...(trustAllowsEc2(trust)
      ? [
          {
            what: 'Instance profile',
            name: spec.name,
            outcome:
              'The role is removed from its instance profiles; the profile Rolesmith made for it is deleted',
          },
        ]
      : []),
  ];
  const who = describeWhoCanAssume(trust, { ownAccountId: spec.accountId });
  return (
    <section aria-labelledby="delete-summary-heading" className="space-y-4">
      <h2 id="delete-summary-heading" className="text-lg font-semibold text-slate-900">
        What will be removed
      </h2>
      <Callout tone="warning" headingLevel={3} title={`Deleting ${spec.name} from account ${spec.accountId}`}>
        <p>
          Once approved, Rolesmith deletes the role and what it created with it. Nobody can assume the role
          afterwards, and whatever uses it (people, applications, services) loses its permissions.
        </p>
      </Callout>
      <DataTable
        caption={`What deleting ${spec.name} removes`}
        columns={columns}
        rows={removals}
        rowKey={(row) => `${row.what}:${row.name}`}
      />
      <section aria-labelledby="delete-access-heading" className="space-y-2">
        <h3 id="delete-access-heading" className="text-base font-semibold text-slate-900">
          Who loses access
        </h3>
        <DescriptionList
          dense
          items={[
            { term: 'Can assume the role today', details: who },
            {
              term: 'People recorded as using it',
              details:
                request.roleUsers.length > 0 ? (
                  <ul className="space-y-0.5">
                    {request.roleUsers.map((user) => (
                      <li key={user}>{user}</li>
                    ))}
                  </ul>
                ) : (
                  'None recorded besides the requester'
                ),
            },
          ]}
        />
      </section>
    </section>
  );
}
