/**
 * Use cases the IAM console offers under "AWS service": each picks the service principals (and
 * whether `sts:TagSession` is allowed) of the trust policy. The wizard lists these; the builder
 * sees only the principals, so any preset round-trips through `recognizeTrustPolicy`.
 */

export interface ServicePreset {
  /** Stable id, e.g. `ec2`, `lambda`, `ecs-tasks`. */
  id: string;
  /** The service as the console names it. */
  service: string;
  /** The use case under that service. */
  useCase: string;
  /** What the role is for, in one sentence. */
  description: string;
  /** Service principals written into `Principal.Service`, in this order. */
  principals: readonly string[];
  /** True when the trust also allows `sts:TagSession`. */
  tagSession: boolean;
  /**
   * Set when the AWS managed policy people use with this service passes (`iam:PassRole`) only
   * roles whose name starts with a fixed prefix, so a role named otherwise cannot be given to the
   * service by someone holding that policy. Derived from the bundled managed-policy documents and
   * checked against them by `service-presets.test.ts`; a hint and a warning, never a rule (IAM lets
   * a role be named freely).
   */
  namePrefix?: ServiceNamePrefix;
}

/** A role-name prefix that an AWS managed policy's `iam:PassRole` statement imposes. */
export interface ServiceNamePrefix {
  /** The role name must start with this. */
  prefix: string;
  /** The role paths the policy's `Resource` ARNs allow (e.g. `/`, `/service-role/`). */
  paths: readonly string[];
  /** The AWS managed policy whose statement imposes it, e.g. `AWSGlueConsoleFullAccess`. */
  policyName: string;
}

const preset = (
  id: string,
  service: string,
  useCase: string,
  description: string,
  principals: readonly string[],
  tagSession = false,
  namePrefix?: ServiceNamePrefix,
): ServicePreset => ({
  id,
  service,
  useCase,
  description,
  principals,
  tagSession,
  ...(namePrefix ? { namePrefix } : {}),
});

export const servicePresets: readonly ServicePreset[] = [
  preset('ec2', 'EC2', 'EC2', 'Allows EC2 instances to call AWS services on your behalf.', [
    'ec2.amazonaws.com',
  ]),
  preset('lambda', 'Lambda', 'Lambda', 'Allows Lambda functions to call AWS services on your behalf.', [
    'lambda.amazonaws.com',
  ]),
  preset(
    'lambda-edge',
    'Lambda',
    'Lambda@Edge',
    'Allows Lambda@Edge functions to call AWS services on your behalf.',
    ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'],
  ),
  preset(
    'ecs-tasks',
    'Elastic Container Service',
    'Elastic Container Service Task',
    'Allows ECS tasks to call AWS services on your behalf.',
    ['ecs-tasks.amazonaws.com'],
  ),
  preset(
    'ecs',
    'Elastic Container Service',
    'Elastic Container Service',
    'Allows ECS to manage your cluster on your behalf.',
    ['ecs.amazonaws.com'],
  ),
  preset(
    'eks-cluster',
    'EKS',
    'EKS - Cluster',
    'Allows the EKS control plane to manage AWS resources on your behalf.',
    ['eks.amazonaws.com'],
  ),
  preset(
    'eks-pod-identity',
    'EKS',
    'EKS - Pod Identity',
    'Allows pods running in EKS clusters to access AWS resources.',
    ['pods.eks.amazonaws.com'],
    true,
  ),
  preset(
    'glue',
    'Glue',
    'Glue',
    'Allows Glue to call AWS services on your behalf.',
    ['glue.amazonaws.com'],
    false,
    { prefix: 'AWSGlueServiceRole', paths: ['/', '/service-role/'], policyName: 'AWSGlueConsoleFullAccess' },
  ),
  preset(
    'sagemaker',
    'SageMaker',
    'SageMaker - Execution',
    'Allows SageMaker notebooks, training jobs and endpoints to call AWS services on your behalf.',
    ['sagemaker.amazonaws.com'],
  ),
  preset('apigateway', 'API Gateway', 'API Gateway', 'Allows API Gateway to push logs to CloudWatch Logs.', [
    'apigateway.amazonaws.com',
  ]),
  preset(
    'cloudformation',
    'CloudFormation',
    'CloudFormation',
    'Allows CloudFormation to create and manage AWS stacks and resources on your behalf.',
    ['cloudformation.amazonaws.com'],
  ),
  preset('codebuild', 'CodeBuild', 'CodeBuild', 'Allows CodeBuild to call AWS services on your behalf.', [
    'codebuild.amazonaws.com',
  ]),
  preset(
    'codepipeline',
    'CodePipeline',
    'CodePipeline',
    'Allows CodePipeline to call AWS services on your behalf.',
    ['codepipeline.amazonaws.com'],
  ),
  preset(
    'codedeploy',
    'CodeDeploy',
    'CodeDeploy',
    'Allows CodeDeploy to call AWS services such as Auto Scaling on your behalf.',
    ['codedeploy.amazonaws.com'],
  ),
  preset(
    'states',
    'Step Functions',
    'Step Functions',
    'Allows Step Functions to access AWS resources on your behalf.',
    ['states.amazonaws.com'],
    false,
    {
      prefix: 'StatesExecutionRole',
      paths: ['/service-role/'],
      policyName: 'AWSStepFunctionsConsoleFullAccess',
    },
  ),
  preset('batch', 'Batch', 'Batch', 'Allows Batch to create and manage AWS resources on your behalf.', [
    'batch.amazonaws.com',
  ]),
  preset(
    'events',
    'EventBridge',
    'EventBridge',
    'Allows EventBridge rules to invoke targets on your behalf.',
    ['events.amazonaws.com'],
  ),
  preset(
    'scheduler',
    'EventBridge Scheduler',
    'EventBridge Scheduler',
    'Allows EventBridge Scheduler to invoke targets on your behalf.',
    ['scheduler.amazonaws.com'],
  ),
  preset('firehose', 'Kinesis', 'Kinesis Firehose', 'Allows Firehose to deliver data on your behalf.', [
    'firehose.amazonaws.com',
  ]),
  preset('elasticmapreduce', 'EMR', 'EMR', 'Allows EMR to call AWS services on your behalf.', [
    'elasticmapreduce.amazonaws.com',
  ]),
  preset(
    'redshift',
    'Redshift',
    'Redshift - Customizable',
    'Allows Redshift clusters to call AWS services on your behalf.',
    ['redshift.amazonaws.com'],
  ),
  preset('dms', 'DMS', 'DMS', 'Allows Database Migration Service to access AWS resources on your behalf.', [
    'dms.amazonaws.com',
  ]),
  preset(
    'rds-monitoring',
    'RDS',
    'RDS - Enhanced Monitoring',
    'Allows RDS to send enhanced monitoring metrics to CloudWatch Logs.',
    ['monitoring.rds.amazonaws.com'],
  ),
  preset('backup', 'Backup', 'Backup', 'Allows Backup to create and manage backups on your behalf.', [
    'backup.amazonaws.com',
  ]),
  preset('datasync', 'DataSync', 'DataSync', 'Allows DataSync to access your storage locations.', [
    'datasync.amazonaws.com',
  ]),
  preset(
    'ssm',
    'Systems Manager',
    'Systems Manager',
    'Allows Systems Manager to call AWS services on your behalf.',
    ['ssm.amazonaws.com'],
  ),
  preset('appsync', 'AppSync', 'AppSync', 'Allows AppSync to call data sources on your behalf.', [
    'appsync.amazonaws.com',
  ]),
  preset('bedrock', 'Bedrock', 'Bedrock', 'Allows Bedrock to access resources on your behalf.', [
    'bedrock.amazonaws.com',
  ]),
  preset(
    's3-batch-operations',
    'S3',
    'S3 Batch Operations',
    'Allows S3 Batch Operations to call AWS services on your behalf.',
    ['batchoperations.s3.amazonaws.com'],
  ),
  preset(
    'transfer',
    'Transfer Family',
    'Transfer',
    'Allows Transfer Family to access your S3 buckets on your behalf.',
    ['transfer.amazonaws.com'],
  ),
  preset('vpc-flow-logs', 'VPC', 'VPC Flow Logs', 'Allows VPC Flow Logs to publish to CloudWatch Logs.', [
    'vpc-flow-logs.amazonaws.com',
  ]),
  preset('iot', 'IoT', 'IoT', 'Allows IoT rules to call AWS services on your behalf.', ['iot.amazonaws.com']),
];

/**
 * "Role name must start with AWSGlueServiceRole for AWSGlueConsoleFullAccess to pass it"; the
 * path is named only when the default `/` is not among those allowed.
 */
export function describeNamePrefix(namePrefix: ServiceNamePrefix): string {
  const path = namePrefix.paths.includes('/') ? '' : `, on path ${namePrefix.paths.join(' or ')},`;
  return `Role name must start with ${namePrefix.prefix}${path} for ${namePrefix.policyName} to pass it`;
}

/** Whether a role of this name and path meets the prefix (IAM compares names case-sensitively here: ARN patterns are). */
export function meetsNamePrefix(namePrefix: ServiceNamePrefix, name: string, path: string): boolean {
  return name.startsWith(namePrefix.prefix) && namePrefix.paths.includes(path);
}

/** The preset with this id, or `undefined`. */
export function getServicePreset(id: string): ServicePreset | undefined {
  return servicePresets.find((candidate) => candidate.id === id);
}

/** The presets whose principals and session-tag setting are exactly these (for showing the use case of a recognised trust). */
export function listServicePresetsFor(principals: readonly string[], tagSession: boolean): ServicePreset[] {
  return servicePresets.filter(
    (candidate) =>
      candidate.tagSession === tagSession &&
      candidate.principals.length === principals.length &&
      candidate.principals.every((principal, index) => principals[index] === principal),
  );
}

/**
 * The console use cases that build these service principals, for showing an existing trust on the
 * AWS service card: presets are matched greedily from the first principal on (the longest preset
 * first, and a preset allowing `sts:TagSession` only when the trust does), and the principals from
 * the first one no preset starts with are left to be typed by hand. So the card rebuilds exactly
 * the same principals in the same order.
 */
export function servicePresetSelection(
  principals: readonly string[],
  tagSession: boolean,
): { presetIds: string[]; otherPrincipals: string[] } {
  const candidates = servicePresets
    .filter((candidate) => tagSession || !candidate.tagSession)
    .toSorted((a, b) => b.principals.length - a.principals.length);
  const presetIds: string[] = [];
  let at = 0;
  while (at < principals.length) {
    const match = candidates.find((candidate) =>
      candidate.principals.every((principal, index) => principals[at + index] === principal),
    );
    if (!match) break;
    presetIds.push(match.id);
    at += match.principals.length;
  }
  return { presetIds, otherPrincipals: principals.slice(at) };
}

/** Friendly names of service principals used by the "who can assume" sentence. */
export const serviceDisplayNames: Readonly<Record<string, string>> = {
  'ec2.amazonaws.com': 'Amazon EC2 instances',
  'lambda.amazonaws.com': 'AWS Lambda functions',
  'edgelambda.amazonaws.com': 'Lambda@Edge functions',
  'ecs-tasks.amazonaws.com': 'Amazon ECS tasks',
  'ecs.amazonaws.com': 'Amazon ECS',
  'eks.amazonaws.com': 'Amazon EKS clusters',
  'pods.eks.amazonaws.com': 'Amazon EKS pods (Pod Identity)',
  'glue.amazonaws.com': 'AWS Glue jobs',
  'sagemaker.amazonaws.com': 'Amazon SageMaker',
  'apigateway.amazonaws.com': 'Amazon API Gateway',
  'cloudformation.amazonaws.com': 'AWS CloudFormation stacks',
  'codebuild.amazonaws.com': 'AWS CodeBuild projects',
  'codepipeline.amazonaws.com': 'AWS CodePipeline pipelines',
  'codedeploy.amazonaws.com': 'AWS CodeDeploy',
  'states.amazonaws.com': 'AWS Step Functions state machines',
  'batch.amazonaws.com': 'AWS Batch',
  'events.amazonaws.com': 'Amazon EventBridge rules',
  'scheduler.amazonaws.com': 'Amazon EventBridge Scheduler',
  'firehose.amazonaws.com': 'Amazon Data Firehose streams',
  'elasticmapreduce.amazonaws.com': 'Amazon EMR',
  'redshift.amazonaws.com': 'Amazon Redshift clusters',
  'dms.amazonaws.com': 'AWS Database Migration Service',
  'monitoring.rds.amazonaws.com': 'Amazon RDS enhanced monitoring',
  'backup.amazonaws.com': 'AWS Backup',
  'datasync.amazonaws.com': 'AWS DataSync',
  'ssm.amazonaws.com': 'AWS Systems Manager',
  'appsync.amazonaws.com': 'AWS AppSync',
  'bedrock.amazonaws.com': 'Amazon Bedrock',
  'batchoperations.s3.amazonaws.com': 'S3 Batch Operations',
  'transfer.amazonaws.com': 'AWS Transfer Family',
  'vpc-flow-logs.amazonaws.com': 'VPC Flow Logs',
  'iot.amazonaws.com': 'AWS IoT rules',
};
