import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const directory = mkdtempSync(join(tmpdir(), 'rolesmith-lint-'));
const rolesmith = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'rolesmith.mjs'), 'lint', ...args], {
    encoding: 'utf8',
    cwd: directory,
  });

const write = (name: string, text: string): string => {
  writeFileSync(join(directory, name), text);
  return name;
};
const good = write(
  'good.json',
  JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/*' }],
    },
    null,
    2,
  ),
);
const bad = write(
  'bad.json',
  '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}]\n}\n',
);
const broken = write('broken.json', '{"Version": "2012-10-17",\n "Statement": [}\n');
const warnOnly = write(
  'warn.json',
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::logs' }],
  }),
);
const trust = write(
  'trust.json',
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:AssumeRole' },
    ],
  }),
);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface Report {
  file: string;
  kind: string;
  findings: {
    severity: string;
    code: string;
    message: string;
    path: string;
    line: number;
    column: number;
    suggestions?: string[];
  }[];
}

describe('rolesmith lint', () => {
  it('prints one JSON array with an entry per file, in order, and exits 1 on an error finding', () => {
    const result = rolesmith('--format', 'json', good, bad, broken);
    expect(result.status).toBe(1);
    const reports = JSON.parse(result.stdout) as Report[];
    expect(reports.map((report) => [report.file, report.kind])).toEqual([
      [good, 'identity'],
      [bad, 'identity'],
      [broken, 'identity'],
    ]);
    expect(reports[0]!.findings).toEqual([]);
    expect(reports[1]!.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'unknown_action',
        path: '/Statement/0/Action',
        line: 3,
        column: 47,
      }),
    ]);
    expect(reports[2]!.findings).toEqual([
      expect.objectContaining({ code: 'json_syntax', path: '', line: 2, column: 16 }),
    ]);
  });

  it('exits 0 when there are only warnings, and prints text by default', () => {
    const result = rolesmith(good, warnOnly);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${warnOnly}:1:`);
    expect(result.stdout).toContain('warning action_matches_no_resource');
    expect(result.stdout).toContain('1 warning in 2 files.');
  });

  it('applies --kind and --third-party', () => {
    const result = rolesmith('--kind=trust', '--third-party', '--format=json', trust);
    expect(result.status).toBe(0);
    const [report] = JSON.parse(result.stdout) as Report[];
    expect(report!.kind).toBe('trust');
    expect(report!.findings.map((finding) => finding.code)).toEqual([
      'trust_third_party_missing_external_id',
    ]);
    const asIdentity = rolesmith(trust);
    expect(asIdentity.status).toBe(1);
    expect(asIdentity.stdout).toContain('principal_not_allowed');
  });

  it('carries the closest real names of an unknown action as suggestions in --format json', () => {
    const misspelt = write(
      'misspelt.json',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObjekt', Resource: 'arn:aws:s3:::logs/*' }],
      }),
    );
    const result = rolesmith('--format', 'json', misspelt);
    expect(result.status).toBe(1);
    const [report] = JSON.parse(result.stdout) as Report[];
    const [finding] = report!.findings;
    expect(finding).toMatchObject({ code: 'unknown_action', path: '/Statement/0/Action' });
    expect(finding!.suggestions?.[0]).toBe('s3:GetObject');
    expect(finding!.message).toContain('Did you mean "s3:GetObject"');
    // A finding about a known name carries no suggestions field at all.
    const clean = JSON.parse(rolesmith('--format', 'json', warnOnly).stdout) as Report[];
    expect(clean[0]!.findings[0]).not.toHaveProperty('suggestions');
  });

  it.each([
    { args: [], message: 'give at least one policy file' },
    { args: ['--kind', 'role', good], message: '--kind must be identity, trust or boundary' },
    { args: ['--format', 'xml', good], message: '--format must be text or json' },
    { args: ['--frobnicate', good], message: 'unknown option' },
    { args: ['--format', 'json', good, 'missing.json'], message: 'cannot read missing.json' },
  ])('exits 2 for $args', ({ args, message }) => {
    const result = rolesmith(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});
