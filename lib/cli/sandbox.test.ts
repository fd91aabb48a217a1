import { describe, expect, it } from 'vitest';
import { parseSandboxArgs } from '@/lib/cli/sandbox';

describe('rolesmith sandbox arguments', () => {
  it.each([
    { args: [], expected: { port: 4599, host: '127.0.0.1', dataDir: undefined, json: false } },
    {
      args: ['--port', '0', '--json', '--data', '/tmp/x'],
      expected: { port: 0, host: '127.0.0.1', dataDir: '/tmp/x', json: true },
    },
    {
      args: ['--port=8080', '--host=0.0.0.0'],
      expected: { port: 8080, host: '0.0.0.0', dataDir: undefined, json: false },
    },
  ])('parses $args', ({ args, expected }) => {
    expect(parseSandboxArgs(args)).toEqual(expected);
  });

  it.each([
    { args: ['--port', '70000'], problem: '--port must be a whole number from 0 to 65535' },
    { args: ['--port'], problem: '--port needs a value' },
    { args: ['--verbose'], problem: 'unknown option --verbose' },
  ])('refuses $args', ({ args, problem }) => {
    expect(parseSandboxArgs(args)).toBe(problem);
  });
});
