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
