/**
 * The actions a role's trust policy may name, lower-cased: IAM refuses any other action there.
 * Shared by the validator and the emulator's own check of trust policies.
 */
export const TRUST_POLICY_ACTIONS: readonly string[] = [
  'sts:assumerole',
  'sts:assumerolewithsaml',
  'sts:assumerolewithwebidentity',
  'sts:tagsession',
  'sts:setsourceidentity',
  'sts:setcontext',
];
