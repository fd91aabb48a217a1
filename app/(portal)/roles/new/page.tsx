import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Callout } from '@/components/ui/callout';
import { PageHeader } from '@/components/ui/page-header';
import { TextLink } from '@/components/ui/button';
import type { AccountOption } from '@/components/wizard/step-props';
import { Wizard } from '@/components/wizard/wizard';
import { WizardStart } from '@/components/wizard/wizard-start';
import { toStepId } from '@/components/wizard/wizard-steps';
import { listTargetAccounts } from '@/lib/accounts/accounts';
import type { Principal } from '@/lib/auth/principal';
import { requirePrincipal } from '@/lib/auth/session';
import { servicePresets } from '@/lib/iam/service-presets';
import { getRequest } from '@/lib/requests/requests';
import { getRoleSummary, listRoleSummaries } from '@/lib/requests/roles';
import { getWizardDraft, listWizardDrafts } from '@/lib/wizard/drafts';
import type { WizardStepId } from '@/lib/wizard/preview-types';
import { parseWizardState } from '@/lib/wizard/state-schema';
import { emptyWizardState, type WizardState } from '@/lib/wizard/state';
import {
  stateForChange,
  stateFromRequest,
  stateFromRoleSpec,
  WIZARD_TEMPLATES,
} from '@/lib/wizard/templates';

export const metadata: Metadata = { title: 'Create role' };

type SearchParams = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

interface Start {
  state: WizardState;
  step: WizardStepId;
  draft: { id: string; version: number; savedAt: string } | null;
  origin: string | null;
}

/** A start the page cannot make (an unknown template, a role or request the person cannot see). */
function CannotStart({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Create role" />
      <Callout tone="error" title={title}>
        <p>{children}</p>
        <p>
          <TextLink href="/roles/new?start=blank">Start a blank request</TextLink> or{' '}
          <TextLink href="/roles/new">see your drafts and templates</TextLink>.
        </p>
      </Callout>
    </div>
  );
}

/** The role an `account/role name` reference names, if the person can see it. */
async function roleNamed(principal: Principal, reference: string) {
  const slash = reference.indexOf('/');
  return slash > 0
    ? getRoleSummary(principal, reference.slice(0, slash), reference.slice(slash + 1))
    : ({ ok: false } as const);
}

function RoleNotFound({ reference }: { reference: string }) {
  return (
    <CannotStart title="Role not found">
      There is no role “{reference}” that you can see. Roles are written as account/role name.
    </CannotStart>
  );
}

/**
 * `/roles/new`: the create-role wizard. `?draft=<id>` resumes one of the person's wizard drafts
 * (at its step); `?template=<id>` starts from a template; `?copy=<account>/<role>` copies a role
 * the person can see (its name left empty); `?from=<request id>` starts again from a rejected
 * request (a new request linked to it); `?change=<account>/<role>` requests a change of a role the
 * person can see (its name and account fixed). With none of these and drafts saved, the person chooses
 * (`?start=blank` skips the choice).
 */
export default async function NewRolePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePrincipal();
  const params = await searchParams;
  const [targetAccounts, drafts] = await Promise.all([listTargetAccounts(), listWizardDrafts(principal)]);
  const accounts: AccountOption[] = targetAccounts.map(({ id, alias }) => ({ id, alias }));
  const defaultAccount = accounts.length === 1 ? (accounts[0]?.id ?? '') : '';

  const draftId = one(params.draft);
  const templateId = one(params.template);
  const copy = one(params.copy);
  const fromId = one(params.from);
  const change = one(params.change);

  let start: Start;
  if (draftId !== undefined) {
    const draft = await getWizardDraft(principal, draftId);
    if (!draft.ok) notFound();
    start = {
      state: parseWizardState(draft.value.state).state,
      step: toStepId(draft.value.step),
      draft: {
        id: draft.value.id,
        version: draft.value.version,
        savedAt: draft.value.updatedAt.toISOString(),
      },
      origin: null,
    };
  } else if (templateId !== undefined) {
    const template = WIZARD_TEMPLATES.find((candidate) => candidate.id === templateId);
    if (!template)
      return <CannotStart title="No such template">There is no template called “{templateId}”.</CannotStart>;
    start = {
      state: template.state(defaultAccount),
      step: 'trust',
      draft: null,
      origin: `Started from the template “${template.title}”: change anything you need.`,
    };
  } else if (change !== undefined) {
    const role = await roleNamed(principal, change);
    if (!role.ok) return <RoleNotFound reference={change} />;
    start = {
      state: stateForChange(
        role.value.spec,
        role.value.roleUsers,
        role.value.ownerId === principal.id ? null : role.value.ownerName,
      ),
      step: 'trust',
      draft: null,
      origin: `A change of ${role.value.roleName}, as Rolesmith recorded it: change what you need, then submit it for approval. The name and account stay.`,
    };
  } else if (copy !== undefined) {
    const role = await roleNamed(principal, copy);
    if (!role.ok) return <RoleNotFound reference={copy} />;
    start = {
      state: stateFromRoleSpec(role.value.spec),
      step: 'trust',
      draft: null,
      origin: `A copy of ${role.value.roleName}: its trust and permissions are copied; choose a new name.`,
    };
  } else if (fromId !== undefined) {
    const request = await getRequest(principal, fromId);
    if (!request.ok || request.value.request.requester.id !== principal.id)
      return (
        <CannotStart title="Request not found">
          There is no request of yours with the id “{fromId}”.
        </CannotStart>
      );
    if (request.value.request.state !== 'rejected')
      return (
        <CannotStart title="This request was not rejected">
          Only a rejected request can be started again; this one is {request.value.request.state}.{' '}
          <TextLink href={`/requests/${fromId}`}>Open it</TextLink>.
        </CannotStart>
      );
    start = {
      state: stateFromRequest(request.value.request),
      step: 'trust',
      draft: null,
      origin: `A new request from your rejected request for ${request.value.request.roleName}: change what the approver asked for.`,
    };
  } else if (drafts.length > 0 && one(params.start) !== 'blank') {
    const roles = await listRoleSummaries(principal);
    return (
      <WizardStart
        // "Start blank" is the page's own button.
        templates={WIZARD_TEMPLATES.filter((template) => template.id !== 'blank').map(
          ({ id, title, description }) => ({ id, title, description }),
        )}
        drafts={drafts}
        accounts={accounts}
        roles={roles.map(({ accountId, roleName }) => ({ accountId, roleName }))}
      />
    );
  } else {
    start = { state: emptyWizardState(defaultAccount), step: 'trust', draft: null, origin: null };
  }

  return (
    <Wizard
      // A new start (another template, another draft) is a new wizard, not an update of this one.
      key={start.draft?.id ?? `${templateId ?? ''}|${copy ?? ''}|${fromId ?? ''}|${change ?? ''}`}
      accounts={accounts}
      servicePresets={servicePresets}
      initialState={start.state}
      initialStep={start.step}
      draft={start.draft}
      origin={start.origin}
    />
  );
}
