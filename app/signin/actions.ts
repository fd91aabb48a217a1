'use server';

import { notFound } from 'next/navigation';
import { demoProviderId, oidcProviderId } from '@/lib/auth/config';
import { signIn } from '@/lib/auth/next-auth';
import { safeCallbackPath } from '@/lib/auth/redirect';
import { seedSandboxPeople } from '@/lib/auth/seed';
import { guardSignIn } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { demoPeople } from '@/lib/sandbox/seed-data';
import { fail, type Result } from '@/lib/result';

/**
 * Signs in as one of the seeded demo people. Sandbox mode only: in aws mode it answers 404
 * whatever is posted. Anyone may call it there (that is the point of the sandbox).
 */
export async function demoSignInAction(
  _previous: Result<null> | null,
  formData: FormData,
): Promise<Result<null>> {
  if (getEnv().ROLESMITH_MODE !== 'sandbox') notFound();
  const personId = formData.get('personId');
  const person = demoPeople.find((candidate) => candidate.id === personId);
  if (!person)
    return fail('invalid_input', 'Choose one of the people listed.', {
      personId: ['Choose one of the people listed.'],
    });
  const guard = await guardSignIn(person.id);
  if (!guard.ok) return guard;
  const redirectTo = safeCallbackPath(formData.get('callbackUrl'));
  // Idempotent; makes sure the demo people exist even before the server's start-up seeding ran.
  await seedSandboxPeople();
  await signIn(demoProviderId, { personId: person.id, redirectTo });
  return fail('unauthenticated', 'Sign-in did not complete. Try again.');
}

/** Starts sign-in at the identity provider (aws mode only; 404 in sandbox mode). Anyone may call it. */
export async function oidcSignInAction(
  _previous: Result<null> | null,
  formData: FormData,
): Promise<Result<null>> {
  if (getEnv().ROLESMITH_MODE !== 'aws') notFound();
  const guard = await guardSignIn();
  if (!guard.ok) return guard;
  await signIn(oidcProviderId, { redirectTo: safeCallbackPath(formData.get('callbackUrl')) });
  return fail('unauthenticated', 'Sign-in did not complete. Try again.');
}
