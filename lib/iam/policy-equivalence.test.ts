import { describe, expect, it } from 'vitest';
import { samePolicyDocument } from '@/lib/iam/policy-equivalence';

const base = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'sts:AssumeRole',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
  ],
};
const text = JSON.stringify(base, null, 4);

describe('samePolicyDocument', () => {
  it.each([
    { name: 'the same text', other: text, same: true },
    { name: 'URL-encoded, as IAM returns it', other: encodeURIComponent(JSON.stringify(base)), same: true },
    {
      name: 'keys reordered and reformatted',
      other: `{"Statement":[{"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}},"Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Effect":"Allow"}],"Version":"2012-10-17"}`,
      same: true,
    },
    {
      name: 'one-element lists for single values',
      other: JSON.stringify({
        ...base,
        Statement: [
          {
            ...base.Statement[0],
            Action: ['sts:AssumeRole'],
            Principal: { AWS: ['arn:aws:iam::111122223333:root'] },
          },
        ],
      }),
      same: true,
    },
    {
      name: 'an empty Sid and an empty Condition block',
      other: JSON.stringify({ ...base, Statement: [{ ...base.Statement[0], Sid: '' }] }),
      same: true,
    },
    {
      name: 'an action added',
      other: JSON.stringify({
        ...base,
        Statement: [{ ...base.Statement[0], Action: ['sts:TagSession', 'sts:AssumeRole'] }],
      }),
      same: false,
    },
    {
      name: 'another principal',
      other: JSON.stringify({
        ...base,
        Statement: [{ ...base.Statement[0], Principal: { AWS: 'arn:aws:iam::444455556666:root' } }],
      }),
      same: false,
    },
    {
      name: 'the condition dropped',
      other: JSON.stringify({ ...base, Statement: [{ ...base.Statement[0], Condition: undefined }] }),
      same: false,
    },
    { name: 'text that is not JSON', other: '{not json', same: false },
  ])('$name: $same', ({ other, same }) => {
    expect(samePolicyDocument(text, other)).toBe(same);
    expect(samePolicyDocument(other, text)).toBe(same);
  });

  it('treats a list of strings as a set', () => {
    const a = JSON.stringify({
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }],
    });
    const b = JSON.stringify({
      Statement: [
        { Resource: ['*'], Action: ['s3:ListBucket', 's3:GetObject', 's3:GetObject'], Effect: 'Allow' },
      ],
    });
    expect(samePolicyDocument(a, b)).toBe(true);
  });
});
