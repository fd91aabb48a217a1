import 'server-only';
import type { Principal, PortalRoles } from '@/lib/auth/principal';
import {
  getUser,
  insertAssignment,
  insertOrUpdateUser,
  insertUserIfMissing,
  listAssignmentsForSubjects,
} from '@/lib/db/queries/auth';
import type { RootDb } from '@/lib/db/schema';
import { inTransaction } from '@/lib/db/transaction';
import type { Env } from '@/lib/env';
import { demoPeople } from '@/lib/sandbox/seed-data';

/** The database client (the tables `lib/auth` uses are in `lib/db/tables/auth.ts`). */
export type AuthDb = RootDb;

export interface SignedInUser {
  id: string;
  email: string;
  /** The identity provider's `email_verified` claim was `true` (always for the demo people). */
  emailVerified: boolean;
  name: string;
  groups: string[];
}

/**
 * Records a sign-in: creates the user or updates their e-mail, its verification, name and groups
 * (the groups are those of this sign-in, so a person removed from a group loses its roles at their
 * next sign-in). Throws when another user already holds the same verified e-mail.
 */
export async function upsertSignedInUser(
  db: AuthDb,
  user: SignedInUser,
  at: Date = new Date(),
): Promise<void> {
  await insertOrUpdateUser(db, user, at);
}

/**
 * Builds the {@link Principal} for a user id from the database: the user's recorded identity and
 * the portal roles assigned to their e-mail or to one of their groups, plus the bootstrap admins
 * in `aws` mode. Person assignments and bootstrap admins match a verified e-mail only (an identity
 * provider may let anyone set an unverified address). Returns `null` when the user does not exist.
 */
export async function loadPrincipal(db: AuthDb, env: Env, userId: string): Promise<Principal | null> {
  const user = await getUser(db, userId);
  if (!user) return null;
  const groups = user.groups;
  const assignments = await listAssignmentsForSubjects(db, {
    email: user.emailVerified ? user.email : null,
    groups,
  });

  const bootstrapAdmin =
    env.ROLESMITH_MODE === 'aws' && user.emailVerified && env.ROLESMITH_BOOTSTRAP_ADMINS.includes(user.email);
  const roles: PortalRoles = {
    requester: true,
    approver: approverScope(assignments),
    admin: bootstrapAdmin || assignments.some((assignment) => assignment.role === 'admin'),
  };
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    groups,
    roles,
    sandboxIdentity: env.ROLESMITH_MODE === 'sandbox' ? sandboxIdentityFor(user.id) : null,
  };
}

function approverScope(
  assignments: { role: string; accountIds: string[] | null }[],
): PortalRoles['approver'] {
  const approverAssignments = assignments.filter((assignment) => assignment.role === 'approver');
  if (approverAssignments.length === 0) return null;
  if (approverAssignments.some((assignment) => assignment.accountIds === null)) return 'all';
  return [...new Set(approverAssignments.flatMap((assignment) => assignment.accountIds ?? []))].sort();
}

function sandboxIdentityFor(userId: string): Principal['sandboxIdentity'] {
  const person = demoPeople.find((candidate) => candidate.id === userId);
  if (!person) return null;
  return {
    accountId: person.accountId,
    userName: person.userName,
    arn: `arn:aws:iam::${person.accountId}:user/${person.userName}`,
  };
}

/**
 * Seeds the sandbox's demo people and their portal roles (bob approver for every account, carol
 * admin). Idempotent: a person already present is left alone, so running it again (at every start)
 * changes nothing and never restores a role an admin has since revoked.
 */
export async function seedSandboxPeopleInto(db: AuthDb): Promise<void> {
  await inTransaction(db, async (tx) => {
    for (const person of demoPeople) {
      const inserted = await insertUserIfMissing(tx, {
        id: person.id,
        email: person.email,
        emailVerified: true,
        name: person.name,
        groups: [],
      });
      if (!inserted || person.portalRole === 'requester') continue;
      await insertAssignment(tx, {
        subjectKind: 'person',
        subject: person.email,
        role: person.portalRole,
        accountIds: null,
        grantedBy: 'sandbox seed',
      });
    }
  });
}
