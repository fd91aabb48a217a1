import 'server-only';
import { authDb } from '@/lib/auth/db';
import { seedSandboxPeopleInto } from '@/lib/auth/users';
import { getEnv } from '@/lib/env';

/**
 * Seeds the demo people and their portal roles in sandbox mode (bob approver for every account,
 * carol admin); does nothing in `aws` mode. Idempotent: call it at every start.
 */
export async function seedSandboxPeople(): Promise<void> {
  if (getEnv().ROLESMITH_MODE !== 'sandbox') return;
  await seedSandboxPeopleInto(await authDb());
}
