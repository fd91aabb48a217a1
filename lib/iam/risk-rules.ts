/**
 * Risk analysis's rule table, as data: the risk codes and severities, and for each rule on granted
 * actions its code, severity, title, explanation and the actions it looks for. The code that
 * applies the table (which statements grant which actions, after denies) is in risk.ts.
 * Privilege-escalation paths follow the published research (Rhino Security Labs, "AWS IAM
 * Privilege Escalation – Methods and Mitigation"; Bishop Fox iam-vulnerable; pathfinding.cloud).
 */

export type RiskSeverity = 'critical' | 'high' | 'medium' | 'low';

export type RiskCode =
  | 'full_admin'
  | 'allow_not_action'
  | 'service_wildcard'
  | 'privesc_passrole_compute'
  | 'privesc_passrole_any_role'
  | 'privesc_policy_version'
  | 'privesc_attach_policy'
  | 'privesc_put_policy'
  | 'privesc_user_credentials'
  | 'privesc_update_trust'
  | 'privesc_group_membership'
  | 'privesc_assume_any_role'
  | 'privesc_update_code'
  | 'privesc_boundary_removal'
  | 'privesc_remote_execution'
  | 'data_exfiltration'
  | 'credentials_exposure'
  | 'resource_exposure'
  | 'logging_disabled'
  | 'infrastructure_modification'
  | 'trust_any_principal'
  | 'trust_third_party_without_external_id'
  | 'trust_web_identity_without_audience'
  | 'trust_web_identity_without_sub'
  | 'trust_web_identity_broad_sub';

/** A rule on granted actions: flagged when the policy grants any of `actions` (after unconditional denies). */
export interface ActionRule {
  code: RiskCode;
  severity: RiskSeverity;
  title: string;
  explain: (actions: string) => string;
  actions: readonly string[];
  /** Only when granted on all resources of the type. */
  broadOnly: boolean;
}

/** Services that run code with a role passed to them (the `iam:PassRole` escalation targets). */
export const PASSROLE_COMPUTE_ACTIONS = [
  'ec2:RunInstances',
  'lambda:CreateFunction',
  'lambda:UpdateFunctionConfiguration',
  'glue:CreateDevEndpoint',
  'glue:UpdateDevEndpoint',
  'glue:CreateJob',
  'glue:UpdateJob',
  'cloudformation:CreateStack',
  'cloudformation:UpdateStack',
  'cloudformation:CreateStackSet',
  'ecs:RunTask',
  'ecs:StartTask',
  'ecs:CreateService',
  'ecs:UpdateService',
  'sagemaker:CreateNotebookInstance',
  'sagemaker:CreateTrainingJob',
  'sagemaker:CreateProcessingJob',
  'sagemaker:CreateHyperParameterTuningJob',
  'codebuild:CreateProject',
  'codebuild:UpdateProject',
  'datapipeline:CreatePipeline',
  'states:CreateStateMachine',
  'batch:SubmitJob',
  'batch:RegisterJobDefinition',
  'apprunner:CreateService',
  'autoscaling:CreateLaunchConfiguration',
  'ec2:CreateLaunchTemplate',
  'elasticbeanstalk:CreateEnvironment',
  'eks:CreateNodegroup',
  'emr-serverless:StartJobRun',
  'elasticmapreduce:RunJobFlow',
];

/** Rules on granted actions, applied in order by `assessPermissionsRisk`. */
export const ACTION_RISK_RULES: readonly ActionRule[] = [
  {
    code: 'privesc_policy_version',
    severity: 'critical',
    title: 'Can rewrite managed policies',
    explain: (a) =>
      `${a} lets the role publish a new default version of a customer managed policy, including one attached to itself, and so grant itself any permission.`,
    actions: ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'],
    broadOnly: false,
  },
  {
    code: 'privesc_attach_policy',
    severity: 'critical',
    title: 'Can attach managed policies to principals',
    explain: (a) =>
      `${a} lets the role attach AdministratorAccess (or any policy) to a user, group or role it can use, itself included.`,
    actions: ['iam:AttachUserPolicy', 'iam:AttachGroupPolicy', 'iam:AttachRolePolicy'],
    broadOnly: false,
  },
  {
    code: 'privesc_put_policy',
    severity: 'critical',
    title: 'Can write inline policies',
    explain: (a) =>
      `${a} lets the role write an inline policy granting anything to a user, group or role, itself included.`,
    actions: ['iam:PutUserPolicy', 'iam:PutGroupPolicy', 'iam:PutRolePolicy'],
    broadOnly: false,
  },
  {
    code: 'privesc_update_trust',
    severity: 'critical',
    title: 'Can change who may assume roles',
    explain: (a) =>
      `${a} lets the role rewrite another role's trust policy so that it (or an outsider) can assume that role and gain its permissions.`,
    actions: ['iam:UpdateAssumeRolePolicy'],
    broadOnly: false,
  },
  {
    code: 'privesc_user_credentials',
    severity: 'high',
    title: "Can create other users' credentials",
    explain: (a) =>
      `${a} lets the role create access keys or console passwords for other IAM users and act as them.`,
    actions: ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'],
    broadOnly: false,
  },
  {
    code: 'privesc_group_membership',
    severity: 'high',
    title: 'Can add users to groups',
    explain: (a) => `${a} lets the role put a user it controls into a more privileged group.`,
    actions: ['iam:AddUserToGroup'],
    broadOnly: false,
  },
  {
    code: 'privesc_assume_any_role',
    severity: 'high',
    title: 'Can assume any role',
    explain: (a) =>
      `${a} on all roles lets the role assume every role whose trust policy allows this account, collecting their permissions.`,
    actions: ['sts:AssumeRole'],
    broadOnly: true,
  },
  {
    code: 'privesc_update_code',
    severity: 'high',
    title: 'Can change code that runs with other roles',
    explain: (a) =>
      `${a} lets the role replace the code of functions or endpoints that run with their own, possibly stronger, roles.`,
    actions: [
      'lambda:UpdateFunctionCode',
      'glue:UpdateDevEndpoint',
      'sagemaker:CreatePresignedNotebookInstanceUrl',
      'codebuild:StartBuild',
    ],
    broadOnly: true,
  },
  {
    code: 'privesc_boundary_removal',
    severity: 'high',
    title: 'Can change permissions boundaries',
    explain: (a) =>
      `${a} lets the role remove or replace the permissions boundary that limits a user or role.`,
    actions: [
      'iam:DeleteRolePermissionsBoundary',
      'iam:DeleteUserPermissionsBoundary',
      'iam:PutRolePermissionsBoundary',
      'iam:PutUserPermissionsBoundary',
    ],
    broadOnly: false,
  },
  {
    code: 'privesc_remote_execution',
    severity: 'high',
    title: 'Can run commands on instances and containers',
    explain: (a) =>
      `${a} on all resources lets the role run commands on instances and containers, and so use their roles' credentials.`,
    actions: [
      'ssm:SendCommand',
      'ssm:StartSession',
      'ec2-instance-connect:SendSSHPublicKey',
      'ecs:ExecuteCommand',
    ],
    broadOnly: true,
  },
  {
    code: 'data_exfiltration',
    severity: 'high',
    title: 'Can read data everywhere',
    explain: (a) =>
      `${a} on all resources lets the role read every object, secret, parameter or table in the account, and decrypt with every key.`,
    actions: [
      's3:GetObject',
      'secretsmanager:GetSecretValue',
      'ssm:GetParameter',
      'ssm:GetParameters',
      'ssm:GetParametersByPath',
      'kms:Decrypt',
      'dynamodb:Scan',
      'dynamodb:Query',
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'rds:CopyDBSnapshot',
      'ec2:CreateSnapshot',
    ],
    broadOnly: true,
  },
  {
    code: 'credentials_exposure',
    severity: 'high',
    title: 'Can obtain credentials',
    explain: (a) =>
      `${a} returns passwords, tokens or keys (instance passwords, database credentials, federation tokens, function environments).`,
    actions: [
      'ec2:GetPasswordData',
      'redshift:GetClusterCredentials',
      'redshift-serverless:GetCredentials',
      'sts:GetFederationToken',
      'iam:CreateServiceSpecificCredential',
      'iam:ResetServiceSpecificCredential',
      'cognito-identity:GetCredentialsForIdentity',
      'lambda:GetFunctionConfiguration',
      'rds-db:connect',
    ],
    broadOnly: true,
  },
  {
    code: 'resource_exposure',
    severity: 'high',
    title: 'Can share resources outside the account',
    explain: (a) =>
      `${a} lets the role change resource policies, ACLs or sharing attributes, and so open resources to other accounts or the public.`,
    actions: [
      's3:PutBucketPolicy',
      's3:PutBucketAcl',
      's3:PutObjectAcl',
      's3:PutBucketPublicAccessBlock',
      's3:PutAccountPublicAccessBlock',
      '*:PutResourcePolicy',
      'lambda:AddPermission',
      'lambda:AddLayerVersionPermission',
      'kms:PutKeyPolicy',
      'kms:CreateGrant',
      'sqs:SetQueueAttributes',
      'sqs:AddPermission',
      'sns:SetTopicAttributes',
      'sns:AddPermission',
      'ecr:SetRepositoryPolicy',
      'ec2:ModifySnapshotAttribute',
      'ec2:ModifyImageAttribute',
      'rds:ModifyDBSnapshotAttribute',
      'rds:ModifyDBClusterSnapshotAttribute',
      'glacier:SetVaultAccessPolicy',
      'backup:PutBackupVaultAccessPolicy',
      'elasticfilesystem:PutFileSystemPolicy',
      'ram:CreateResourceShare',
    ],
    broadOnly: false,
  },
  {
    code: 'logging_disabled',
    severity: 'high',
    title: 'Can turn off auditing and detection',
    explain: (a) =>
      `${a} lets the role stop or delete audit trails, detectors or recorders, hiding what it does.`,
    actions: [
      'cloudtrail:StopLogging',
      'cloudtrail:DeleteTrail',
      'cloudtrail:UpdateTrail',
      'cloudtrail:PutEventSelectors',
      'guardduty:DeleteDetector',
      'guardduty:UpdateDetector',
      'config:StopConfigurationRecorder',
      'config:DeleteConfigurationRecorder',
      'ec2:DeleteFlowLogs',
      'logs:DeleteLogGroup',
      'securityhub:DisableSecurityHub',
      'access-analyzer:DeleteAnalyzer',
    ],
    broadOnly: false,
  },
  {
    code: 'infrastructure_modification',
    severity: 'medium',
    title: 'Can change network and infrastructure',
    explain: (a) =>
      `${a} on all resources lets the role open networks, reroute traffic or delete infrastructure.`,
    actions: [
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:CreateRoute',
      'ec2:ReplaceRoute',
      'ec2:CreateVpcPeeringConnection',
      'ec2:AcceptVpcPeeringConnection',
      'ec2:ModifyInstanceAttribute',
      'ec2:TerminateInstances',
      'route53:ChangeResourceRecordSets',
      'rds:DeleteDBInstance',
      'rds:DeleteDBCluster',
      's3:DeleteBucket',
      'organizations:LeaveOrganization',
    ],
    broadOnly: true,
  },
];

/** Services whose `service:*` is flagged high rather than medium: they manage identities, keys, audit or secrets. */
export const SENSITIVE_SERVICES = new Set([
  'iam',
  'sts',
  'kms',
  'organizations',
  'secretsmanager',
  'cloudtrail',
]);
