/**
 * The signed-in person, as every `lib/` function receives it. Built fresh on every call from the
 * session (who) and the database (which portal roles), so a revoked role takes effect at once.
 */
export interface Principal {
  /** Stable portal user id (the identity provider's subject, or the demo person's id). */
  id: string;
  email: string;
  name: string;
  /** Identity-provider groups recorded at sign-in. */
  groups: string[];
  roles: PortalRoles;
  /** The person's IAM user in the sandbox emulator, in sandbox mode only. */
  sandboxIdentity: SandboxIdentity | null;
}

export interface PortalRoles {
  /** Everyone signed in is a requester. */
  requester: true;
  /** Approver for every account (`'all'`), for the listed account ids, or not an approver (`null`). */
  approver: 'all' | string[] | null;
  admin: boolean;
}

export interface SandboxIdentity {
  accountId: string;
  userName: string;
  /** `arn:aws:iam::<account>:user/<name>` */
  arn: string;
}

/** Whether the principal may approve requests for a target account (admins may approve everywhere). */
export function canApproveFor(principal: Principal, accountId: string): boolean {
  if (principal.roles.admin) return true;
  const approver = principal.roles.approver;
  return approver === 'all' || (approver !== null && approver.includes(accountId));
}

/**
 * What an entry point asks of its caller before anything else: anyone signed in, an approver (of
 * any account) or an admin, or an admin. The `lib` function still decides per record (an approver
 * of another account, one's own request); this is the first, coarse check, and what the
 * navigation shows.
 */
export type PortalRole = 'signedIn' | 'approver' | 'admin';

/** Whether the principal holds `role` (admins hold every role). */
export function hasPortalRole(principal: Principal, role: PortalRole): boolean {
  if (role === 'admin') return principal.roles.admin;
  if (role === 'approver') return principal.roles.admin || principal.roles.approver !== null;
  return true;
}
