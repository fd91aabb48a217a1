import { getServicePreset } from '@/lib/iam/service-presets';
import {
  DEFAULT_MANAGED_POLICIES_PER_ROLE,
  roleSpecSchemaFor,
  type RoleSpec,
  type RoleSpecInput,
} from '@/lib/iam/role-spec';
import { GITHUB_OIDC_HOST } from '@/lib/iam/trust-builder';
import {
  accountIdSchema,
  trustedEntitySchema,
  type TrustedEntity,
  type TrustedEntityInput,
} from '@/lib/iam/trust-entity';
import { formErrorKey, valueAt } from '@/lib/result';
import { justificationSchema, roleUsersSchema, splitRoleUsers } from '@/lib/requests/schemas';
import type { WizardFieldErrors } from '@/lib/wizard/preview-types';
import type { WizardState } from '@/lib/wizard/state';
import { parseWizardState } from '@/lib/wizard/state-schema';

/**
 * From the wizard's state (what the person typed, as strings) to the `RoleSpec` a request carries,
 * with every problem keyed by the wizard state's path (`awsAccount.accountId`,
 * `customPolicies.<id>.document`, `maxSessionHours`, `tags.2.key`), so that the wizard shows it
 * beside the field that caused it. Pure: no I/O.
 */

export interface WizardSpecOptions {
  /** The account's managed-policies-per-role quota (IAM's default, 10, when unknown). */
  managedPoliciesPerRole?: number;
}

export interface WizardSpec {
  /** The state as read (wrong types replaced by empty values). */
  state: WizardState;
  /** The RoleSpec input built from the state: what would be submitted. */
  input: RoleSpecInput;
  /** The validated RoleSpec, or null while any field has an error. */
  spec: RoleSpec | null;
  /** The trusted entity alone, when step 1 is complete (even if other steps are not). */
  trustedEntity: TrustedEntity | null;
  /** Every error, keyed by state path. */
  fieldErrors: WizardFieldErrors;
  /** The custom policy id of each RoleSpec inline policy and new managed policy, by index. */
  policyIds: { inlinePolicies: string[]; newManagedPolicies: string[] };
  /** The state path of a RoleSpec field (`inlinePolicies.1.document` → `customPolicies.<id>.document`). */
  stateFieldOf: (specField: string) => string;
  /**
   * The preview's document key of a RoleSpec policy field, which flag keys name: `trust`,
   * `policy:<custom policy id>`, `managed:<arn>`, `boundary`; null for other fields.
   */
  documentKeyOf: (specField: string) => string | null;
  /** The RoleSpec field of a document key (the inverse of {@link WizardSpec.documentKeyOf}). */
  specFieldOfDocument: (documentKey: string) => string | null;
}

/** `arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com` */
export function githubProviderArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/** Lines (or comma-separated items) of a text box, trimmed, empty ones dropped. */
function items(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

const unique = (values: readonly string[]) => [...new Set(values)];

/** Where each part of the trusted entity comes from in the state. */
interface TrustSources {
  entity: TrustedEntityInput;
  /** State path of each member of the entity (list members: the list's path). */
  fields: Record<string, string>;
  /** Per list member, the state path of each item (services: preset or typed). */
  itemFields?: Record<string, string[]>;
  /** SAML: the state index of each attribute condition. */
  conditionIndexes?: number[];
  /** Members whose errors another field already reports. */
  silenced?: string[];
}

function trustFrom(state: WizardState, targetAccountId: string, isTargetValid: boolean): TrustSources {
  switch (state.entity) {
    case 'aws_account': {
      const card = state.awsAccount;
      const isThis = card.which === 'this';
      return {
        entity: {
          type: 'aws_account',
          accountId: isThis ? targetAccountId : card.accountId.trim(),
          ...(card.requireExternalId ? { externalId: card.externalId.trim() } : {}),
          requireMfa: card.requireMfa,
        },
        fields: {
          accountId: isThis ? 'accountId' : 'awsAccount.accountId',
          externalId: 'awsAccount.externalId',
          requireMfa: 'awsAccount.requireMfa',
        },
      };
    }
    case 'aws_service': {
      const card = state.awsService;
      const services: string[] = [];
      const sources: string[] = [];
      let tagSession = card.tagSession;
      for (const id of card.presetIds) {
        const preset = getServicePreset(id);
        if (!preset) continue;
        tagSession ||= preset.tagSession;
        for (const principal of preset.principals) {
          if (services.includes(principal)) continue;
          services.push(principal);
          sources.push('awsService.presetIds');
        }
      }
      for (const principal of items(card.otherPrincipals)) {
        if (services.includes(principal)) continue;
        services.push(principal);
        sources.push('awsService.otherPrincipals');
      }
      return {
        entity: { type: 'aws_service', services, tagSession },
        fields: { services: 'awsService.presetIds', tagSession: 'awsService.tagSession' },
        itemFields: { services: sources },
      };
    }
    case 'web_identity': {
      const card = state.webIdentity;
      const fields = Object.fromEntries(
        [
          'provider',
          'identityPoolId',
          'amr',
          'appId',
          'audience',
          'providerArn',
          'audiences',
          'subjects',
          'organization',
          'repository',
          'branch',
          'environment',
        ].map((key) => [key, `webIdentity.${key}`]),
      );
      switch (card.provider) {
        case 'cognito':
          return {
            entity: {
              type: 'web_identity',
              provider: 'cognito',
              identityPoolId: card.identityPoolId.trim(),
              amr: card.amr,
            },
            fields,
          };
        case 'amazon':
        case 'facebook':
          return {
            entity: { type: 'web_identity', provider: card.provider, appId: card.appId.trim() },
            fields,
          };
        case 'google':
          return {
            entity: { type: 'web_identity', provider: 'google', audience: card.audience.trim() },
            fields,
          };
        case 'oidc':
          return {
            entity: {
              type: 'web_identity',
              provider: 'oidc',
              providerArn: card.providerArn.trim(),
              audiences: unique(items(card.audiences)),
              subjects: unique(items(card.subjects)),
            },
            fields,
          };
        case 'github_actions': {
          const typed = card.providerArn.trim();
          return {
            entity: {
              type: 'web_identity',
              provider: 'github_actions',
              providerArn: typed || githubProviderArn(targetAccountId),
              organization: card.organization.trim(),
              ...(card.repository.trim() ? { repository: card.repository.trim() } : {}),
              // The chosen one only (blank when chosen: its own error); the other keeps what was typed.
              ...(card.githubRef === 'branch' ? { branch: card.branch.trim() } : {}),
              ...(card.githubRef === 'environment' ? { environment: card.environment.trim() } : {}),
            },
            fields,
            // Derived from the target account: its own error says what to fix.
            silenced: typed || isTargetValid ? [] : ['providerArn'],
          };
        }
      }
      break;
    }
    case 'saml': {
      const card = state.saml;
      const conditionIndexes: number[] = [];
      const attributeConditions = card.attributeConditions.flatMap((condition, index) => {
        const key = condition.key.trim();
        const value = condition.value;
        if (key === '' && value.trim() === '') return [];
        conditionIndexes.push(index);
        return [{ key, value }];
      });
      return {
        entity: {
          type: 'saml',
          providerArn: card.providerArn.trim(),
          consoleAccess: card.access === 'console',
          attributeConditions,
        },
        fields: {
          providerArn: 'saml.providerArn',
          consoleAccess: 'saml.access',
          attributeConditions: 'saml.attributeConditions',
        },
        conditionIndexes,
      };
    }
    case 'custom':
      break;
  }
  return {
    entity: { type: 'custom', document: state.custom.document },
    fields: { document: 'custom.document' },
  };
}

const cardField: Record<WizardState['entity'], string> = {
  aws_account: 'awsAccount',
  aws_service: 'awsService',
  web_identity: 'webIdentity',
  saml: 'saml',
  custom: 'custom.document',
};

/** "43200 seconds" → "12 hours" in messages about the maximum session duration. */
function inHours(message: string): string {
  return message.replace(/(\d+) seconds/g, (_, seconds: string) => {
    const hours = Number(seconds) / 3600;
    return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  });
}

/** Parses the hours typed: 1–12, whole seconds. */
function sessionSeconds(hours: string): { seconds: number } | { error: string } {
  const typed = hours.trim();
  const value = Number(typed);
  if (typed === '' || !Number.isFinite(value))
    return { error: 'Enter the maximum session duration in hours, from 1 to 12' };
  if (value < 1 || value > 12) return { error: 'Maximum session duration must be from 1 to 12 hours' };
  const seconds = value * 3600;
  if (!Number.isInteger(seconds))
    return { error: 'Maximum session duration must be a whole number of seconds; use whole hours' };
  return { seconds };
}

/**
 * Builds the RoleSpec input from an untrusted wizard state and validates it (the RoleSpec schema
 * with the account's managed-policy quota, plus the wizard's own rules: hours from 1 to 12, the
 * provider in the target account). Never throws. Only the chosen card makes the trust: "this
 * account" is the target account; the service card joins preset and typed principals; the
 * GitHub Actions preset uses the target account's `token.actions.githubusercontent.com` provider
 * unless another ARN is given; SAML programmatic access needs an attribute condition.
 */
export function specFromWizardState(input: unknown, options: WizardSpecOptions = {}): WizardSpec {
  const parsedState = parseWizardState(input);
  const { state } = parsedState;
  const fieldErrors: WizardFieldErrors = {};
  // No target account chosen yet: say so, rather than the id's format (which the other account's
  // id field also says, and the error summary would list twice alike).
  const noTarget = state.accountId.trim() === '';
  const add = (key: string, message: string) => {
    const list = (fieldErrors[key] ??= []);
    const shown =
      key === 'accountId' && noTarget ? 'Choose the target account, where the role will be created' : message;
    if (!list.includes(shown)) list.push(shown);
  };
  for (const [key, messages] of Object.entries(parsedState.fieldErrors))
    for (const message of messages) add(key, message);

  const accountId = state.accountId.trim();
  const isTargetValid = accountIdSchema.safeParse(accountId).success;
  const trust = trustFrom(state, accountId, isTargetValid);

  const session = sessionSeconds(state.maxSessionHours);
  if ('error' in session) add('maxSessionHours', session.error);

  const inlineIds: string[] = [];
  const managedIds: string[] = [];
  const inlinePolicies: { name: string; document: string }[] = [];
  const newManagedPolicies: { name: string; description: string; document: string }[] = [];
  for (const policy of state.customPolicies) {
    if (policy.kind === 'managed') {
      managedIds.push(policy.id);
      newManagedPolicies.push({
        name: policy.name.trim(),
        description: policy.description,
        document: policy.document,
      });
    } else {
      inlineIds.push(policy.id);
      inlinePolicies.push({ name: policy.name.trim(), document: policy.document });
    }
  }
  const tagIndexes: number[] = [];
  const tags = state.tags.flatMap((tag, index) => {
    if (tag.key.trim() === '' && tag.value.trim() === '') return [];
    tagIndexes.push(index);
    return [{ key: tag.key.trim(), value: tag.value.trim() }];
  });
  const boundary = state.permissionsBoundaryArn.trim();

  const specInput: RoleSpecInput = {
    accountId,
    name: state.name.trim(),
    path: state.path.trim() || '/',
    description: state.description,
    maxSessionDuration: 'seconds' in session ? session.seconds : 3600,
    trustedEntity: trust.entity,
    managedPolicyArns: state.managedPolicyArns.map((arn) => arn.trim()).filter(Boolean),
    newManagedPolicies,
    inlinePolicies,
    ...(boundary ? { permissionsBoundaryArn: boundary } : {}),
    tags,
  };

  const stateFieldOfPath = (path: readonly PropertyKey[]): string => {
    const [head, second, third, fourth] = path;
    switch (head) {
      case undefined:
        return formErrorKey;
      case 'maxSessionDuration':
        return 'maxSessionHours';
      case 'accountId':
      case 'name':
      case 'path':
      case 'description':
      case 'permissionsBoundaryArn':
        return head;
      case 'managedPolicyArns':
        return 'managedPolicyArns';
      case 'inlinePolicies':
      case 'newManagedPolicies': {
        const ids = head === 'inlinePolicies' ? inlineIds : managedIds;
        const id =
          typeof second === 'number' || /^\d+$/.test(String(second)) ? ids[Number(second)] : undefined;
        if (id === undefined) return 'customPolicies';
        return third === undefined ? `customPolicies.${id}` : `customPolicies.${id}.${String(third)}`;
      }
      case 'tags': {
        if (second === undefined) return 'tags';
        const index = tagIndexes[Number(second)];
        if (index === undefined) return 'tags';
        return third === undefined ? `tags.${index}` : `tags.${index}.${String(third)}`;
      }
      case 'trustedEntity': {
        if (second === undefined || second === 'type') return cardField[state.entity];
        const member = String(second);
        if (member === 'attributeConditions' && third !== undefined) {
          const index = trust.conditionIndexes?.[Number(third)];
          if (index !== undefined)
            return fourth === undefined
              ? `saml.attributeConditions.${index}`
              : `saml.attributeConditions.${index}.${String(fourth)}`;
        }
        const item = third === undefined ? undefined : trust.itemFields?.[member]?.[Number(third)];
        return item ?? trust.fields[member] ?? cardField[state.entity];
      }
      default:
        return formErrorKey;
    }
  };
  const stateFieldOf = (specField: string) =>
    stateFieldOfPath(specField.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)));

  /** Records a RoleSpec issue under its state field; an item of a text list names its value. */
  // zod reports every failed check of a value (an empty name is also "may contain only…"): the first says it.
  const reportedPaths = new Set<string>();
  const addIssue = (issue: { path: readonly PropertyKey[]; message: string }) => {
    const { path } = issue;
    const pathKey = path.map(String).join('.');
    if (reportedPaths.has(pathKey)) return;
    reportedPaths.add(pathKey);
    if (path[0] === 'trustedEntity' && trust.silenced?.includes(String(path[1]))) return;
    const key = stateFieldOfPath(path);
    let message = key === 'maxSessionHours' ? inHours(issue.message) : issue.message;
    const isListItem =
      path.length === 3 &&
      path[0] === 'trustedEntity' &&
      ['audiences', 'subjects', 'services'].includes(String(path[1]));
    if (isListItem || (path[0] === 'managedPolicyArns' && path.length === 2)) {
      const value = valueAt(specInput, path);
      if (typeof value === 'string' && !message.includes(value)) message = `${value}: ${message}`;
    }
    add(key, message);
  };

  // The trusted entity alone, so that step 1's preview works before the other steps are done.
  const entity = trustedEntitySchema.safeParse(trust.entity);
  // IAM trusts only identity providers of the role's own account.
  const providerArn = (trust.entity as { providerArn?: unknown }).providerArn;
  if (
    entity.success &&
    typeof providerArn === 'string' &&
    isTargetValid &&
    providerArn.split(':')[4] !== accountId
  ) {
    add(
      trust.fields.providerArn ?? cardField[state.entity],
      `Choose an identity provider of account ${accountId}, where the role will be created`,
    );
  }

  const schema = roleSpecSchemaFor({
    managedPoliciesPerRole: options.managedPoliciesPerRole ?? DEFAULT_MANAGED_POLICIES_PER_ROLE,
  });
  const parsed = schema.safeParse(specInput);
  if (!parsed.success) for (const issue of parsed.error.issues) addIssue(issue);

  const managedArns = specInput.managedPolicyArns ?? [];
  const trustField = state.entity === 'custom' ? 'trustedEntity.document' : 'trustedEntity';
  const documentKeyOf = (specField: string): string | null => {
    const [head, index] = specField.split('.');
    const at = Number(index);
    switch (head) {
      case 'trustedEntity':
        return 'trust';
      case 'inlinePolicies':
      case 'newManagedPolicies': {
        const id = (head === 'inlinePolicies' ? inlineIds : managedIds)[at];
        return id === undefined ? null : `policy:${id}`;
      }
      case 'managedPolicyArns': {
        const arn = managedArns[at];
        return arn === undefined ? null : `managed:${arn}`;
      }
      case 'permissionsBoundaryArn':
        return 'boundary';
      default:
        return null;
    }
  };
  const specFieldOfDocument = (documentKey: string): string | null => {
    if (documentKey === 'trust') return trustField;
    if (documentKey === 'boundary') return 'permissionsBoundaryArn';
    if (documentKey.startsWith('policy:')) {
      const id = documentKey.slice('policy:'.length);
      const inline = inlineIds.indexOf(id);
      if (inline >= 0) return `inlinePolicies.${inline}.document`;
      const managed = managedIds.indexOf(id);
      return managed >= 0 ? `newManagedPolicies.${managed}.document` : null;
    }
    if (documentKey.startsWith('managed:')) {
      const index = managedArns.indexOf(documentKey.slice('managed:'.length));
      return index >= 0 ? `managedPolicyArns.${index}` : null;
    }
    return null;
  };

  const hasErrors = Object.keys(fieldErrors).length > 0;
  return {
    state,
    input: specInput,
    spec: parsed.success && !hasErrors ? parsed.data : null,
    trustedEntity: entity.success && !fieldErrors[trust.fields.providerArn ?? ''] ? entity.data : null,
    fieldErrors,
    policyIds: { inlinePolicies: inlineIds, newManagedPolicies: managedIds },
    stateFieldOf,
    documentKeyOf,
    specFieldOfDocument,
  };
}

/** The parts of a flag key (`code@field#pointer`, see `flagKey`), or null for another string. */
export function splitFlagKey(key: string): { code: string; field: string; pointer: string } | null {
  const at = key.indexOf('@');
  if (at <= 0) return null;
  const rest = key.slice(at + 1);
  const hash = rest.indexOf('#');
  return hash < 0
    ? { code: key.slice(0, at), field: rest, pointer: '' }
    : { code: key.slice(0, at), field: rest.slice(0, hash), pointer: rest.slice(hash + 1) };
}

/**
 * The request's own fields of the state, as `lib/requests` will check them: the justification,
 * the role's users (one e-mail address per line), each error keyed by its state field.
 */
export function requestFieldErrors(state: WizardState): WizardFieldErrors {
  const errors: WizardFieldErrors = {};
  const justification = justificationSchema.safeParse(state.justification);
  if (!justification.success)
    errors.justification = [justification.error.issues[0]?.message ?? 'Check the justification'];
  const users = roleUsersSchema.safeParse(state.roleUsers);
  if (!users.success) {
    const typed = splitRoleUsers(state.roleUsers);
    errors.roleUsers = users.error.issues.map((issue) => {
      const index = issue.path[0];
      const value = typeof index === 'number' ? typed[index] : undefined;
      return value ? `${value}: ${issue.message}` : issue.message;
    });
  }
  return errors;
}
