/**
 * The create-role wizard's state: what the person has typed, as they typed it (strings stay
 * strings until the server turns the state into a `RoleSpec`). One object, kept by the client
 * shell, saved as a wizard draft's `state`, and sent to the preview route. Each trusted-entity
 * card keeps its own fields, so that switching cards and back keeps what was typed.
 *
 * Client-safe: types and plain functions only (no zod, no server imports), so that client
 * components can import it without growing the page's JavaScript.
 */

export const WIZARD_STATE_VERSION = 1;

export type EntityCard = 'aws_account' | 'aws_service' | 'web_identity' | 'saml' | 'custom';
export const ENTITY_CARDS: readonly EntityCard[] = [
  'aws_account',
  'aws_service',
  'web_identity',
  'saml',
  'custom',
];

export type WebIdentityProvider = 'cognito' | 'amazon' | 'facebook' | 'google' | 'oidc' | 'github_actions';

export interface AwsAccountCard {
  /** `this`: the target account itself; `other`: the account id typed (or picked by alias). */
  which: 'this' | 'other';
  accountId: string;
  requireExternalId: boolean;
  externalId: string;
  requireMfa: boolean;
}

export interface AwsServiceCard {
  /** Service presets chosen (`lib/iam/service-presets.ts` ids), in the order chosen. */
  presetIds: string[];
  /** Service principals typed by hand (one per line), for services without a preset. */
  otherPrincipals: string;
  tagSession: boolean;
}

export interface WebIdentityCard {
  provider: WebIdentityProvider;
  /** Cognito */
  identityPoolId: string;
  amr: 'authenticated' | 'unauthenticated';
  /** Login with Amazon, Facebook */
  appId: string;
  /** Google */
  audience: string;
  /** Any OIDC provider of the target account, and GitHub Actions' provider. */
  providerArn: string;
  /** OIDC: one per line. */
  audiences: string;
  /** OIDC: one per line. */
  subjects: string;
  /** GitHub Actions preset. */
  organization: string;
  repository: string;
  /**
   * What the `sub` condition names besides the repository: any branch, tag or environment; one
   * branch (`ref:refs/heads/<branch>`); or one environment (`environment:<name>`, the subject of a
   * job that uses that environment). The field not chosen keeps what was typed.
   */
  githubRef: GithubRef;
  branch: string;
  environment: string;
}

export type GithubRef = 'any' | 'branch' | 'environment';

export interface SamlAttributeCondition {
  /** e.g. `SAML:sub`, `SAML:edupersonaffiliation`. */
  key: string;
  value: string;
}

export interface SamlCard {
  providerArn: string;
  /** `console`: programmatic and console access (adds `SAML:aud`); `programmatic`: needs ≥ 1 attribute condition. */
  access: 'console' | 'programmatic';
  attributeConditions: SamlAttributeCondition[];
}

export interface CustomTrustCard {
  document: string;
}

/** One custom permissions policy of the role: inline, or saved as a new customer managed policy. */
export interface CustomPolicyState {
  /** Client-generated id, stable across edits (React key, draft resume). */
  id: string;
  kind: 'inline' | 'managed';
  name: string;
  /** New managed policies only. */
  description: string;
  /** The JSON text: always the source of truth; the visual builder reads and writes it. */
  document: string;
  /** Which editor the person last used for it. */
  editor: 'visual' | 'json';
}

export interface TagState {
  key: string;
  value: string;
}

export interface WizardState {
  version: typeof WIZARD_STATE_VERSION;
  /** Where the role will be created: one of the portal's target accounts (12 digits). */
  accountId: string;
  /** Step 1 */
  entity: EntityCard;
  awsAccount: AwsAccountCard;
  awsService: AwsServiceCard;
  webIdentity: WebIdentityCard;
  saml: SamlCard;
  custom: CustomTrustCard;
  /** Step 2 */
  managedPolicyArns: string[];
  customPolicies: CustomPolicyState[];
  /** Empty: none. */
  permissionsBoundaryArn: string;
  /**
   * The requester's justification for each security warning and risk flag, keyed by
   * {@link flagKey} (code and where it stands), so that it stays with the flag it answers.
   */
  flagJustifications: Record<string, string>;
  /** Step 3 */
  name: string;
  path: string;
  description: string;
  /** Hours, as typed (1–12). */
  maxSessionHours: string;
  tags: TagState[];
  /** The people who will use the role besides the requester: e-mail addresses, one per line. */
  roleUsers: string;
  justification: string;
  /** Set when the wizard started from a rejected request (the new request links to it). */
  fromRequestId?: string;
  /**
   * Set when the wizard requests a change of the role of this name in `accountId` (its summary's
   * *Request a change*): the name and account are fixed, and submitting makes a change request.
   */
  changeOf?: string;
  /**
   * Set with `changeOf` when the person composing the change is not the role's owner: the owner's
   * name. Only the owner's change edits who uses the role, so the wizard shows them read-only.
   */
  changeOwner?: string;
}

/** Why the role's users cannot be edited in this wizard (a change by someone else than its owner), or null. */
export function roleUsersLockedReason(state: Pick<WizardState, 'changeOf' | 'changeOwner'>): string | null {
  return state.changeOf !== undefined && state.changeOwner !== undefined
    ? `Only the role’s owner, ${state.changeOwner}, can change who uses it.`
    : null;
}

/** Key of a finding or risk flag: its code and where it stands (field and JSON pointer). */
export function flagKey(code: string, field: string, pointer = ''): string {
  return `${code}@${field}${pointer ? `#${pointer}` : ''}`;
}

export function emptyWizardState(accountId = ''): WizardState {
  return {
    version: WIZARD_STATE_VERSION,
    accountId,
    entity: 'aws_account',
    awsAccount: {
      which: 'other',
      accountId: '',
      requireExternalId: false,
      externalId: '',
      requireMfa: false,
    },
    awsService: { presetIds: [], otherPrincipals: '', tagSession: false },
    webIdentity: {
      provider: 'cognito',
      identityPoolId: '',
      amr: 'authenticated',
      appId: '',
      audience: '',
      providerArn: '',
      audiences: '',
      subjects: '',
      organization: '',
      repository: '',
      githubRef: 'any',
      branch: '',
      environment: '',
    },
    saml: { providerArn: '', access: 'console', attributeConditions: [] },
    custom: { document: '' },
    managedPolicyArns: [],
    customPolicies: [],
    permissionsBoundaryArn: '',
    flagJustifications: {},
    name: '',
    path: '/',
    description: '',
    maxSessionHours: '1',
    tags: [],
    roleUsers: '',
    justification: '',
  };
}

/** The step a field error (keyed as in `WizardFieldErrors`) belongs to. */
export function stepOfField(field: string): 'trust' | 'permissions' | 'review' {
  const head = field.split('.')[0] ?? '';
  if (['accountId', 'entity', 'awsAccount', 'awsService', 'webIdentity', 'saml', 'custom'].includes(head))
    return 'trust';
  if (['managedPolicyArns', 'customPolicies', 'permissionsBoundaryArn', 'flagJustifications'].includes(head))
    return 'permissions';
  return 'review';
}
