/**
 * The IAM policy Rolesmith's provisioner needs in each target account, in ONE place: the README's
 * "IAM permissions" block is this document (a test compares them), the emulator's provisioner user
 * and provisioner roles carry exactly this (seed.ts), and a test checks that every IAM call the
 * portal makes (`lib/aws`, `lib/provisioning`) is allowed by it. A call the portal starts making
 * without its permission here fails a test instead of a customer's first request.
 */
export const provisionerPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ManageRequestedRoles',
      Effect: 'Allow',
      Action: [
        'iam:CreateRole',
        'iam:GetRole',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
        'iam:UpdateAssumeRolePolicy',
        'iam:DeleteRole',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:ListRoleTags',
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:PutRolePolicy',
        'iam:GetRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:ListRolePolicies',
        'iam:PutRolePermissionsBoundary',
        'iam:DeleteRolePermissionsBoundary',
        'iam:CreatePolicy',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:TagPolicy',
        'iam:DeletePolicy',
        'iam:CreateInstanceProfile',
        'iam:GetInstanceProfile',
        'iam:DeleteInstanceProfile',
        'iam:AddRoleToInstanceProfile',
        'iam:RemoveRoleFromInstanceProfile',
        'iam:ListInstanceProfilesForRole',
        'iam:TagInstanceProfile',
      ],
      Resource: '*',
    },
    {
      Sid: 'PassRequestedRolesToTheirInstanceProfiles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: '*',
    },
    {
      Sid: 'ReadTheAccountForTheWizard',
      Effect: 'Allow',
      Action: [
        'iam:ListRoles',
        'iam:ListPolicies',
        'iam:ListOpenIDConnectProviders',
        'iam:GetOpenIDConnectProvider',
        'iam:ListSAMLProviders',
        'iam:GetSAMLProvider',
        'iam:GetAccountSummary',
      ],
      Resource: '*',
    },
  ],
} as const;

/** The name of the inline policy carrying {@link provisionerPolicy} in the emulator. */
export const provisionerPolicyName = 'RolesmithProvisioner';

/** {@link provisionerPolicy} as the JSON text IAM stores. */
export const provisionerPolicyDocument = JSON.stringify(provisionerPolicy);
