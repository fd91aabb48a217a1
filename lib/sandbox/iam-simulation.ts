import 'server-only';
import { compileCached, simulateDecision, type RequestContext } from '@/lib/sandbox/authorize';
import type { Operation, OperationContext } from '@/lib/sandbox/operation';
import { checkIdentityPolicy } from '@/lib/sandbox/policy-check';
import { statementRanges } from '@/lib/iam/json-locate';
import { AwsError, el, escapeXml, members, node, type Params, type Validator } from '@/lib/sandbox/protocol';
import { arnParam, pageXml, paging, validator } from '@/lib/sandbox/iam-params';

// The emulator's IAM policy simulator: SimulateCustomPolicy and SimulatePrincipalPolicy.

interface SimulationInputs {
  identity: { id: string; document: string }[];
  boundary?: string;
  actions: string[];
  resources: string[];
  context: RequestContext;
  caller?: string;
}

function readSimulationCommon(
  v: Validator,
  params: Params,
  custom: boolean,
): Omit<SimulationInputs, 'identity'> & { extra: string[] } {
  const extra = params.list('PolicyInputList') ?? [];
  if (custom) v.required('policyInputList', params.list('PolicyInputList'));
  const boundaries = params.list('PermissionsBoundaryPolicyInputList') ?? [];
  v.listLength('permissionsBoundaryPolicyInputList', boundaries, 1);
  const actions = params.list('ActionNames');
  v.required('actionNames', actions);
  for (const [index, action] of (actions ?? []).entries())
    v.string(`actionNames.${index + 1}.member`, action, 3, 128);
  const resources = params.list('ResourceArns') ?? ['*'];
  for (const [index, resource] of resources.entries())
    v.string(`resourceArns.${index + 1}.member`, resource, 1, 2048);
  const entries = params.structs('ContextEntries') ?? [];
  const context: RequestContext = {};
  for (const [index, entry] of entries.entries()) {
    const name = entry.ContextKeyName;
    v.string(`contextEntries.${index + 1}.member.contextKeyName`, name, 5, 256);
    const type = entry.ContextKeyType;
    v.enumValue(`contextEntries.${index + 1}.member.contextKeyType`, type, [
      'string',
      'stringList',
      'numeric',
      'numericList',
      'boolean',
      'booleanList',
      'ip',
      'ipList',
      'binary',
      'binaryList',
      'date',
      'dateList',
    ]);
    const values = Object.entries(entry)
      .filter(([key]) => key.startsWith('ContextKeyValues.member.'))
      .sort((a, b) => Number(a[0].split('.').pop()) - Number(b[0].split('.').pop()))
      .map(([, value]) => value);
    if (name) context[name] = type?.endsWith('List') ? values : (values[0] ?? '');
  }
  const caller = params.get('CallerArn');
  v.string('callerArn', caller, 1, 2048);
  paging(v, params);
  return { extra, boundary: boundaries[0], actions: actions ?? [], resources, context, caller };
}

function simulate(
  context: OperationContext,
  inputs: SimulationInputs,
  custom: boolean,
  principalArn: string,
): string {
  for (const policy of [
    ...inputs.identity.map((item) => item.document),
    ...(inputs.boundary === undefined ? [] : [inputs.boundary]),
  ]) {
    try {
      checkIdentityPolicy(policy, { managed: false });
    } catch (error) {
      if (error instanceof AwsError)
        throw new AwsError('InvalidInput', `Invalid policy document: ${error.message}`);
      throw error;
    }
    if (!compileCached(policy))
      throw new AwsError('InvalidInput', 'Invalid policy document: Syntax errors in policy.');
  }
  if (custom && inputs.actions.some((action) => action.includes('*') || action.includes('?'))) {
    throw new AwsError(
      'InvalidInput',
      'Actions or resources in the simulation request cannot contain wildcards.',
    );
  }
  const accountId = /^arn:aws:[a-z]+::(\d{12}):/.exec(principalArn)?.[1] ?? context.accountId;
  const kind = /:role\//.test(principalArn) ? ('role' as const) : ('user' as const);
  const principal = { arn: principalArn, accountId, kind };
  const results: string[] = [];
  for (const action of inputs.actions) {
    for (const resource of inputs.resources) {
      const outcome = simulateDecision(
        principal,
        inputs.identity.map((policy) => policy.document),
        inputs.boundary,
        { action, resource, context: inputs.context },
      );
      const statements = outcome.matchedIdentity.map(({ policyIndex, statementIndex }) => {
        const policy = inputs.identity[policyIndex];
        const span = policy ? statementRanges(policy.document)[statementIndex] : undefined;
        const position = (where: { line: number; column: number } | undefined) =>
          el('Line', where?.line ?? 1) + el('Column', where?.column ?? 1);
        return (
          el('SourcePolicyId', policy?.id) +
          el('SourcePolicyType', 'IAM Policy') +
          node('StartPosition', position(span?.start)) +
          node('EndPosition', position(span?.end))
        );
      });
      results.push(
        el('EvalActionName', action) +
          el('EvalResourceName', resource) +
          el('EvalDecision', outcome.decision) +
          members('MatchedStatements', statements) +
          members('MissingContextValues', outcome.missing.map(escapeXml)) +
          node('OrganizationsDecisionDetail', el('AllowedByOrganizations', true)) +
          (outcome.allowedByBoundary === undefined
            ? ''
            : node(
                'PermissionsBoundaryDecisionDetail',
                el('AllowedByPermissionsBoundary', outcome.allowedByBoundary),
              )) +
          node('EvalDecisionDetails', ''),
      );
    }
  }
  return members('EvaluationResults', results) + pageXml(false, undefined);
}

const simulateCustomPolicy: Operation = (context) => {
  const v = validator();
  const common = readSimulationCommon(v, context.params, true);
  v.throwIfAny();
  context.authorize('iam:SimulateCustomPolicy', '*');
  const identity = common.extra.map((document, index) => ({ id: `PolicyInputList.${index + 1}`, document }));
  return simulate(
    context,
    { ...common, identity },
    true,
    common.caller ?? `arn:aws:iam::${context.accountId}:user/simulated`,
  );
};

const simulatePrincipalPolicy: Operation = (context) => {
  const v = validator();
  const source = arnParam(v, context.params, 'policySourceArn', 'PolicySourceArn') ?? '';
  const common = readSimulationCommon(v, context.params, false);
  v.throwIfAny();
  context.authorize('iam:SimulatePrincipalPolicy', source);
  const match = /^arn:aws:iam::(\d{12}):(user|role)(\/(?:.*\/)?)?([^/]+)$/.exec(source);
  if (!match) throw new AwsError('InvalidInput', `Invalid ARN: ${source}`);
  const [, accountId, kind, , name] = match as unknown as [string, string, string, string, string];
  const entity =
    accountId === context.accountId
      ? kind === 'role'
        ? context.state.getRole(accountId, name)
        : context.state.getUser(accountId, name)
      : undefined;
  if (!entity || entity.arn !== source)
    throw new AwsError('NoSuchEntity', `Entity ${source} does not exist.`);
  const identity = [
    ...entity.inlinePolicies.map((inline) => ({ id: inline.name, document: inline.document })),
    ...entity.attachedPolicies.flatMap((arn) => {
      const document = context.state.managedPolicyDocument(accountId, arn);
      return document ? [{ id: arn, document }] : [];
    }),
    ...common.extra.map((document, index) => ({ id: `PolicyInputList.${index + 1}`, document })),
  ];
  const boundary =
    common.boundary ??
    (entity.boundaryArn ? context.state.managedPolicyDocument(accountId, entity.boundaryArn) : undefined);
  return simulate(context, { ...common, identity, boundary }, false, source);
};

/** The simulation operations, by Action name. */
export const simulationOperations = {
  SimulateCustomPolicy: simulateCustomPolicy,
  SimulatePrincipalPolicy: simulatePrincipalPolicy,
} satisfies Record<string, Operation>;
