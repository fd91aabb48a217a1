import { describe, expect, it } from 'vitest';
import {
  acknowledgementItems,
  acknowledgementProblems,
  justificationKeyOf,
  justificationsNeeded,
  type RequestFinding,
  type RequestRiskFlag,
} from '@/lib/requests/assess';
import { roleSpecSchema } from '@/lib/iam/role-spec';
import { allow, policy, roleSpec } from '@/lib/requests/test-fixtures';

const finding = (overrides: Partial<RequestFinding>): RequestFinding => ({
  severity: 'security_warning',
  code: 'allow_with_not_resource',
  message: 'Allow with NotResource grants every resource but those listed.',
  field: 'inlinePolicies.0.document',
  path: '/Statement/1',
  ...overrides,
});
const risk = (overrides: Partial<RequestRiskFlag>): RequestRiskFlag => ({
  code: 'full_admin',
  severity: 'critical',
  title: 'Full administrator access',
  explanation: 'Allows every action on every resource.',
  field: 'inlinePolicies.0.document',
  pointers: ['/Statement/0', '/Statement/2'],
  ...overrides,
});

const spec = roleSpecSchema.parse(
  roleSpec({
    inlinePolicies: [{ name: 'admin', document: policy(allow('*')) }],
    managedPolicyArns: ['arn:aws:iam::444455556666:policy/team/Ops'],
    permissionsBoundaryArn: 'arn:aws:iam::444455556666:policy/Boundary',
  }),
);

describe('acknowledgementItems', () => {
  const cases: {
    name: string;
    findings?: RequestFinding[];
    risks?: RequestRiskFlag[];
    expected: {
      key: string;
      kind: string;
      pointer: string;
      pointers: string[];
      where: string;
      title: string;
    }[];
  }[] = [
    { name: 'nothing to acknowledge', expected: [] },
    {
      name: 'a security warning: keyed by code, field and pointer; its code in words',
      findings: [finding({})],
      expected: [
        {
          key: 'allow_with_not_resource@inlinePolicies.0.document#/Statement/1',
          kind: 'finding',
          pointer: '/Statement/1',
          pointers: ['/Statement/1'],
          where: 'inline policy admin, statement 2',
          title: 'Allow with NotResource',
        },
      ],
    },
    {
      name: 'warnings and suggestions need no acknowledgement',
      findings: [finding({ severity: 'warning' }), finding({ severity: 'suggestion', code: 'x' })],
      expected: [],
    },
    {
      name: 'a risk flag over several statements is one item, keyed without pointer, listing them',
      risks: [risk({})],
      expected: [
        {
          key: 'full_admin@inlinePolicies.0.document',
          kind: 'risk',
          pointer: '',
          pointers: ['/Statement/0', '/Statement/2'],
          where: 'inline policy admin, statement 1, statement 3',
          title: 'Full administrator access',
        },
      ],
    },
    {
      name: 'medium and low risk flags need none; high ones do',
      risks: [
        risk({ severity: 'medium', code: 'a' }),
        risk({ severity: 'low', code: 'b' }),
        risk({ severity: 'high', code: 'c', title: 'C', pointers: [] }),
      ],
      expected: [
        {
          key: 'c@inlinePolicies.0.document',
          kind: 'risk',
          pointer: '',
          pointers: [],
          where: 'inline policy admin',
          title: 'C',
        },
      ],
    },
    {
      name: 'the same code in two places is two items; the same place twice is one',
      findings: [
        finding({}),
        finding({}),
        finding({ path: '/Statement/3' }),
        finding({ field: 'managedPolicyArns.0', path: '/Statement/0' }),
      ],
      risks: [
        risk({ field: 'permissionsBoundaryArn', pointers: ['/Statement/0'] }),
        risk({ field: 'trustedEntity', pointers: [] }),
      ],
      expected: [
        {
          key: 'full_admin@permissionsBoundaryArn',
          kind: 'risk',
          pointer: '',
          pointers: ['/Statement/0'],
          where: 'the permissions boundary Boundary, statement 1',
          title: 'Full administrator access',
        },
        {
          key: 'full_admin@trustedEntity',
          kind: 'risk',
          pointer: '',
          pointers: [],
          where: 'the trust policy',
          title: 'Full administrator access',
        },
        {
          key: 'allow_with_not_resource@inlinePolicies.0.document#/Statement/1',
          kind: 'finding',
          pointer: '/Statement/1',
          pointers: ['/Statement/1'],
          where: 'inline policy admin, statement 2',
          title: 'Allow with NotResource',
        },
        {
          key: 'allow_with_not_resource@inlinePolicies.0.document#/Statement/3',
          kind: 'finding',
          pointer: '/Statement/3',
          pointers: ['/Statement/3'],
          where: 'inline policy admin, statement 4',
          title: 'Allow with NotResource',
        },
        {
          key: 'allow_with_not_resource@managedPolicyArns.0#/Statement/0',
          kind: 'finding',
          pointer: '/Statement/0',
          pointers: ['/Statement/0'],
          where: 'managed policy Ops, statement 1',
          title: 'Allow with NotResource',
        },
      ],
    },
    {
      name: 'an unknown finding code is put in words',
      findings: [finding({ code: 'some_new_check', path: undefined })],
      expected: [
        {
          key: 'some_new_check@inlinePolicies.0.document',
          kind: 'finding',
          pointer: '',
          pointers: [],
          where: 'inline policy admin',
          title: 'Some new check',
        },
      ],
    },
  ];
  it.each(cases)('$name', ({ findings = [], risks = [], expected }) => {
    const items = acknowledgementItems({ findings, risks, spec });
    expect(
      items.map(({ key, kind, pointer, pointers, where, title }) => ({
        key,
        kind,
        pointer,
        pointers,
        where,
        title,
      })),
    ).toEqual(expected);
    // Each item's key is where the requester's justification of it is kept.
    expect(justificationsNeeded(findings, risks).map((needed) => needed.key)).toEqual(
      items.map((i) => i.key),
    );
    for (const item of items) {
      const source =
        item.kind === 'risk'
          ? risks.find((r) => r.code === item.code && r.field === item.field)
          : findings.find(
              (f) => f.code === item.code && f.field === item.field && (f.path ?? '') === item.pointer,
            );
      expect(source && justificationKeyOf(source)).toBe(item.key);
    }
  });

  it('names policies by position when the spec is not given', () => {
    expect(acknowledgementItems({ findings: [finding({})], risks: [] })[0]?.where).toBe(
      'inline policy number 1, statement 2',
    );
  });
});

describe('acknowledgementProblems', () => {
  const items = acknowledgementItems({ findings: [finding({})], risks: [risk({})], spec });
  const keys = items.map((item) => item.key);
  it.each([
    { name: 'exactly the keys', given: keys, problems: [] },
    { name: 'the keys twice', given: [...keys, ...keys], problems: [] },
    {
      name: 'one missing',
      given: keys.slice(0, 1),
      problems: ['Acknowledge Allow with NotResource (inline policy admin, statement 2)'],
    },
    {
      name: 'one unknown besides',
      given: [...keys, 'full_admin@inlinePolicies.1.document'],
      problems: [
        'One acknowledgement does not match this version of the request; reload it and review what it asks for now',
      ],
    },
    {
      name: 'a key differing only in its pointer',
      given: [keys[0] ?? '', 'allow_with_not_resource@inlinePolicies.0.document#/Statement/2'],
      problems: [
        'Acknowledge Allow with NotResource (inline policy admin, statement 2)',
        'One acknowledgement does not match this version of the request; reload it and review what it asks for now',
      ],
    },
  ])('$name', ({ given, problems }) => {
    expect(acknowledgementProblems(items, given)).toEqual(problems);
  });
});
