import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { getTargetAccount, listTargetAccounts, type TargetAccount } from '@/lib/accounts/accounts';
import { summarizeAccess, type AccessSummary } from '@/lib/iam/access-summary';
import { awsManagedPolicyDocument } from '@/lib/iam/aws-managed-policies';
import { buildCliProfile } from '@/lib/iam/cli-profile';
import { FINDING_CODES } from '@/lib/iam/finding-codes';
import { sortFindings } from '@/lib/iam/findings';
import { checkGuardrails, type Guardrails } from '@/lib/iam/guardrail-check';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import { normalizePolicy, parsePolicyDocument, type NormalizedPolicy } from '@/lib/iam/policy';
import { policySize } from '@/lib/iam/policy-size';
import { roleArn, type RoleSpec } from '@/lib/iam/role-spec';
import { buildSwitchRoleLink } from '@/lib/iam/switch-role';
import { recognizeTrustPolicy, trustPolicyText } from '@/lib/iam/trust-builder';
import { accountIdSchema } from '@/lib/iam/trust-entity';
import { describeWhoCanAssume } from '@/lib/iam/who-can-assume';
import { assessRoleSpec, needsAcknowledgement } from '@/lib/requests/assess';
import { getGuardrails } from '@/lib/requests/guardrails-store';
import { fail, formErrorKey, ok, type Result } from '@/lib/result';
import { customerPolicyDocument, managedPoliciesQuotaOf, type AccountIam } from '@/lib/wizard/account-reads';
import type {
  PreviewDocument,
  PreviewRiskFlag,
  WizardFieldErrors,
  WizardPreview,
  WizardStepId,
} from '@/lib/wizard/preview-types';
import { requestFieldErrors, specFromWizardState, type WizardSpec } from '@/lib/wizard/spec-from-state';
import { flagKey, stepOfField, type EntityCard, type WizardState } from '@/lib/wizard/state';
import { trustState } from '@/lib/wizard/templates';

/**
 * The wizard's live preview (`POST /api/wizard/preview`): everything the preview column, the
 * findings panel, the meters and the review show, for the state as typed. The same checks as
 * submission (`lib/requests/assess.ts`, the guardrails), keyed by the wizard's fields; nothing is
 * stored. Reads the database (guardrails, target accounts) and, through short caches, the target
 * account (its managed-policy quota, the documents of its customer managed policies).
 */

/** IAM's quotas the meters count against (iam-api-facts §4–5). */
export const INLINE_POLICIES_SIZE_QUOTA = 10_240;
export const TRUST_POLICY_SIZE_QUOTA = 2048;
export const TAGS_PER_ROLE_QUOTA = 50;
/** At most this many action names per service in the access summary (the levels count them all). */
export const maxSummaryActionsPerService = 100;

const previewInputSchema = z.object({ state: z.unknown() }, { error: 'Send { "state": … }' });

export interface PreviewOptions {
  /** How the target account is read (tests pass the emulator's clients). */
  accountIam?: AccountIam;
}

/** The preview document of a RoleSpec policy field: its key, title and editable state field. */
function documentOf(
  wizard: WizardSpec,
  spec: RoleSpec,
  specField: string,
): { key: string; title: string; field?: string } | null {
  const key = wizard.documentKeyOf(specField);
  if (key === null) return null;
  const [head, index] = specField.split('.');
  if (key === 'trust')
    return {
      key,
      title: 'Trust policy',
      ...(wizard.state.entity === 'custom' ? { field: 'custom.document' } : {}),
    };
  if (key === 'boundary')
    return { key, title: `Permissions boundary ${spec.permissionsBoundaryArn?.split('/').pop() ?? ''}` };
  if (key.startsWith('managed:')) return { key, title: `Managed policy ${key.split('/').pop() ?? ''}` };
  const inline = head === 'inlinePolicies';
  const name =
    (inline ? spec.inlinePolicies : spec.newManagedPolicies)[Number(index)]?.name || 'without a name';
  return {
    key,
    title: `${inline ? 'Inline policy' : 'New managed policy'} ${name}`,
    field: `customPolicies.${key.slice('policy:'.length)}.document`,
  };
}

const memoKey = Symbol.for('rolesmith.wizardPreviewMemo');
const maxMemoEntries = 200;

/**
 * `compute()`'s result kept per process under `key` (the most recent {@link maxMemoEntries}):
 * for what is costly and depends only on the key (a large managed policy's checks, an access
 * summary), so that the preview stays fast as the person types elsewhere.
 */
function memo<T>(key: string, compute: () => T): T {
  const holder = globalThis as { [memoKey]?: Map<string, unknown> };
  const entries = (holder[memoKey] ??= new Map());
  if (entries.has(key)) return entries.get(key) as T;
  const value = compute();
  entries.set(key, value);
  if (entries.size > maxMemoEntries) entries.delete(entries.keys().next().value as string);
  return value;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

function addTo(errors: WizardFieldErrors, key: string, messages: readonly string[]): void {
  const list = (errors[key] ??= []);
  for (const message of messages) if (!list.includes(message)) list.push(message);
}

function parsed(text: string | undefined): NormalizedPolicy | null {
  if (text === undefined) return null;
  const result = parsePolicyDocument(text);
  return result.ok ? normalizePolicy(result.value) : null;
}

/** The RoleSpec the checks run on while the state is incomplete: what step 1–3 have so far. */
function assessableSpec(wizard: WizardSpec, accountId: string): { spec: RoleSpec; hasTrust: boolean } {
  const input = wizard.input;
  const spec: RoleSpec = {
    accountId,
    name: input.name,
    path: input.path ?? '/',
    description: '',
    maxSessionDuration: typeof input.maxSessionDuration === 'number' ? input.maxSessionDuration : 3600,
    trustedEntity: wizard.trustedEntity ?? { type: 'custom', document: '' },
    // As built (indexes matter: flags and errors name them); unknown ARNs resolve to no document.
    managedPolicyArns: [...(input.managedPolicyArns ?? [])],
    newManagedPolicies: (input.newManagedPolicies ?? []).map((policy) => ({
      name: policy.name,
      description: policy.description ?? '',
      document: policy.document,
    })),
    inlinePolicies: [...(input.inlinePolicies ?? [])],
    ...(input.permissionsBoundaryArn ? { permissionsBoundaryArn: input.permissionsBoundaryArn } : {}),
    tags: (input.tags ?? []).map((tag) => ({ key: tag.key, value: tag.value ?? '' })),
  };
  return { spec, hasTrust: wizard.trustedEntity !== null };
}

function trimmedSummary(summary: AccessSummary): AccessSummary {
  return {
    services: summary.services.map((service) => ({
      ...service,
      actions: service.actions.slice(0, maxSummaryActionsPerService),
    })),
    unrecognizedActions: summary.unrecognizedActions.slice(0, 50),
  };
}

function guardrailInfo(guardrails: Guardrails, accountId: string): WizardPreview['guardrails'] {
  return {
    roleNamePrefix: guardrails.roleNamePrefix || null,
    pathPrefix: guardrails.pathPrefix,
    requiredBoundaryArn:
      guardrails.permissionsBoundaryArn === null
        ? null
        : guardrails.permissionsBoundaryArn.replaceAll('{accountId}', accountId),
    requiredTags: guardrails.requiredTags.map((tag) => ({
      key: tag.key,
      allowedValues: [...tag.allowedValues],
    })),
    maxSessionHours: Math.floor(guardrails.maxSessionDurationCeiling / 3600),
  };
}

/**
 * The preview of a wizard state. `invalid_input` only when the body is no `{ state }` object;
 * any state, however broken, gets a preview (its problems as field errors). Never throws for
 * bad input.
 */
export async function previewWizard(
  input: unknown,
  options: PreviewOptions = {},
): Promise<Result<WizardPreview>> {
  const body = previewInputSchema.safeParse(input);
  if (!body.success)
    return fail('invalid_input', 'Send { "state": … }', { [formErrorKey]: ['Send { "state": … }'] });
  const rawAccount = (body.data.state as { accountId?: unknown } | null)?.accountId;
  const accountId = typeof rawAccount === 'string' ? rawAccount.trim() : '';
  const account: TargetAccount | null = accountIdSchema.safeParse(accountId).success
    ? await getTargetAccount(accountId)
    : null;
  const [{ guardrails, version: guardrailsVersion }, targets, quota, catalogue] = await Promise.all([
    getGuardrails(),
    listTargetAccounts(),
    managedPoliciesQuotaOf(accountId, options.accountIam),
    loadCatalogue(),
  ]);
  const wizard = specFromWizardState(body.data.state, { managedPoliciesPerRole: quota });
  const { state } = wizard;
  const fieldErrors: WizardFieldErrors = {};
  for (const [key, messages] of Object.entries(wizard.fieldErrors)) addTo(fieldErrors, key, messages);
  if (!account && !fieldErrors.accountId)
    addTo(fieldErrors, 'accountId', ['Choose one of the portal’s target accounts']);

  const { spec, hasTrust } = assessableSpec(wizard, accountId);

  // The documents of attached managed policies: AWS managed ones bundled, the account's read (cached).
  const managedDocuments = new Map<string, string>();
  const managedArns = [
    ...spec.managedPolicyArns,
    ...(spec.permissionsBoundaryArn ? [spec.permissionsBoundaryArn] : []),
  ];
  await Promise.all(
    managedArns.map(async (arn) => {
      const bundled = awsManagedPolicyDocument(arn);
      if (bundled !== undefined) managedDocuments.set(arn, bundled);
      else if (account && arn.split(':')[4] === account.id) {
        const read = await customerPolicyDocument(account, arn, options.accountIam);
        if (read.ok) managedDocuments.set(arn, read.value);
      }
    }),
  );
  const resolve = (arn: string) => managedDocuments.get(arn);
  const organization = targets.map((target) => target.id);
  const assessment = assessRoleSpec(spec, organization, catalogue, resolve);
  const isTrustField = (field: string) => field.startsWith('trustedEntity');

  // Documents and their findings (errors included: they are the editors' markers).
  const documents: PreviewDocument[] = [];
  for (const document of assessment.documents) {
    if (!hasTrust && isTrustField(document.field)) continue;
    const title = documentOf(wizard, spec, document.field);
    if (!title) continue;
    documents.push({
      key: title.key,
      title: title.title,
      ...(title.field ? { field: title.field } : {}),
      findings: sortFindings(document.findings),
    });
  }
  for (const [field, messages] of Object.entries(assessment.fieldErrors)) {
    if (!hasTrust && isTrustField(field)) continue;
    addTo(fieldErrors, wizard.stateFieldOf(field), messages);
  }

  // The guardrails, on what the state has so far.
  const problems: { field: string; message: string }[] = [];
  // Attached managed policies are checked one by one, each result kept (their documents are large).
  const guardrailErrors = checkGuardrails(spec, guardrails, { organizationAccountIds: organization });
  spec.managedPolicyArns.forEach((arn, index) => {
    const document = resolve(arn);
    if (document === undefined) return;
    const messages = memo(`guardrails:${guardrailsVersion}:${arn}:${document.length}`, () => {
      const single = { ...spec, managedPolicyArns: [arn] };
      return (
        checkGuardrails(
          single,
          { ...guardrails, forbiddenActions: guardrails.forbiddenActions },
          {
            organizationAccountIds: organization,
            resolveManagedPolicy: () => document,
          },
        )['managedPolicyArns.0'] ?? []
      );
    });
    if (messages.length > 0) guardrailErrors[`managedPolicyArns.${index}`] = messages;
  });
  for (const [field, messages] of Object.entries(guardrailErrors)) {
    if (field === 'name' && spec.name === '') continue;
    if (!hasTrust && isTrustField(field)) continue;
    const stateField = wizard.stateFieldOf(field);
    const shown =
      field === 'maxSessionDuration'
        ? [
            `Maximum session duration must be at most ${guardrails.maxSessionDurationCeiling / 3600} hours (the guardrail ceiling)`,
          ]
        : messages;
    addTo(fieldErrors, stateField, shown);
    for (const message of shown) problems.push({ field: stateField, message });
  }
  documents.push({ key: 'guardrails', title: 'Guardrails', findings: [], problems });

  // Risks: security warnings and risk flags, each keyed where its justification is kept.
  const risks: PreviewRiskFlag[] = [];
  for (const finding of assessment.findings) {
    if (!needsAcknowledgement(finding)) continue;
    if (!hasTrust && isTrustField(finding.field)) continue;
    const title = documentOf(wizard, spec, finding.field);
    if (!title) continue;
    risks.push({
      key: flagKey(finding.code, title.key, finding.path ?? ''),
      code: finding.code,
      severity: 'high',
      title: FINDING_CODES[finding.code as keyof typeof FINDING_CODES]?.title ?? finding.code,
      explanation: finding.message,
      documentKey: title.key,
      pointers: finding.path ? [finding.path] : [],
      requiresJustification: true,
    });
  }
  for (const risk of assessment.risks) {
    if (!hasTrust && isTrustField(risk.field)) continue;
    const title = documentOf(wizard, spec, risk.field);
    if (!title) continue;
    risks.push({
      key: flagKey(risk.code, title.key),
      code: risk.code,
      severity: risk.severity,
      title: risk.title,
      explanation: risk.explanation,
      documentKey: title.key,
      pointers: risk.pointers,
      requiresJustification: risk.severity === 'critical' || risk.severity === 'high',
    });
  }
  for (const risk of risks) {
    if (risk.requiresJustification && !state.flagJustifications[risk.key]?.trim())
      addTo(fieldErrors, `flagJustifications.${risk.key}`, [
        `Explain why the role needs this: ${risk.title}`,
      ]);
  }

  // The request's own fields.
  for (const [key, messages] of Object.entries(requestFieldErrors(state))) addTo(fieldErrors, key, messages);

  // Access by service and access level over every permissions policy.
  const permissionPolicies = [
    ...spec.managedPolicyArns.map((arn) => parsed(resolve(arn))),
    ...spec.newManagedPolicies.map((policy) => parsed(policy.document)),
    ...spec.inlinePolicies.map((policy) => parsed(policy.document)),
  ].filter((policy): policy is NormalizedPolicy => policy !== null);
  const summaryKey = digest(
    JSON.stringify([
      ...spec.managedPolicyArns.map((arn) => resolve(arn) ?? ''),
      ...spec.newManagedPolicies.map((policy) => policy.document),
      ...spec.inlinePolicies.map((policy) => policy.document),
    ]),
  );
  const accessSummary =
    permissionPolicies.length > 0
      ? memo(`summary:${summaryKey}`, () => trimmedSummary(summarizeAccess(permissionPolicies, catalogue)))
      : null;

  // The trust policy as it will be created.
  const entity = hasTrust ? spec.trustedEntity : null;
  const trustText = entity ? trustPolicyText(entity) : null;
  const recognized = entity?.type === 'custom' ? recognizeTrustPolicy(entity.document) : null;

  const errorCounts: Record<WizardStepId, number> = { trust: 0, permissions: 0, review: 0 };
  for (const [key, messages] of Object.entries(fieldErrors)) errorCounts[stepOfField(key)] += messages.length;

  const hasName = spec.name !== '' && !fieldErrors.name && !fieldErrors.path;
  const access =
    entity && account && hasName
      ? {
          switchRole: buildSwitchRoleLink(spec, { color: account.color }),
          cliProfile: buildCliProfile(spec),
          roleArn: roleArn(spec),
        }
      : null;

  return ok({
    trustPolicy: trustText,
    whoCanAssume: trustText === null ? null : describeWhoCanAssume(trustText, { ownAccountId: accountId }),
    recognizedCard: recognized && recognized.type !== 'custom' ? recognized.type : null,
    recognizedState:
      recognized && recognized.type !== 'custom'
        ? recognizedCardState(recognized, spec.accountId, wizard.state)
        : null,
    fieldErrors,
    errorCounts,
    documents,
    risks,
    accessSummary,
    meters: {
      managedPolicies: {
        used: spec.managedPolicyArns.length + spec.newManagedPolicies.length,
        quota,
        unit: 'managed policies',
      },
      inlinePoliciesSize: {
        used: spec.inlinePolicies.reduce((sum, policy) => sum + policySize(policy.document), 0),
        quota: INLINE_POLICIES_SIZE_QUOTA,
        unit: 'characters (inline policies, without whitespace)',
      },
      trustPolicySize: {
        used: trustText === null ? 0 : policySize(trustText),
        quota: TRUST_POLICY_SIZE_QUOTA,
        unit: 'characters (trust policy, without whitespace)',
      },
      tags: {
        used: spec.tags.length + 1,
        quota: TAGS_PER_ROLE_QUOTA,
        unit: 'tags (with the one Rolesmith adds)',
      },
    },
    guardrails: guardrailInfo(guardrails, accountId),
    access,
  });
}

const cardStateKey = {
  aws_account: 'awsAccount',
  aws_service: 'awsService',
  web_identity: 'webIdentity',
  saml: 'saml',
} as const satisfies Record<Exclude<EntityCard, 'custom'>, keyof WizardState>;

/** The fields of the card a custom trust policy matches, for "use that option instead". */
function recognizedCardState(
  entity: Exclude<RoleSpec['trustedEntity'], { type: 'custom' }>,
  accountId: string,
  state: WizardState,
): NonNullable<WizardPreview['recognizedState']> {
  const key = cardStateKey[entity.type];
  return { [key]: trustState(entity, accountId, state)[key] };
}
