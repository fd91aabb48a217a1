import { roleArn, type RoleSpec } from '@/lib/iam/role-spec';
import { accountTrustOf } from '@/lib/iam/trust-analysis';
import { externalIdSchema, type Partition } from '@/lib/iam/trust-entity';

/**
 * The AWS CLI profile (`~/.aws/config`) that assumes a role from a source profile.
 * Keys: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html
 */

export interface CliProfileOptions {
  partition?: Partition;
  /** `[profile NAME]`; defaults to `<role name>-<account id>`. Characters outside `[\w.@+=-]` become `-`. */
  profileName?: string;
  /** The profile holding the caller's own credentials (default `default`). */
  sourceProfile?: string;
  /**
   * The caller's MFA device ARN, written when the trust demands MFA. `{account}` is replaced by the
   * trusted account id. Default: `arn:aws:iam::{account}:mfa/YOUR_USER_NAME`, for the user to edit.
   */
  mfaSerialTemplate?: string;
  /** Session length to request; written only when above the CLI's 3600 s default. Defaults to the role's maximum. */
  durationSeconds?: number;
  /** Optional `role_session_name`. */
  roleSessionName?: string;
  /** Optional `region`: the profile's default region for the commands run with it (IAM itself is global). */
  region?: string;
}

/** A profile name as one word of the config file: characters outside `[\w.@+=-]` become `-`. */
function profileNameText(name: string): string {
  return name.replace(/[^\w.@+=-]/g, '-');
}

export type CliProfile =
  | { ok: true; profileName: string; text: string }
  | { ok: false; reason: 'no_account_principal'; message: string };

/**
 * The profile text, e.g. `[profile app-111122223333]` with `role_arn`, `source_profile`, and
 * `mfa_serial`, `external_id`, `duration_seconds`, `role_session_name`, `region` where they apply
 * (`region` only when it has the shape of one, e.g. `us-east-1`). Returns a
 * reason instead when the trust names no AWS account (a service or federated role).
 */
export function buildCliProfile(
  spec: Pick<RoleSpec, 'accountId' | 'path' | 'name' | 'trustedEntity' | 'maxSessionDuration'>,
  options: CliProfileOptions = {},
): CliProfile {
  const partition = options.partition ?? 'aws';
  const trust = accountTrustOf(spec.trustedEntity);
  if (trust.accountIds.length === 0 && !trust.allowsAnyPrincipal) {
    return {
      ok: false,
      reason: 'no_account_principal',
      message: 'This role trusts no AWS account, so no CLI profile can assume it with a source profile.',
    };
  }
  const profileName = profileNameText(options.profileName ?? `${spec.name}-${spec.accountId}`);
  const lines = [
    `[profile ${profileName}]`,
    `role_arn = ${roleArn(spec, partition)}`,
    `source_profile = ${profileNameText(options.sourceProfile ?? 'default')}`,
  ];
  if (trust.requiresMfa) {
    const template = options.mfaSerialTemplate ?? `arn:${partition}:iam::{account}:mfa/YOUR_USER_NAME`;
    const serial = template.replaceAll('{account}', trust.accountIds[0] ?? spec.accountId);
    lines.push(`mfa_serial = ${serial.replace(/[^\w+=,.@:/-]/g, '-')}`);
  }
  if (trust.requiresExternalId) {
    // The trust policy's value is the requester's text (a custom document may say anything): only
    // one AssumeRole can send is written, so that no line break adds lines to the person's config.
    const externalId =
      trust.externalId !== undefined && externalIdSchema.safeParse(trust.externalId).success
        ? trust.externalId
        : 'EXTERNAL_ID_AGREED_WITH_THE_ROLE_OWNER';
    lines.push(`external_id = ${externalId}`);
  }
  const duration = Math.min(options.durationSeconds ?? spec.maxSessionDuration, spec.maxSessionDuration);
  if (duration > 3600) lines.push(`duration_seconds = ${duration}`);
  if (options.roleSessionName)
    lines.push(`role_session_name = ${options.roleSessionName.replace(/[^\w+=,.@-]/g, '-').slice(0, 64)}`);
  if (options.region && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(options.region))
    lines.push(`region = ${options.region}`);
  return { ok: true, profileName, text: `${lines.join('\n')}\n` };
}
