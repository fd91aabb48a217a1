import 'server-only';

/** The sandbox emulator's view of AWS managed policies: the loader lives in `lib/iam`. */
export { getAwsManagedPolicies, type AwsManagedPolicy } from '@/lib/iam/aws-managed-policies';
