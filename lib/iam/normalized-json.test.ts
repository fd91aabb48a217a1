import { describe, expect, it } from 'vitest';
import { diffLines, diffPolicyTexts, foldUnchanged, normalizePolicyText } from '@/lib/iam/normalized-json';

describe('normalizePolicyText', () => {
  it.each([
    {
      name: 'a single value and a one-element list read alike',
      a: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } },
      b: {
        Statement: [{ Resource: ['*'], Action: ['s3:GetObject'], Effect: 'Allow' }],
        Version: '2012-10-17',
      },
    },
    {
      name: 'principals and condition values as lists, an empty Condition dropped',
      a: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 'sts:AssumeRole',
            Condition: {},
          },
          {
            Effect: 'Allow',
            Principal: { Service: 'ec2.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
        ],
      },
      b: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ['arn:aws:iam::111122223333:root'] },
            Action: ['sts:AssumeRole'],
          },
          {
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] } },
            Effect: 'Allow',
            Principal: { Service: ['ec2.amazonaws.com'] },
            Action: 'sts:AssumeRole',
          },
        ],
      },
    },
  ])('$name', ({ a, b }) => {
    expect(normalizePolicyText(JSON.stringify(a))).toBe(normalizePolicyText(JSON.stringify(b, null, 4)));
  });

  it('sorts keys and keeps statements in their order', () => {
    const text = normalizePolicyText(
      JSON.stringify({
        Statement: [
          { Sid: 'B', Effect: 'Deny', Action: 'x:Y', Resource: '*' },
          { Sid: 'A', Effect: 'Allow', Action: 'x:Z', Resource: '*' },
        ],
        Version: '2012-10-17',
      }),
    );
    expect(text.indexOf('"Statement"')).toBeLessThan(text.indexOf('"Version"'));
    expect(text.indexOf('"Sid": "B"')).toBeLessThan(text.indexOf('"Sid": "A"'));
    expect(text.indexOf('"Action"')).toBeLessThan(text.indexOf('"Effect"'));
  });

  it('returns text that is not a JSON object as it is', () => {
    expect(normalizePolicyText('{ not json')).toBe('{ not json');
  });
});

describe('diffLines', () => {
  it.each([
    { name: 'no change', a: 'x\ny', b: 'x\ny', rows: ['same', 'same'], removed: [], added: [] },
    {
      name: 'a line added',
      a: 'x\nz',
      b: 'x\ny\nz',
      rows: ['same', 'added', 'same'],
      removed: [],
      added: [{ start: 2, end: 2 }],
    },
    {
      name: 'a line removed',
      a: 'x\ny\nz',
      b: 'x\nz',
      rows: ['same', 'removed', 'same'],
      removed: [{ start: 2, end: 2 }],
      added: [],
    },
    {
      name: 'a line replaced sits beside its replacement',
      a: 'x\ny\nz',
      b: 'x\nY\nz',
      rows: ['same', 'changed', 'same'],
      removed: [{ start: 2, end: 2 }],
      added: [{ start: 2, end: 2 }],
    },
    {
      name: 'a document added',
      a: '',
      b: 'x\ny',
      rows: ['added', 'added'],
      removed: [],
      added: [{ start: 1, end: 2 }],
    },
  ])('$name', ({ a, b, rows, removed, added }) => {
    const diff = diffLines(a, b);
    expect(diff.rows.map((row) => row.kind)).toEqual(rows);
    expect(diff.removed).toEqual(removed);
    expect(diff.added).toEqual(added);
    expect(diff.isChanged).toBe(removed.length + added.length > 0);
  });

  it('shows one added action as one added line of the normalised documents', () => {
    const before = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    });
    const after = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }],
    });
    const diff = diffPolicyTexts(before, after);
    // JSON's separating comma changes the line before; nothing else differs.
    expect(
      diff.rows
        .filter((row) => row.kind !== 'same')
        .map((row) => [row.before?.text.trim(), row.after?.text.trim()]),
    ).toEqual([
      ['"s3:GetObject"', '"s3:GetObject",'],
      [undefined, '"s3:PutObject"'],
    ]);
  });
});

describe('foldUnchanged', () => {
  it('keeps three lines around each change and folds the rest', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const after = before.replace('line 10', 'line ten');
    const folded = foldUnchanged(diffLines(before, after).rows);
    expect(folded.map((row) => (row.kind === 'folded' ? `fold ${row.count}` : row.kind))).toEqual([
      'fold 6',
      'same',
      'same',
      'same',
      'changed',
      'same',
      'same',
      'same',
      'fold 7',
    ]);
  });
});

describe('foldUnchanged, short runs', () => {
  it('shows a run of fewer than four unchanged lines rather than folding it', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f'].join('\n');
    const after = ['a', 'b', 'c', 'd', 'e', 'F'].join('\n');
    expect(foldUnchanged(diffLines(before, after).rows).map((row) => row.kind)).toEqual([
      'same',
      'same',
      'same',
      'same',
      'same',
      'changed',
    ]);
  });
});
