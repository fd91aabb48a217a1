import 'server-only';
import { z } from 'zod';
import { demoProviderId, oidcProviderId } from '@/lib/auth/config';
import { signIn } from '@/lib/auth/next-auth';
import { safeCallbackPath } from '@/lib/auth/redirect';
import { seedSandboxPeople } from '@/lib/auth/seed';
import { guardSignIn } from '@/lib/auth/session';
import { demoPeople } from '@/lib/sandbox/seed-data';
import { fail, invalidInput, type Result } from '@/lib/result';

const chooseSomeone = 'Choose one of the people listed.';

/** The demo chooser's form: which seeded person, and where to go afterwards (made safe). */
export const demoSignInSchema = z.object({
  personId: z
    .string({ error: chooseSomeone })
    .refine((id) => demoPeople.some((person) => person.id === id), chooseSomeone),
  callbackUrl: z.unknown().optional().transform(safeCallbackPath),
});

/** The sign-in page's form in aws mode: where to go afterwards (made safe). */
export const oidcSignInSchema = z.object({ callbackUrl: z.unknown().optional().transform(safeCallbackPath) });

const incomplete = (): Result<never> => fail('unauthenticated', 'Sign-in did not complete. Try again.');

/**
 * Signs in as one of the seeded demo people (the caller checks that the mode is sandbox). First
 * the sign-in guard (origin, per-IP and per-person limits), then Auth.js, which sets the session
 * cookie and redirects to `callbackUrl` (it throws Next's redirect). Returns `invalid_input` with
 * `personId` for someone not listed, the guard's `forbidden` or `rate_limited`.
 */
export async function startDemoSignIn(input: unknown): Promise<Result<null>> {
  const parsed = demoSignInSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, chooseSomeone);
  const guard = await guardSignIn(parsed.data.personId);
  if (!guard.ok) return guard;
  // Idempotent; makes sure the demo people exist even before the server's start-up seeding ran.
  await seedSandboxPeople();
  await signIn(demoProviderId, { personId: parsed.data.personId, redirectTo: parsed.data.callbackUrl });
  return incomplete();
}

/**
 * Starts sign-in at the identity provider (the caller checks that the mode is aws): the sign-in
 * guard, then Auth.js redirects to the provider. Returns the guard's `forbidden` or `rate_limited`.
 */
export async function startOidcSignIn(input: unknown): Promise<Result<null>> {
  const guard = await guardSignIn();
  if (!guard.ok) return guard;
  const parsed = oidcSignInSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  await signIn(oidcProviderId, { redirectTo: parsed.data.callbackUrl });
  return incomplete();
}
