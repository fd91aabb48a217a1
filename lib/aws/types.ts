/** Domain types that `lib/aws` takes and returns; SDK types never leave `lib/aws`. */

export interface AwsTag {
  key: string;
  value: string;
}

/** A role as IAM describes it (GetRole), documents decoded to JSON text. */
export interface LiveRole {
  name: string;
  path: string;
  arn: string;
  roleId: string;
  description: string | null;
  maxSessionDurationSeconds: number | null;
  /** The trust policy as JSON text (IAM sends it URL-encoded; decoded here). */
  trustPolicy: string;
  permissionsBoundaryArn: string | null;
  tags: AwsTag[];
}

/** A customer managed policy as IAM describes it (CreatePolicy, GetPolicy). */
export interface LivePolicy {
  name: string;
  arn: string;
  path: string;
  policyId: string;
  defaultVersionId: string | null;
  attachmentCount: number;
  tags: AwsTag[];
}

/** An identity provider of an account: OIDC (its URL without `https://`, and audiences) or SAML (its name). */
export interface IdentityProviderRef {
  kind: 'oidc' | 'saml';
  arn: string;
  name: string;
  /** OIDC: the client IDs (audiences) it accepts; SAML: none. */
  audiences: string[];
}

/** An instance profile as IAM describes it (CreateInstanceProfile, GetInstanceProfile). */
export interface LiveInstanceProfile {
  name: string;
  path: string;
  arn: string;
  /** The roles it holds (at most one: IAM's quota). */
  roleNames: string[];
  tags: AwsTag[];
}

export interface CreateInstanceProfileInput {
  name: string;
  path: string;
  tags: AwsTag[];
}

export interface AttachedPolicyRef {
  name: string;
  arn: string;
}

/** Static credentials, e.g. the sandbox provisioner's keys or an assumed role's session. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials stop working. */
  expiration?: Date;
}

/** Where and as whom to reach one account's IAM and STS. */
export interface AwsConnection {
  /** Endpoint URL for both IAM and STS; `null` uses AWS's own endpoints. */
  endpoint: string | null;
  region: string;
  /** Credentials, or a provider called whenever the SDK needs them; `null` uses the SDK's default chain. */
  credentials: AwsCredentials | (() => Promise<AwsCredentials>) | null;
  /** SDK attempts per call; defaults to 3. */
  maxAttempts?: number;
  /**
   * The SDK's retry mode; defaults to `adaptive`, which also rate-limits the client after
   * throttling (right for IAM's rate-based throttling). `standard` only backs off: for callers
   * facing throttling that does not depend on their rate, where adaptive mode starves the client.
   */
  retryMode?: 'adaptive' | 'standard';
}

export interface CreateRoleInput {
  name: string;
  path: string;
  description: string | null;
  maxSessionDurationSeconds: number;
  trustPolicy: string;
  permissionsBoundaryArn: string | null;
  tags: AwsTag[];
}

export interface CreatePolicyInput {
  name: string;
  path: string;
  description: string | null;
  document: string;
  tags: AwsTag[];
}

export interface AccountSummary {
  /** `AttachedPoliciesPerRoleQuota`: managed policies one role may have attached. */
  attachedPoliciesPerRoleQuota: number | null;
  /** `Roles` and `RolesQuota`. */
  roles: number | null;
  rolesQuota: number | null;
  /** `Policies` and `PoliciesQuota` (customer managed policies). */
  policies: number | null;
  policiesQuota: number | null;
}
