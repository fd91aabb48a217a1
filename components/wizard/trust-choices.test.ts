import { describe, expect, it } from 'vitest';
import {
  filterServicePresets,
  githubSubjectPreview,
  isGithubProviderArn,
  patchCard,
  splitLines,
  switchToRecognizedCard,
  toggleLine,
  trustsEc2,
} from '@/components/wizard/trust-choices';
import { servicePresets } from '@/lib/iam/service-presets';
import { emptyWizardState } from '@/lib/wizard/state';

describe('filterServicePresets', () => {
  const ids = (query: string) => filterServicePresets(servicePresets, query).map((preset) => preset.id);

  it('gives every preset, in order, for a blank query', () => {
    expect(ids('  ')).toEqual(servicePresets.map((preset) => preset.id));
  });

  it.each([
    { query: 'lambda', expected: ['lambda', 'lambda-edge'] },
    { query: 'EDGE', expected: ['lambda-edge'] },
    { query: 'edgelambda.amazonaws', expected: ['lambda-edge'] },
    { query: 'ecs task', expected: ['ecs-tasks'] },
    { query: 'pod identity', expected: ['eks-pod-identity'] },
    { query: 'no such service', expected: [] },
  ])('"$query" matches $expected', ({ query, expected }) => {
    expect(ids(query)).toEqual(expected);
  });

  it('matches a description word', () => {
    expect(ids('notebooks')).toEqual(['sagemaker']);
  });
});

describe('githubSubjectPreview', () => {
  it.each([
    { organization: '', repository: 'app', branch: 'main', subject: null },
    { organization: ' acme ', repository: '', branch: '', subject: 'repo:acme/*' },
    { organization: 'acme', repository: 'app', branch: '', subject: 'repo:acme/app:*' },
    { organization: 'acme', repository: 'app', branch: 'main', subject: 'repo:acme/app:ref:refs/heads/main' },
    {
      organization: 'acme',
      repository: ' ',
      branch: 'release/1',
      subject: 'repo:acme/*:ref:refs/heads/release/1',
    },
  ])('$organization/$repository@$branch → $subject', ({ subject, ...card }) => {
    const githubRef = card.branch ? 'branch' : 'any';
    expect(githubSubjectPreview({ ...card, githubRef, environment: 'production' })).toBe(subject);
  });

  it.each([
    { githubRef: 'environment', subject: 'repo:acme/app:environment:production' },
    { githubRef: 'branch', subject: 'repo:acme/app:ref:refs/heads/main' },
    { githubRef: 'any', subject: 'repo:acme/app:*' },
  ] as const)('writes only the $githubRef chosen', ({ githubRef, subject }) => {
    const card = { organization: 'acme', repository: 'app', branch: 'main', environment: ' production ' };
    expect(githubSubjectPreview({ ...card, githubRef })).toBe(subject);
  });

  it('an environment chosen but not yet typed has no subject yet', () => {
    expect(
      githubSubjectPreview({
        organization: 'acme',
        repository: 'app',
        githubRef: 'environment',
        branch: 'main',
        environment: ' ',
      }),
    ).toBeNull();
  });
});

describe('one-per-line lists', () => {
  it('splits into trimmed, non-blank lines', () => {
    expect(splitLines(' a \n\n b\n')).toEqual(['a', 'b']);
  });

  it('adds a line once, removes it, and keeps the others', () => {
    expect(toggleLine('', 'x', true)).toBe('x');
    expect(toggleLine('a\nx', 'x', true)).toBe('a\nx');
    expect(toggleLine('a\n x \nb', 'x', false)).toBe('a\nb');
    expect(toggleLine('a\n\nb', 'c', true)).toBe('a\nb\nc');
  });
});

describe('isGithubProviderArn', () => {
  it.each([
    ['arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com', true],
    ['arn:aws:iam::111122223333:oidc-provider/accounts.example.com', false],
    ['arn:aws:iam::111122223333:saml-provider/token.actions.githubusercontent.com', false],
  ])('%s → %s', (arn, expected) => {
    expect(isGithubProviderArn(arn)).toBe(expected);
  });
});

describe('trustsEc2', () => {
  const card = { presetIds: [] as string[], otherPrincipals: '', tagSession: false };

  it('is true for the EC2 preset or a typed EC2 principal, false otherwise', () => {
    expect(trustsEc2({ ...card, presetIds: ['lambda', 'ec2'] }, servicePresets)).toBe(true);
    expect(
      trustsEc2({ ...card, otherPrincipals: 'glue.amazonaws.com\n ec2.amazonaws.com ' }, servicePresets),
    ).toBe(true);
    expect(trustsEc2({ ...card, presetIds: ['lambda'] }, servicePresets)).toBe(false);
  });
});

describe('switchToRecognizedCard', () => {
  it('chooses the card and fills its fields, keeping the custom document and the other cards', () => {
    const state = {
      ...emptyWizardState('444455556666'),
      entity: 'custom' as const,
      custom: { document: '{}' },
    };
    const awsAccount = {
      which: 'other' as const,
      accountId: '111122223333',
      requireExternalId: true,
      externalId: 'abc',
      requireMfa: false,
    };
    const next = switchToRecognizedCard(state, 'aws_account', { awsAccount });
    expect(next.entity).toBe('aws_account');
    expect(next.awsAccount).toEqual(awsAccount);
    expect(next.custom.document).toBe('{}');
    expect(next.saml).toBe(state.saml);
  });
});

describe('patchCard', () => {
  it('changes the given fields of one card only', () => {
    const state = emptyWizardState('444455556666');
    const next = patchCard(state, 'awsAccount', { requireMfa: true });
    expect(next.awsAccount).toEqual({ ...state.awsAccount, requireMfa: true });
    expect(next.webIdentity).toBe(state.webIdentity);
    expect(state.awsAccount.requireMfa).toBe(false);
  });
});
