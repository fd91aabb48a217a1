/**
 * What `POST /api/wizard/preview` answers for a {@link WizardState}: everything the wizard's
 * preview column, findings panel, meters and review show, computed on the server with `lib/iam`
 * (so the browser never loads the IAM catalogue, the validator or zod). Types only: client-safe.
 */
import type { AccessSummary } from '@/lib/iam/access-summary';
import type { CliProfile } from '@/lib/iam/cli-profile';
import type { Finding } from '@/lib/iam/findings';
import type { RiskSeverity } from '@/lib/iam/risk';
import type { SwitchRoleLink } from '@/lib/iam/switch-role';
import type { EntityCard, WizardState } from '@/lib/wizard/state';

export type WizardStepId = 'trust' | 'permissions' | 'review';

/**
 * Field errors keyed by the wizard state's path, dot-separated: `accountId`,
 * `awsAccount.accountId`, `awsAccount.externalId`, `awsService.presetIds`, `webIdentity.organization`,
 * `saml.providerArn`, `saml.attributeConditions`, `saml.attributeConditions.<index>.key` and `.value`,
 * `custom.document`, `managedPolicyArns`,
 * `customPolicies.<policy id>.name`, `customPolicies.<policy id>.document`, `permissionsBoundaryArn`,
 * `name`, `path`, `description`, `maxSessionHours`, `tags`, `tags.<index>.key`, `tags.<index>.value`,
 * `roleUsers`, `justification`, `flagJustifications.<flag key>`; `_form` for the whole state.
 */
export type WizardFieldErrors = Record<string, string[]>;

/** Which document a finding is about: `trust`, `policy:<custom policy id>`, `boundary`, `guardrails`. */
export type PreviewDocumentKey = string;

export interface PreviewDocument {
  key: PreviewDocumentKey;
  /** e.g. "Trust policy", "Inline policy AppAccess", "New managed policy Deploy". */
  title: string;
  /** The wizard-state field the findings' lines and columns refer to (e.g. `custom.document`), when typed by the person. */
  field?: string;
  findings: Finding[];
  /**
   * Optional (engine): problems that are no validator finding, each with the wizard field it is
   * about. The `guardrails` document lists here each guardrail the role does not meet.
   */
  problems?: { field: string; message: string }[];
}

export interface PreviewRiskFlag {
  /**
   * `flagKey(code, field, pointer)`: where the requester's justification is kept (the state's
   * `flagJustifications`). `field` is the {@link documentKey} (stable while policies are edited);
   * `pointer` the finding's JSON pointer for a security warning, none for a risk flag.
   */
  key: string;
  code: string;
  severity: RiskSeverity;
  title: string;
  /** One sentence an approver reads. */
  explanation: string;
  /** Which document: same keys as {@link PreviewDocument.key}, or `managed:<arn>` for an attached managed policy. */
  documentKey: string;
  pointers: string[];
  /**
   * Optional (engine): whether submission refuses the request until this flag has a written
   * justification: every security warning and every critical or high risk flag (exactly what an
   * approver must acknowledge). Medium and low flags may be justified but need not be.
   */
  requiresJustification?: boolean;
}

export interface QuotaMeter {
  used: number;
  quota: number;
  /** e.g. "managed policies", "characters (inline policies, without whitespace)". */
  unit: string;
}

export interface WizardPreview {
  /** The trust policy text as it will be created; null while step 1 cannot build one yet. */
  trustPolicy: string | null;
  /** The plain-English "who can assume this role" sentence; null with `trustPolicy`. */
  whoCanAssume: string | null;
  /** For a custom trust policy that a card builds exactly: that card (the wizard offers to switch). */
  recognizedCard: EntityCard | null;
  /**
   * With `recognizedCard`: that card's sub-state, filled from the document and given under its
   * `WizardState` key (e.g. `{ awsAccount: { which: 'other', accountId: '111122223333', … } }`), so
   * that "use that option instead" switches to the card with its fields set. Optional: without
   * it, the wizard switches to the card and keeps what the card already held.
   */
  recognizedState?: Partial<Pick<WizardState, 'awsAccount' | 'awsService' | 'webIdentity' | 'saml'>> | null;
  /** Errors per field (these block Next on their step and Submit). */
  fieldErrors: WizardFieldErrors;
  /** Which step each field error belongs to is derived with `stepOfField`; this is the count per step. */
  errorCounts: Record<WizardStepId, number>;
  /** Findings for every document: trust, each custom policy, the boundary, the guardrails. */
  documents: PreviewDocument[];
  /**
   * Security warnings (from `documents`) and risk flags that need a written justification
   * (each keyed; the justification goes to the approver with the request).
   */
  risks: PreviewRiskFlag[];
  /** Access by service and access level over every permissions policy (managed + custom); null when none. */
  accessSummary: AccessSummary | null;
  meters: {
    managedPolicies: QuotaMeter;
    inlinePoliciesSize: QuotaMeter;
    trustPolicySize: QuotaMeter;
    tags: QuotaMeter;
  };
  /** The guardrails that apply to the target account, for the UI to show and lock. */
  guardrails: {
    roleNamePrefix: string | null;
    /** Paths must start with this (`/` when free). */
    pathPrefix: string;
    /** Set when a guardrail enforces a boundary: preset and locked. */
    requiredBoundaryArn: string | null;
    /** Tag keys the guardrails require, with their allowed values (empty: any). */
    requiredTags: { key: string; allowedValues: string[] }[];
    maxSessionHours: number;
  };
  /** What the requester will get: the switch-role link (or why not) and the CLI profile; null until a name is set. */
  access: { switchRole: SwitchRoleLink; cliProfile: CliProfile; roleArn: string } | null;
}
