import { describe, expect, it } from 'vitest';
import { getAwsManagedPolicies } from '@/lib/iam/aws-managed-policies';
import {
  describeNamePrefix,
  getServicePreset,
  listServicePresetsFor,
  meetsNamePrefix,
  serviceDisplayNames,
  servicePresets,
  type ServicePreset,
} from '@/lib/iam/service-presets';
import { servicePrincipalSchema } from '@/lib/iam/trust-entity';

describe('servicePresets', () => {
  it('have unique ids, valid principals and a display name for each principal', () => {
    expect(new Set(servicePresets.map((p) => p.id)).size).toBe(servicePresets.length);
    for (const preset of servicePresets) {
      for (const principal of preset.principals) {
        expect(servicePrincipalSchema.safeParse(principal).success, principal).toBe(true);
        expect(serviceDisplayNames[principal], principal).toBeDefined();
      }
    }
  });

  it.each([
    'ec2',
    'lambda',
    'ecs-tasks',
    'eks-cluster',
    'glue',
    'sagemaker',
    'apigateway',
    'cloudformation',
    'codebuild',
    'states',
    'batch',
  ])('offers %s', (id) => {
    expect(getServicePreset(id)?.principals.length).toBeGreaterThan(0);
  });

  it('finds the use cases of a trust', () => {
    expect(listServicePresetsFor(['ec2.amazonaws.com'], false).map((p) => p.id)).toEqual(['ec2']);
    expect(listServicePresetsFor(['pods.eks.amazonaws.com'], true).map((p) => p.id)).toEqual([
      'eks-pod-identity',
    ]);
    expect(listServicePresetsFor(['pods.eks.amazonaws.com'], false)).toEqual([]);
    expect(getServicePreset('nope')).toBeUndefined();
  });
});

/**
 * The role-name prefixes that a service's own AWS managed policies impose on a use case, derived
 * from the bundled managed-policy documents. A policy is the service's own when its name names the
 * service (as the console does: `AWSGlueConsoleFullAccess`) and it grants `<service>:*`; its
 * `iam:PassRole` statements that can apply to the use case's principal (`iam:PassedToService`
 * names it, or there is none) either allow any role (then the service imposes no prefix at all),
 * or only role ARNs `arn:aws:iam::*:role/<path><Prefix>*` with one prefix (a prefix), or something
 * else (exact names, infixes: no prefix from that policy).
 */
function derivedNamePrefixes(
  preset: ServicePreset,
): { policyName: string; prefix: string; paths: string[] }[] {
  const list = <T>(value: T | T[] | undefined): T[] =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];
  const serviceName = preset.service.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  const found: { policyName: string; prefix: string; paths: string[] }[] = [];
  let passesAnyRole = false;
  for (const principal of preset.principals) {
    const actionPrefix =
      principal
        .replace(/\.amazonaws\.com$/, '')
        .split('.')
        .at(-1) ?? '';
    for (const policy of getAwsManagedPolicies().values()) {
      if (!policy.isAttachable || !policy.policyName.toLowerCase().includes(serviceName)) continue;
      const document = JSON.parse(policy.document) as { Statement: PolicyStatement | PolicyStatement[] };
      const statements = list(document.Statement).filter((statement) => statement.Effect === 'Allow');
      const owns = statements.some((statement) =>
        list(statement.Action).some((action) => action.toLowerCase() === `${actionPrefix}:*`),
      );
      if (!owns) continue;
      const passing = statements.filter((statement) => {
        if (!list(statement.Action).some((action) => /^(iam:passrole|iam:\*|\*)$/i.test(action)))
          return false;
        const passedTo = Object.values(statement.Condition ?? {}).flatMap((operator) =>
          Object.entries(operator)
            .filter(([key]) => key.toLowerCase() === 'iam:passedtoservice')
            .flatMap(([, value]) => list(value)),
        );
        return (
          passedTo.length === 0 || passedTo.some((value) => value === principal || value === `${principal}*`)
        );
      });
      const resources = passing.flatMap((statement) => list(statement.Resource));
      if (resources.some((resource) => resource === '*' || /^arn:aws:iam::[*\d]*:role\/\*$/.test(resource))) {
        passesAnyRole = true;
        continue;
      }
      const patterns = resources.map((resource) =>
        /^arn:aws:iam::\*:role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]+)\*$/.exec(resource),
      );
      if (patterns.length === 0 || patterns.some((match) => match === null)) continue;
      const prefixes = new Set(patterns.map((match) => match![2]));
      if (prefixes.size !== 1) continue;
      found.push({
        policyName: policy.policyName,
        prefix: [...prefixes][0]!,
        paths: [...new Set(patterns.map((match) => `/${match![1]}`))].toSorted(),
      });
    }
  }
  return passesAnyRole ? [] : found;
}

interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

describe('service presets: role-name prefixes from the AWS managed policies', () => {
  it.each(servicePresets.map((preset) => [preset.id, preset] as const))(
    '%s declares exactly the prefix its service’s managed policies impose',
    (_id, preset) => {
      const derived = derivedNamePrefixes(preset);
      if (!preset.namePrefix) {
        expect(derived).toEqual([]);
        return;
      }
      expect(derived.map((entry) => entry.policyName)).toContain(preset.namePrefix.policyName);
      for (const entry of derived) {
        expect(entry.prefix).toBe(preset.namePrefix.prefix);
        expect(entry.paths).toEqual([...preset.namePrefix.paths].toSorted());
      }
    },
  );

  it('finds the prefixes people meet in the console (Glue, Step Functions)', () => {
    expect(getServicePreset('glue')?.namePrefix).toEqual({
      prefix: 'AWSGlueServiceRole',
      paths: ['/', '/service-role/'],
      policyName: 'AWSGlueConsoleFullAccess',
    });
    expect(getServicePreset('states')?.namePrefix?.prefix).toBe('StatesExecutionRole');
    // SageMaker's full-access policy passes any role to SageMaker: no prefix.
    expect(getServicePreset('sagemaker')?.namePrefix).toBeUndefined();
  });

  it('words and checks a prefix', () => {
    const glue = getServicePreset('glue')!.namePrefix!;
    const states = getServicePreset('states')!.namePrefix!;
    expect(describeNamePrefix(glue)).toBe(
      'Role name must start with AWSGlueServiceRole for AWSGlueConsoleFullAccess to pass it',
    );
    expect(describeNamePrefix(states)).toBe(
      'Role name must start with StatesExecutionRole, on path /service-role/, for AWSStepFunctionsConsoleFullAccess to pass it',
    );
    expect(meetsNamePrefix(glue, 'AWSGlueServiceRole-etl', '/')).toBe(true);
    expect(meetsNamePrefix(glue, 'AWSGlueServiceRole-etl', '/service-role/')).toBe(true);
    expect(meetsNamePrefix(glue, 'etl-glue', '/')).toBe(false);
    expect(meetsNamePrefix(glue, 'awsglueservicerole-etl', '/')).toBe(false);
    expect(meetsNamePrefix(states, 'StatesExecutionRole-x', '/')).toBe(false);
    expect(meetsNamePrefix(states, 'StatesExecutionRole-x', '/service-role/')).toBe(true);
  });
});
