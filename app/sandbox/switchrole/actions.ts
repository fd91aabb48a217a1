'use server';

import { z } from 'zod';
import { guardAction } from '@/lib/auth/session';
import {
  switchRoleSchema,
  switchSandboxRole,
  type SwitchRoleResult,
} from '@/lib/sandbox/switch-role-session';

/**
 * The sandbox Switch Role form: assumes the role as the signed-in person's sandbox IAM user.
 * Sandbox mode only (`not_found` otherwise); any signed-in person with a sandbox user.
 */
export async function switchRoleAction(
  _previous: SwitchRoleResult | null,
  formData: FormData,
): Promise<SwitchRoleResult> {
  const guard = await guardAction();
  if (!guard.ok) return guard;
  const parsed = switchRoleSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    return {
      ok: false,
      code: 'invalid_input',
      message: 'Check the highlighted fields.',
      fieldErrors: z.flattenError(parsed.error).fieldErrors,
    };
  }
  return switchSandboxRole(guard.value, parsed.data);
}
