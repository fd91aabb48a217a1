import { actionOfStep, type ProvisioningStep } from '@/lib/provisioning/plan';

/**
 * A plan step in words, as the request page lists it: the IAM call with what it acts on (the
 * console's names: `CreateRole DataDev`, `AttachRolePolicy ReadOnlyAccess`), and what it is for.
 * Pure.
 */
export interface StepCall {
  /** The IAM action, e.g. `AttachRolePolicy`. */
  action: string;
  /** The call with its subject, e.g. `AttachRolePolicy ReadOnlyAccess`. */
  call: string;
  /** What the step does, in a few words, e.g. "Attach a managed policy". */
  purpose: string;
}

/** The policy's name from its ARN (`arn:aws:iam::aws:policy/job-function/ViewOnlyAccess` → `ViewOnlyAccess`). */
function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1) || arn;
}

function subjectAndPurpose(step: ProvisioningStep): [subject: string, purpose: string] {
  switch (step.kind) {
    case 'create_policy':
      return [step.policy.name, 'Create a customer managed policy'];
    case 'create_role':
      return [step.role.name, 'Create the role'];
    case 'attach_policy':
      return [policyName(step.policyArn), 'Attach a managed policy'];
    case 'put_inline_policy':
      return [step.policyName, 'Add an inline policy'];
    case 'update_role':
      return [step.roleName, 'Update the description and maximum session duration'];
    case 'update_trust_policy':
      return [step.roleName, 'Update the trust policy'];
    case 'put_boundary':
      return [policyName(step.policyArn), 'Set the permissions boundary'];
    case 'delete_boundary':
      return [step.roleName, 'Remove the permissions boundary'];
    case 'tag_role':
      return [
        `${step.roleName} (${step.tags.length} ${step.tags.length === 1 ? 'tag' : 'tags'})`,
        'Tag the role',
      ];
    case 'untag_role':
      return [`${step.roleName} (${step.keys.join(', ')})`, 'Remove tags'];
    case 'detach_policy':
      return [policyName(step.policyArn), 'Detach a managed policy'];
    case 'delete_inline_policy':
      return [step.policyName, 'Delete an inline policy'];
    case 'delete_role':
      return [step.roleName, 'Delete the role'];
    case 'delete_policy':
      return [policyName(step.arn), 'Delete a customer managed policy'];
    case 'create_instance_profile':
      return [step.profile.name, 'Create the instance profile'];
    case 'add_role_to_instance_profile':
      return [step.profileName, 'Add the role to its instance profile'];
    case 'remove_role_from_instance_profiles':
      return [step.roleName, 'Remove the role from its instance profiles'];
    case 'remove_unrecorded_policies':
      return [step.roleName, 'Detach and delete the policies attached outside Rolesmith'];
    case 'delete_instance_profile':
      return [step.profileName, 'Delete the instance profile'];
    case 'verify_role':
      return [step.roleName, 'Verify the role'];
    case 'verify_attached_policies':
      return [step.roleName, 'Verify the attached policies'];
    case 'verify_inline_policies':
      return [step.roleName, 'Verify the inline policies'];
    case 'verify_role_deleted':
      return [step.roleName, 'Verify the role is gone'];
    case 'verify_instance_profile':
      return [step.profileName, 'Verify the instance profile'];
  }
}

/** See {@link StepCall}. */
export function describeStepCall(step: ProvisioningStep): StepCall {
  const action = actionOfStep[step.kind];
  const [subject, purpose] = subjectAndPurpose(step);
  return { action, call: `${action} ${subject}`, purpose };
}
