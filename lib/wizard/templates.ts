/**
 * Starting points of the create-role wizard: templates (a blank role, the seed's Lambda developer,
 * a read-only auditor, a billing viewer, a CI deployer with the GitHub Actions preset, a third
 * party with an external ID), a copy of an existing role, and a new request started again from a
 * rejected one. Each gives a complete {@link WizardState}.
 *
 * Client-safe: no zod, no `lib/iam` runtime code (types only), so that the wizard's client may
 * import it without growing the page's JavaScript.
 */
import { servicePresetSelection } from '@/lib/iam/service-presets';
import type { RoleSpec } from '@/lib/iam/role-spec';
import type { TrustedEntity } from '@/lib/iam/trust-entity';
import type { RoleRequest } from '@/lib/requests/model';
import { emptyWizardState, type CustomPolicyState, type WizardState } from '@/lib/wizard/state';

/** JSON as the console's policy editor writes it (4-space indentation). */
const consoleJson = (value: unknown) => JSON.stringify(value, null, 4);

/**
 * The seed's example: a developer who may list Lambda functions and their tags, invoke them and
 * update their code, but neither create nor delete them. The same text the visual builder writes
 * for service Lambda → these four actions (in the console's access-level order) → all resources.
 */
export const LAMBDA_DEVELOPER_POLICY = consoleJson({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'lambda:ListFunctions',
        'lambda:ListTags',
        'lambda:InvokeFunction',
        'lambda:UpdateFunctionCode',
      ],
      Resource: '*',
    },
  ],
});

/** A GitHub Actions deployer: CloudFormation stacks and change sets of the account, nothing else. */
export function ciDeployerPolicy(accountId: string): string {
  return consoleJson({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'cloudformation:DescribeStacks',
          'cloudformation:DescribeStackEvents',
          'cloudformation:DescribeChangeSet',
          'cloudformation:CreateChangeSet',
          'cloudformation:ExecuteChangeSet',
          'cloudformation:DeleteChangeSet',
        ],
        Resource: `arn:aws:cloudformation:*:${accountId}:stack/*`,
      },
    ],
  });
}

/** What a template needs besides the target account; whatever is missing is left for the person to type. */
export interface TemplateOptions {
  /** The account whose people assume the role (e.g. the organisation's identity account); default: the target account. */
  sourceAccountId?: string;
  /** The third party's AWS account. */
  thirdPartyAccountId?: string;
  /** The external ID agreed with the third party; default: a generated one. */
  externalId?: string;
  /** The GitHub organisation (CI deployer). */
  githubOrganization?: string;
  githubRepository?: string;
}

export interface WizardTemplate {
  id: string;
  title: string;
  description: string;
  state: (accountId: string, options?: TemplateOptions) => WizardState;
}

/** A suggestion for an external ID: random, hard to guess, within `[\w+=,.@:/-]`. */
export function suggestExternalId(): string {
  return globalThis.crypto.randomUUID();
}

function trustedByPeople(state: WizardState, accountId: string, options: TemplateOptions): WizardState {
  const source = options.sourceAccountId;
  return {
    ...state,
    entity: 'aws_account',
    awsAccount: {
      ...state.awsAccount,
      which: source && source !== accountId ? 'other' : 'this',
      accountId: source && source !== accountId ? source : '',
      requireMfa: true,
    },
  };
}

export const WIZARD_TEMPLATES: readonly WizardTemplate[] = [
  {
    id: 'blank',
    title: 'Blank role',
    description: 'Start from nothing: choose the trusted entity and the permissions yourself.',
    state: (accountId) => emptyWizardState(accountId),
  },
  {
    id: 'lambda-developer',
    title: 'Lambda developer',
    description:
      'People of another account, signed in with MFA, who list Lambda functions and their tags, invoke them and update their code, but neither create nor delete them.',
    state: (accountId, options = {}) => ({
      ...trustedByPeople(emptyWizardState(accountId), accountId, options),
      description: 'Lists, invokes and updates the code of Lambda functions; cannot create or delete them',
      customPolicies: [
        {
          id: 'lambda-developer',
          kind: 'inline',
          name: 'LambdaDeveloper',
          description: '',
          document: LAMBDA_DEVELOPER_POLICY,
          editor: 'visual',
        },
      ],
    }),
  },
  {
    id: 'read-only-auditor',
    title: 'Read-only auditor',
    description:
      'Auditors, signed in with MFA, who read every resource and its security configuration and change nothing.',
    state: (accountId, options = {}) => ({
      ...trustedByPeople(emptyWizardState(accountId), accountId, options),
      description: 'Reads resources and their security configuration; changes nothing',
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/SecurityAudit'],
    }),
  },
  {
    id: 'billing-viewer',
    title: 'Billing viewer',
    description: 'Finance people, signed in with MFA, who see bills, costs and budgets and change nothing.',
    state: (accountId, options = {}) => ({
      ...trustedByPeople(emptyWizardState(accountId), accountId, options),
      description: 'Sees bills, costs and budgets; changes nothing',
      managedPolicyArns: ['arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess'],
    }),
  },
  {
    id: 'ci-deployer',
    title: 'CI deployer (GitHub Actions)',
    description:
      'GitHub Actions workflows of one repository deploy CloudFormation stacks through change sets.',
    state: (accountId, options = {}) => {
      const empty = emptyWizardState(accountId);
      return {
        ...empty,
        entity: 'web_identity',
        webIdentity: {
          ...empty.webIdentity,
          provider: 'github_actions',
          organization: options.githubOrganization ?? '',
          repository: options.githubRepository ?? '',
          githubRef: 'branch',
          branch: 'main',
        },
        description: 'Deploys CloudFormation stacks from GitHub Actions',
        customPolicies: [
          {
            id: 'ci-deployer',
            kind: 'inline',
            name: 'DeployStacks',
            description: '',
            document: ciDeployerPolicy(accountId),
            editor: 'visual',
          },
        ],
      };
    },
  },
  {
    id: 'third-party',
    title: 'Third party with an external ID',
    description:
      'A vendor’s AWS account that passes the external ID you agree on, for a read-only view (no console switch: the console cannot pass an external ID).',
    state: (accountId, options = {}) => {
      const empty = emptyWizardState(accountId);
      return {
        ...empty,
        awsAccount: {
          which: 'other',
          accountId: options.thirdPartyAccountId ?? '',
          requireExternalId: true,
          externalId: options.externalId ?? suggestExternalId(),
          requireMfa: false,
        },
        description: 'Read-only view for a third party',
        managedPolicyArns: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
      };
    },
  },
];

/** The wizard's card fields for a trusted entity (the other cards keep their empty values). */
export function trustState(entity: TrustedEntity, roleAccountId: string, state: WizardState): WizardState {
  switch (entity.type) {
    case 'aws_account': {
      const isThis = entity.accountId === roleAccountId;
      return {
        ...state,
        entity: 'aws_account',
        awsAccount: {
          which: isThis ? 'this' : 'other',
          accountId: isThis ? '' : entity.accountId,
          requireExternalId: entity.externalId !== undefined,
          externalId: entity.externalId ?? '',
          requireMfa: entity.requireMfa,
        },
      };
    }
    case 'aws_service': {
      const { presetIds, otherPrincipals } = servicePresetSelection(entity.services, entity.tagSession);
      return {
        ...state,
        entity: 'aws_service',
        awsService: { presetIds, otherPrincipals: otherPrincipals.join('\n'), tagSession: entity.tagSession },
      };
    }
    case 'web_identity': {
      const web = { ...state.webIdentity, provider: entity.provider };
      switch (entity.provider) {
        case 'cognito':
          return {
            ...state,
            entity: 'web_identity',
            webIdentity: { ...web, identityPoolId: entity.identityPoolId, amr: entity.amr },
          };
        case 'amazon':
        case 'facebook':
          return { ...state, entity: 'web_identity', webIdentity: { ...web, appId: entity.appId } };
        case 'google':
          return { ...state, entity: 'web_identity', webIdentity: { ...web, audience: entity.audience } };
        case 'oidc':
          return {
            ...state,
            entity: 'web_identity',
            webIdentity: {
              ...web,
              providerArn: entity.providerArn,
              audiences: entity.audiences.join('\n'),
              subjects: entity.subjects.join('\n'),
            },
          };
        case 'github_actions':
          return {
            ...state,
            entity: 'web_identity',
            webIdentity: {
              ...web,
              providerArn: entity.providerArn,
              organization: entity.organization,
              repository: entity.repository ?? '',
              githubRef:
                entity.branch !== undefined
                  ? 'branch'
                  : entity.environment !== undefined
                    ? 'environment'
                    : 'any',
              // The choice not made keeps what the person had typed for it.
              branch: entity.branch ?? web.branch,
              environment: entity.environment ?? web.environment,
            },
          };
      }
      break;
    }
    case 'saml':
      return {
        ...state,
        entity: 'saml',
        saml: {
          providerArn: entity.providerArn,
          access: entity.consoleAccess ? 'console' : 'programmatic',
          attributeConditions: entity.attributeConditions.map(({ key, value }) => ({ key, value })),
        },
      };
    case 'custom':
      break;
  }
  return {
    ...state,
    entity: 'custom',
    custom: { document: entity.type === 'custom' ? entity.document : '' },
  };
}

/**
 * A copy of a role: its trust and permissions (documents exactly as they are), path, description,
 * session duration and tags, in the same account; the name left empty for the person to choose.
 */
export function stateFromRoleSpec(spec: RoleSpec): WizardState {
  const customPolicies: CustomPolicyState[] = [
    ...spec.inlinePolicies.map((policy, index) => ({
      id: `inline-${index + 1}`,
      kind: 'inline' as const,
      name: policy.name,
      description: '',
      document: policy.document,
      editor: 'json' as const,
    })),
    ...spec.newManagedPolicies.map((policy, index) => ({
      id: `managed-${index + 1}`,
      kind: 'managed' as const,
      name: policy.name,
      description: policy.description,
      document: policy.document,
      editor: 'json' as const,
    })),
  ];
  return {
    ...trustState(spec.trustedEntity, spec.accountId, emptyWizardState(spec.accountId)),
    managedPolicyArns: [...spec.managedPolicyArns],
    customPolicies,
    permissionsBoundaryArn: spec.permissionsBoundaryArn ?? '',
    name: '',
    path: spec.path,
    description: spec.description,
    maxSessionHours: String(spec.maxSessionDuration / 3600),
    tags: spec.tags.map(({ key, value }) => ({ key, value })),
  };
}

/**
 * A change of a provisioned role (its summary's *Request a change*): the role as recorded, its name
 * included and fixed (`changeOf`), the users its owner named (which the owner's change may edit;
 * anyone else's change leaves the role's users as they are), the justification left for the
 * change's own reason. `otherOwner`: the owner's name when someone else composes the change (the
 * wizard then shows the users read-only, saying why).
 */
export function stateForChange(
  spec: RoleSpec,
  roleUsers: readonly string[],
  otherOwner: string | null = null,
): WizardState {
  return {
    ...stateFromRoleSpec(spec),
    name: spec.name,
    changeOf: spec.name,
    roleUsers: roleUsers.join('\n'),
    ...(otherOwner === null ? {} : { changeOwner: otherOwner }),
  };
}

/**
 * A new request started again from a rejected one: its role (name included), justification and
 * users, linked to it by `fromRequestId`. Flag justifications are written again (the flags are
 * assessed anew).
 */
export function stateFromRequest(
  request: Pick<RoleRequest, 'id' | 'spec' | 'justification' | 'roleUsers'>,
): WizardState {
  return {
    ...stateFromRoleSpec(request.spec),
    name: request.spec.name,
    justification: request.justification,
    roleUsers: request.roleUsers.join('\n'),
    fromRequestId: request.id,
  };
}
