import { describe, expect, it } from 'vitest';

import { trustAllowsEc2 } from '@/lib/provisioning/instance-profile';

const trust = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (principal: unknown, action: unknown = 'sts:AssumeRole') => ({
  Effect: 'Allow',
  Principal: principal,
  Action: action,
});

describe('trustAllowsEc2', () => {
  it.each([
    ['the console EC2 use case', trust(allow({ Service: 'ec2.amazonaws.com' })), true],
    [
      'EC2 among other services',
      trust(allow({ Service: ['lambda.amazonaws.com', 'ec2.amazonaws.com'] })),
      true,
    ],
    ['EC2 in China', trust(allow({ Service: 'ec2.amazonaws.com.cn' })), true],
    [
      'a statement that is not in a list',
      JSON.stringify({ Statement: allow({ Service: 'ec2.amazonaws.com' }) }),
      true,
    ],
    [
      'actions in a list with TagSession',
      trust(allow({ Service: 'ec2.amazonaws.com' }, ['sts:AssumeRole', 'sts:TagSession'])),
      true,
    ],
    ['sts:* ', trust(allow({ Service: 'ec2.amazonaws.com' }, 'sts:*')), true],
    [
      'an action written in another case',
      trust(allow({ Service: 'ec2.amazonaws.com' }, 'STS:assumerole')),
      true,
    ],
    [
      'EC2 next to a statement for an account',
      trust(allow({ AWS: '111122223333' }), allow({ Service: 'ec2.amazonaws.com' })),
      true,
    ],
    ['Lambda only', trust(allow({ Service: 'lambda.amazonaws.com' })), false],
    ['an account', trust(allow({ AWS: 'arn:aws:iam::111122223333:root' })), false],
    ['EC2 denied', trust({ ...allow({ Service: 'ec2.amazonaws.com' }), Effect: 'Deny' }), false],
    ['EC2 allowed only TagSession', trust(allow({ Service: 'ec2.amazonaws.com' }, 'sts:TagSession')), false],
    [
      'a web identity',
      trust(allow({ Federated: 'cognito-identity.amazonaws.com' }, 'sts:AssumeRoleWithWebIdentity')),
      false,
    ],
    [
      'a service whose name only starts like EC2',
      trust(allow({ Service: 'ec2-fleet.amazonaws.com' })),
      false,
    ],
    ['a wildcard principal', trust(allow('*')), false],
    ['text that is not JSON', '{"Statement": [', false],
    ['JSON that is not a policy', '42', false],
  ])('%s → %s', (_what, text, expected) => {
    expect(trustAllowsEc2(text)).toBe(expected);
  });
});
