// Runs one benchmark file and writes its results as JSON (used by bench/run.ts).
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BenchModule } from './types';

const [file, out] = process.argv.slice(2);
if (!file || !out) throw new Error('usage: run-one.ts <bench file> <output json>');
const benchmark = (await import(pathToFileURL(file).href)) as BenchModule;
const results = await benchmark.default();
writeFileSync(out, JSON.stringify(results));
