'use server';

// Signing out, from the header's user menu and the sign-in page (the route group holds no page).

import { runAction } from '@/lib/auth/action';
import { endOwnSessions } from '@/lib/auth/server-sessions';
import { endCurrentSession, guardSignIn } from '@/lib/auth/session';
import { ok, type Result } from '@/lib/result';

/**
 * Signs out (ends the server-side session, so that a copy of the cookie is refused, and clears
 * the cookie) and returns to the sign-in page. Anyone may call it; a request with a missing or
 * foreign Origin is refused (nothing happens).
 */
export async function signOutAction(): Promise<void> {
  const guard = await guardSignIn();
  if (!guard.ok) throw new Error(guard.message);
  await endCurrentSession();
  const nextAuth = await import('@/lib/auth/next-auth');
  await nextAuth.signOut({ redirectTo: '/signin' });
}

/**
 * Signs the caller out of every browser and device (ends all their server-side sessions), then
 * out of this one. Signed-in people only, for themselves; origin-checked and rate limited.
 */
export async function signOutEverywhereAction(
  _previous: Result<null> | null,
  formData: FormData,
): Promise<Result<null>> {
  const ended = await runAction('signedIn', endOwnSessions, formData);
  if (!ended.ok) return ended;
  // Loaded here rather than at the top so that the authorization matrix (Vitest, which cannot load
  // next-auth's ESM build) can call this action as an anonymous caller.
  const nextAuth = await import('@/lib/auth/next-auth');
  await nextAuth.signOut({ redirectTo: '/signin' });
  return ok(null);
}
