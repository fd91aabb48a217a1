import type { RoleSpec } from '@/lib/iam/role-spec';
import { accountTrustOf } from '@/lib/iam/trust-analysis';
import { switchRoleUrl } from '@/lib/iam/switch-role-url';
import type { Partition } from '@/lib/iam/trust-entity';

/**
 * The console's switch-role link for a role, or the reason why console switching cannot work.
 * The console's "Switch role" form passes neither an external ID nor session tags, and stores
 * `roleName` as path-without-leading-slash plus name, at most 64 characters.
 */

export const SIGNIN_HOSTS: Readonly<Record<Partition, string>> = {
  aws: 'signin.aws.amazon.com',
  'aws-cn': 'signin.amazonaws.cn',
  'aws-us-gov': 'signin.amazonaws-us-gov.com',
};

export type SwitchRoleUnavailableReason =
  'external_id_required' | 'role_name_too_long' | 'no_account_principal';

export type SwitchRoleLink =
  | { ok: true; url: string; roleName: string; requiresMfa: boolean }
  | { ok: false; reason: SwitchRoleUnavailableReason; message: string };

export interface SwitchRoleOptions {
  partition?: Partition;
  /** Shown in the console's role history; cut to 64 characters. Defaults to the role name. */
  displayName?: string;
  /** One of `palette` (case-insensitive, `#` optional); any other value is left out. */
  color?: string;
  /** Allowed colours; the console's five by default. */
  palette?: readonly string[];
  /**
   * Another switch-role page taking the same parameters, e.g. the sandbox's
   * `http://localhost:3000/sandbox/switchrole`; replaces the partition's sign-in page.
   */
  switchRolePageUrl?: string;
}

/** `roleName` as the console expects it: the path without its leading slash, then the name. */
export function switchRoleName(spec: Pick<RoleSpec, 'path' | 'name'>): string {
  return `${spec.path.slice(1)}${spec.name}`;
}

/**
 * Builds the switch-role URL (parameters URL-encoded, partition's sign-in host). Returns a typed
 * reason instead when the link cannot work: the trust demands an external ID, path plus name
 * exceed 64 characters, or the trust names no AWS account principal.
 */
export function buildSwitchRoleLink(
  spec: Pick<RoleSpec, 'accountId' | 'path' | 'name' | 'trustedEntity'>,
  options: SwitchRoleOptions = {},
): SwitchRoleLink {
  const trust = accountTrustOf(spec.trustedEntity);
  if (trust.accountIds.length === 0 && !trust.allowsAnyPrincipal) {
    return {
      ok: false,
      reason: 'no_account_principal',
      message:
        'This role trusts no AWS account, so nobody can switch to it in the console; it is used by a service or a federated identity.',
    };
  }
  if (trust.requiresExternalId) {
    return {
      ok: false,
      reason: 'external_id_required',
      message:
        'This role requires an external ID, which the console cannot pass; use the CLI profile or an SDK instead.',
    };
  }
  const roleName = switchRoleName(spec);
  if (roleName.length > 64) {
    return {
      ok: false,
      reason: 'role_name_too_long',
      message: `The console accepts at most 64 characters of path and role name; ${roleName} has ${roleName.length}. Use the CLI profile instead.`,
    };
  }
  const page = options.switchRolePageUrl ?? `https://${SIGNIN_HOSTS[options.partition ?? 'aws']}/switchrole`;
  const url = switchRoleUrl(page, {
    account: spec.accountId,
    roleName,
    displayName: options.displayName ?? spec.name,
    color: options.color,
    palette: options.palette,
  });
  return { ok: true, url, roleName, requiresMfa: trust.requiresMfa };
}
