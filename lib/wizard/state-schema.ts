import { z } from 'zod';
import { formErrorKey, valueAt } from '@/lib/result';
import { emptyWizardState, ENTITY_CARDS, WIZARD_STATE_VERSION, type WizardState } from '@/lib/wizard/state';
import type { WizardFieldErrors } from '@/lib/wizard/preview-types';

/**
 * The wizard's state as the server receives it (the preview route's body, a submission, a draft):
 * untrusted. {@link parseWizardState} reads it leniently: a missing field takes its empty value,
 * unknown keys are dropped, and a value of the wrong type becomes a field error keyed by its
 * state path (and the empty value), never an exception.
 */

const text = z.string().default('');
const flag = z.boolean().default(false);
const empty = emptyWizardState();

/** Client-generated policy ids: short, printable, no dots (they are part of field keys). */
const policyId = z
  .string()
  .min(1, 'Each custom policy needs an id')
  .max(64, 'A custom policy id must be at most 64 characters')
  .regex(/^[\w-]+$/, 'A custom policy id may contain only letters, digits, - and _');

const wizardStateSchema = z.object({
  accountId: text,
  entity: z.enum(ENTITY_CARDS as [string, ...string[]]).default(empty.entity),
  awsAccount: z
    .object({
      which: z.enum(['this', 'other']).default(empty.awsAccount.which),
      accountId: text,
      requireExternalId: flag,
      externalId: text,
      requireMfa: flag,
    })
    .default(empty.awsAccount),
  awsService: z
    .object({
      presetIds: z.array(z.string()).max(50, 'Choose at most 50 services').default([]),
      otherPrincipals: text,
      tagSession: flag,
    })
    .default(empty.awsService),
  webIdentity: z
    .object({
      provider: z
        .enum(['cognito', 'amazon', 'facebook', 'google', 'oidc', 'github_actions'])
        .default(empty.webIdentity.provider),
      identityPoolId: text,
      amr: z.enum(['authenticated', 'unauthenticated']).default('authenticated'),
      appId: text,
      audience: text,
      providerArn: text,
      audiences: text,
      subjects: text,
      organization: text,
      repository: text,
      githubRef: z.enum(['any', 'branch', 'environment']).optional(),
      branch: text,
      environment: text,
    })
    // A draft saved before the environment choice: a typed branch meant that branch.
    .transform(({ githubRef, ...card }) => ({
      ...card,
      githubRef: githubRef ?? (card.branch.trim() ? ('branch' as const) : ('any' as const)),
    }))
    .default(empty.webIdentity),
  saml: z
    .object({
      providerArn: text,
      access: z.enum(['console', 'programmatic']).default(empty.saml.access),
      attributeConditions: z
        .array(z.object({ key: text, value: text }))
        .max(50, 'Add at most 50 attribute conditions')
        .default([]),
    })
    .default(empty.saml),
  custom: z.object({ document: text }).default(empty.custom),
  managedPolicyArns: z.array(z.string()).max(100, 'Choose at most 100 managed policies').default([]),
  customPolicies: z
    .array(
      z.object({
        id: policyId,
        kind: z.enum(['inline', 'managed']).default('inline'),
        name: text,
        description: text,
        document: text,
        editor: z.enum(['visual', 'json']).default('json'),
      }),
    )
    .max(100, 'A role can have at most 100 custom policies here')
    .default([]),
  permissionsBoundaryArn: text,
  flagJustifications: z.record(z.string(), z.string()).default({}),
  name: text,
  path: z.string().default(empty.path),
  description: text,
  maxSessionHours: z.union([z.string(), z.number().transform(String)]).default(empty.maxSessionHours),
  tags: z
    .array(z.object({ key: text, value: text }))
    .max(100, 'Add at most 100 tags')
    .default([]),
  roleUsers: text,
  justification: text,
  fromRequestId: z.string().optional(),
  changeOf: z.string().optional(),
  changeOwner: z.string().optional(),
});

export interface ParsedWizardState {
  state: WizardState;
  /** Values of the wrong type, keyed by state path (they were replaced by empty values). */
  fieldErrors: WizardFieldErrors;
}

type Path = readonly PropertyKey[];

/** The state path of a zod issue: custom policies by their id (when readable), else by index. */
function fieldKey(input: unknown, path: Path): string {
  const parts = path.map(String);
  if (parts[0] === 'customPolicies' && typeof path[1] === 'number') {
    const id = (valueAt(input, path.slice(0, 2)) as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && policyId.safeParse(id).success) parts[1] = id;
  }
  return parts.join('.') || formErrorKey;
}

const dropped = Symbol('dropped');

/** Removes what an issue points at: a member becomes undefined (its default), a list item goes. */
function repair(root: Record<PropertyKey, unknown>, paths: readonly Path[]): void {
  const lists = new Set<unknown[]>();
  for (const path of paths) {
    if (path.length === 0) continue;
    const parent = valueAt(root, path.slice(0, -1));
    if (parent === null || typeof parent !== 'object') continue;
    const last = path[path.length - 1]!;
    if (Array.isArray(parent) && typeof last === 'number') {
      parent[last] = dropped;
      lists.add(parent);
    } else {
      delete (parent as Record<PropertyKey, unknown>)[last];
    }
  }
  for (const list of lists) {
    const kept = list.filter((item) => item !== dropped);
    list.splice(0, list.length, ...kept);
  }
}

/**
 * Reads an untrusted wizard state. Never throws: whatever `input` is (not an object, wrong types,
 * unknown keys), the result is a complete {@link WizardState} plus the field errors of what had to
 * be replaced. Custom policy ids are made unique (a repeated id is an error under `customPolicies`).
 */
export function parseWizardState(input: unknown): ParsedWizardState {
  const fieldErrors: WizardFieldErrors = {};
  const add = (key: string, message: string) => (fieldErrors[key] ??= []).push(message);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    add(formErrorKey, "The wizard's state must be a JSON object");
    return { state: emptyWizardState(), fieldErrors };
  }
  let working: Record<PropertyKey, unknown>;
  try {
    working = structuredClone(input) as Record<PropertyKey, unknown>;
  } catch {
    add(formErrorKey, "The wizard's state is not plain JSON");
    return { state: emptyWizardState(), fieldErrors };
  }
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const parsed = wizardStateSchema.safeParse(working);
    if (parsed.success) {
      const state = { ...parsed.data, version: WIZARD_STATE_VERSION } as WizardState;
      if (state.fromRequestId === undefined) delete state.fromRequestId;
      if (state.changeOf === undefined) delete state.changeOf;
      if (state.changeOwner === undefined) delete state.changeOwner;
      const ids = new Set<string>();
      for (const policy of state.customPolicies) {
        if (ids.has(policy.id)) add('customPolicies', `Custom policy id ${policy.id} is used twice`);
        ids.add(policy.id);
      }
      return { state, fieldErrors };
    }
    for (const issue of parsed.error.issues) add(fieldKey(input, issue.path), issue.message);
    repair(
      working,
      parsed.error.issues.map((issue) => issue.path),
    );
  }
  add(formErrorKey, "The wizard's state could not be read");
  return { state: emptyWizardState(), fieldErrors };
}
