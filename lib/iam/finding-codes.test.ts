import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, FINDING_SEVERITIES } from '@/lib/iam/finding-codes';

describe('FINDING_CODES', () => {
  it('imports nothing, so that the browser may import it without the catalogue or Node modules', () => {
    const source = readFileSync(new URL('./finding-codes.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*(import|export\s.*\sfrom)\s/m);
    expect(source).not.toMatch(/\brequire\(|\bimport\(/);
  });

  it('gives every code a known severity, a distinct title and an explanation', () => {
    const entries = Object.entries(FINDING_CODES);
    for (const [code, entry] of entries) {
      expect(code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
      expect(FINDING_SEVERITIES).toContain(entry.severity);
      expect(entry.title).toMatch(/^[A-Z]/);
      expect(entry.title).not.toMatch(/\.$/);
      expect(entry.summary).toMatch(/\.$/);
    }
    expect(new Set(entries.map(([, entry]) => entry.title)).size).toBe(entries.length);
  });
});
