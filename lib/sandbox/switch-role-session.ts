import 'server-only';

import { z } from 'zod';

import { assumeRoleAsSandboxPerson, type PersonRoleSession } from '@/lib/aws/sandbox-person';
import type { Principal } from '@/lib/auth/principal';
import { getEnv } from '@/lib/env';
import { invalidInput, type ErrorCode, type FieldErrors } from '@/lib/result';
import { basePathDefault, getSandboxEmulator, type SandboxEmulator } from '@/lib/sandbox/emulator';

/**
 * The sandbox's stand-in for the console's Switch Role page: the signed-in person's own sandbox IAM
 * user assumes a role in the emulator, over HTTP, with the person's access keys.
 */

const accountId = z.string().regex(/^\d{12}$/, 'Account must be a 12-digit AWS account ID');
/** Path without its leading slash, then the name, at most 64 characters (the console's limit). */
const roleName = z
  .string()
  .max(64, 'Role name (with its path) must be at most 64 characters')
  .regex(
    /^(?:[\u0021-\u002E\u0030-\u007E]+\/)*[\w+=,.@-]{1,64}$/,
    'Role name must be a role name, optionally after its path without the leading slash (e.g. ci/deployer)',
  );
const displayName = z.string().trim().max(64, 'Display name must be at most 64 characters');
const color = z
  .string()
  .regex(/^#?[0-9a-fA-F]{6}$/, 'Colour must be six hexadecimal digits, e.g. 99BCE3')
  .transform((value) => value.replace(/^#/, '').toUpperCase());

/** The switch-role link's query: `account`, `roleName`, and optionally `displayName` and `color`. */
export const switchRoleQuerySchema = z.object({
  account: accountId,
  roleName,
  displayName: displayName.optional(),
  color: color.optional(),
});
export type SwitchRoleQuery = z.infer<typeof switchRoleQuerySchema>;

/** The Switch Role form: the link's fields (editable) plus an optional MFA code. */
export const switchRoleSchema = z.object({
  account: accountId,
  roleName,
  displayName: displayName.optional(),
  color: z.union([z.literal(''), color]).optional(),
  mfaCode: z.union([z.literal(''), z.string().regex(/^\d{6}$/, 'MFA code must be six digits')]).optional(),
});
export type SwitchRoleInput = z.infer<typeof switchRoleSchema>;

/** Where the emulator is reached: the running portal's own endpoint by default. */
export interface SandboxTarget {
  /** SDK endpoint, e.g. `http://127.0.0.1:3000/sandbox/aws`. */
  endpoint: string;
  emulator: SandboxEmulator;
}

/** Who the switch happens as: the person's sandbox IAM user and MFA device (no keys). */
export interface SwitchRoleCaller {
  accountId: string;
  userName: string;
  userArn: string;
  mfaSerial: string;
  /** The device's current code, which in real AWS would come from the person's authenticator. */
  currentMfaCode: string | null;
}

/** A successful switch, as the console would show it. */
export interface SwitchedRole extends PersonRoleSession {
  account: string;
  roleArn: string;
  displayName: string;
  /** Hex without `#`, or `null` for the console's default. */
  color: string | null;
  usedMfa: boolean;
}

export type SwitchRoleResult =
  | { ok: true; value: SwitchedRole }
  | {
      ok: false;
      code: ErrorCode;
      message: string;
      fieldErrors?: FieldErrors;
      /** AWS's own error code and message, when AWS refused. */
      aws?: { code: string; message: string };
      /** What the refusal usually means, in plain words. */
      hint?: string;
    };

/** The portal's in-process emulator on its own port; `null` outside sandbox mode. */
async function defaultTarget(): Promise<SandboxTarget | null> {
  const env = getEnv();
  if (env.ROLESMITH_MODE !== 'sandbox') return null;
  return { endpoint: `http://127.0.0.1:${env.PORT}${basePathDefault}`, emulator: await getSandboxEmulator() };
}

const notSandbox = {
  ok: false,
  code: 'not_found',
  message: 'The sandbox exists only in sandbox mode.',
} as const;

function personOf(principal: Principal, emulator: SandboxEmulator) {
  const identity = principal.sandboxIdentity;
  if (!identity) return null;
  const person = emulator
    .describe()
    .people.find((item) => item.accountId === identity.accountId && item.userName === identity.userName);
  return person ? { identity, person } : null;
}

const noSandboxUser = {
  ok: false,
  code: 'forbidden',
  message:
    'You have no sandbox IAM user, so there is nobody to switch role as. Sign in as one of the demo people.',
} as const;

/**
 * The signed-in person's sandbox IAM user, its MFA device and the device's current code; fails
 * (`forbidden`) when the person has no sandbox user, `not_found` outside sandbox mode.
 */
export async function getSwitchRoleCaller(
  principal: Principal,
  target?: SandboxTarget,
): Promise<{ ok: true; value: SwitchRoleCaller } | typeof noSandboxUser | typeof notSandbox> {
  const resolved = target ?? (await defaultTarget());
  if (!resolved) return notSandbox;
  const { emulator } = resolved;
  const found = personOf(principal, emulator);
  if (!found) return noSandboxUser;
  return {
    ok: true,
    value: {
      accountId: found.identity.accountId,
      userName: found.identity.userName,
      userArn: found.identity.arn,
      mfaSerial: found.person.mfaSerial,
      currentMfaCode: emulator.mfaCode(found.identity.accountId, found.identity.userName),
    },
  };
}

/** Plain words for AWS's refusal of a console-style switch (with or without an MFA code). */
export function explainSwitchRoleFailure(awsCode: string, awsMessage: string, usedMfa: boolean): string {
  if (awsCode === 'AccessDenied' && awsMessage.includes('MultiFactorAuthentication')) {
    return 'The MFA code was not accepted: it may have expired (codes change every 30 seconds). Reload the page for a fresh one.';
  }
  if (awsCode === 'AccessDenied' && usedMfa) {
    return "The role's trust policy does not allow your user (or the role does not exist), or it requires an external ID, which console switching cannot pass.";
  }
  if (awsCode === 'AccessDenied') {
    return "The role's trust policy does not allow your user (or the role does not exist), it requires MFA and no code was given, or it requires an external ID, which console switching cannot pass.";
  }
  if (awsCode === 'NetworkError') return 'The sandbox emulator did not answer. Try again.';
  if (awsCode === 'Throttling') return 'The sandbox is throttling requests. Wait a moment and try again.';
  return 'AWS refused the request.';
}

/**
 * Assumes `roleName` in `account` as the principal's own sandbox IAM user, with the person's access
 * keys, session name = user name, and their MFA device when a code is given; then calls
 * `GetCallerIdentity` and `ListAttachedRolePolicies` with the temporary credentials. Returns
 * `invalid_input` for a bad form, `forbidden` for a person without a sandbox user, and AWS's code,
 * message and a plain-words hint when STS refuses; `not_found` outside sandbox mode. Never returns
 * secret keys.
 */
export async function switchSandboxRole(
  principal: Principal,
  form: unknown,
  target?: SandboxTarget,
): Promise<SwitchRoleResult> {
  const resolved = target ?? (await defaultTarget());
  if (!resolved) return notSandbox;
  const found = personOf(principal, resolved.emulator);
  if (!found) return noSandboxUser;
  const parsed = switchRoleSchema.safeParse(form);
  if (!parsed.success) return invalidInput(parsed.error);
  const input = parsed.data;
  const { identity, person } = found;
  const slash = input.roleName.lastIndexOf('/');
  const name = input.roleName.slice(slash + 1);
  const roleArn = `arn:aws:iam::${input.account}:role/${input.roleName}`;
  const mfaCode = input.mfaCode ? input.mfaCode : null;
  const assumed = await assumeRoleAsSandboxPerson(
    {
      endpoint: resolved.endpoint,
      region: resolved.emulator.describe().region,
      credentials: { accessKeyId: person.accessKeyId, secretAccessKey: person.secretAccessKey },
    },
    {
      roleArn,
      roleName: name,
      sessionName: identity.userName,
      mfa: mfaCode ? { serialNumber: person.mfaSerial, tokenCode: mfaCode } : null,
    },
  );
  if (!assumed.ok) {
    return {
      ok: false,
      code: assumed.code,
      message: assumed.message,
      aws: { code: assumed.aws.code, message: assumed.aws.message },
      hint: explainSwitchRoleFailure(assumed.aws.code, assumed.aws.message, mfaCode !== null),
    };
  }
  return {
    ok: true,
    value: {
      ...assumed.value,
      account: input.account,
      roleArn,
      displayName: input.displayName ? input.displayName : input.roleName,
      color: input.color ? input.color : null,
      usedMfa: mfaCode !== null,
    },
  };
}
