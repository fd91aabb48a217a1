'use server';

import { signOut } from '@/lib/auth/next-auth';
import { guardSignIn } from '@/lib/auth/session';

/**
 * Signs out (clears the session cookie) and returns to the sign-in page. Anyone may call it; a
 * request with a missing or foreign Origin is refused (nothing happens).
 */
export async function signOutAction(): Promise<void> {
  const guard = await guardSignIn();
  if (!guard.ok) throw new Error(guard.message);
  await signOut({ redirectTo: '/signin' });
}
