'use server';

import { runAction } from '@/lib/auth/action';
import { switchSandboxRole, type SwitchRoleResult } from '@/lib/sandbox/switch-role-session';

/**
 * The sandbox Switch Role form: assumes the role as the signed-in person's sandbox IAM user.
 * Sandbox mode only (`not_found` otherwise); any signed-in person with a sandbox user.
 */
export async function switchRoleAction(
  _previous: SwitchRoleResult | null,
  formData: FormData,
): Promise<SwitchRoleResult> {
  return runAction('signedIn', switchSandboxRole, formData);
}
