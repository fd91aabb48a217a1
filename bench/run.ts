/**
 * `npm run bench`: runs every `bench/*.bench.ts` in its own process, one after another (so that
 * they do not disturb each other), writes `bench/results.json` and prints the results as a table.
 * `npm run bench -- server` runs only the files whose name contains "server".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

const results: BenchResult[] = [];
const failures: string[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'rolesmith-bench-'));

for (const file of files) {
  console.log(`\n▶ ${file}`);
  const out = join(scratch, `${file}.json`);
  const child = spawnSync(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx/esm', join(here, 'run-one.ts'), join(here, file), out],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
  );
  if (child.status !== 0) {
    failures.push(file);
    continue;
  }
  results.push(...(JSON.parse(readFileSync(out, 'utf8')) as BenchResult[]));
}
rmSync(scratch, { recursive: true, force: true });

writeFileSync(join(here, 'results.json'), `${JSON.stringify({ results }, null, 2)}\n`);

const meets = (result: BenchResult): string => {
  if (!result.goal) return '';
  const match = /^(<=|>=|==)\s*(-?[\d.]+)$/.exec(result.goal);
  if (!match) return '?';
  const target = Number(match[2]);
  const ok =
    match[1] === '<='
      ? result.value <= target
      : match[1] === '>='
        ? result.value >= target
        : result.value === target;
  return ok ? 'met' : 'MISSED';
};
const rows = results.map((r) => [
  r.id,
  String(Number(r.value.toPrecision(4))),
  r.unit,
  r.goal ?? '—',
  String(r.runs),
  meets(r),
]);
const header = ['id', 'value', 'unit', 'goal', 'runs', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const format = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const row of rows) console.log(format(row));
console.log(`\nWrote bench/results.json (${results.length} results).`);
if (failures.length > 0) {
  console.error(`Benchmarks that failed: ${failures.join(', ')}`);
  process.exit(1);
}
