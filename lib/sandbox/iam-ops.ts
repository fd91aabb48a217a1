import 'server-only';
import { accountOperations } from '@/lib/sandbox/iam-account';
import { instanceProfileOperations } from '@/lib/sandbox/iam-instance-profiles';
import { policyOperations } from '@/lib/sandbox/iam-policies';
import { providerOperations } from '@/lib/sandbox/iam-providers';
import { rolePolicyOperations } from '@/lib/sandbox/iam-role-policies';
import { roleOperations } from '@/lib/sandbox/iam-roles';
import { simulationOperations } from '@/lib/sandbox/iam-simulation';
import type { Operation } from '@/lib/sandbox/operation';

/**
 * Every IAM operation the emulator serves, by Action name. Each resource family lives in a file of
 * its own (`iam-roles.ts`, `iam-role-policies.ts`, `iam-policies.ts`, `iam-providers.ts`, `iam-instance-profiles.ts`,
 * `iam-simulation.ts`, `iam-account.ts`), sharing the parameter readers of `iam-params.ts`.
 */
export const iamOperations: Readonly<Record<string, Operation>> = {
  ...roleOperations,
  ...rolePolicyOperations,
  ...policyOperations,
  ...providerOperations,
  ...instanceProfileOperations,
  ...simulationOperations,
  ...accountOperations,
};
