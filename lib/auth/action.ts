import 'server-only';
import { hasPortalRole, type PortalRole, type Principal } from '@/lib/auth/principal';
import { guardAction } from '@/lib/auth/session';
import { formDataToObject } from '@/lib/form-data';
import { fail, type Result } from '@/lib/result';

/** A `lib` function as an action calls it: the signed-in principal, then the unparsed input. */
export type LibCall<R> = (principal: Principal, input: unknown) => Promise<R>;

/**
 * The one shape of a server action's work: the guard ({@link guardAction}: the portal's own
 * Origin, a signed-in person, the mutation rate limits), then the portal role `role`
 * ({@link hasPortalRole}; else `forbidden`, before anything is read or parsed), then one `lib`
 * call with the principal and the form as {@link formDataToObject} gives it (the `lib` function
 * parses it). Refusals come back as
 * `Result` failures, so the form shows them like any other. The action revalidates after it.
 *
 * ```ts
 * export async function saveThingAction(_previous: Result<Thing> | null, formData: FormData) {
 *   const result = await runAction('admin', saveThing, formData);
 *   if (result.ok) revalidatePath('/things');
 *   return result;
 * }
 * ```
 */
export async function runAction<R>(
  role: PortalRole,
  call: LibCall<R>,
  formData: FormData,
): Promise<R | Result<never>> {
  const guard = await guardAction();
  if (!guard.ok) return guard;
  if (!hasPortalRole(guard.value, role)) return fail('forbidden', forbiddenMessages[role]);
  return call(guard.value, formDataToObject(formData));
}

const forbiddenMessages: Record<PortalRole, string> = {
  signedIn: 'Sign in first.',
  approver: 'Only approvers and admins may do this.',
  admin: 'Only admins may do this.',
};
