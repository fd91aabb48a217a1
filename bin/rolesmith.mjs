#!/usr/bin/env node
// Entry point for `npx rolesmith`. Runs the TypeScript command-line code through the pinned tsx,
// with the react-server condition so that `server-only` modules load outside Next. Signals are
// passed on to the command, so that stopping this process stops it (e.g. `rolesmith sandbox`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsxLoader = pathToFileURL(require.resolve('tsx/esm')).href;
const child = spawn(
  process.execPath,
  [
    '--conditions=react-server',
    '--import',
    tsxLoader,
    join(root, 'lib/cli/main.ts'),
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') } },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
child.on('error', (error) => {
  console.error(`rolesmith: could not start: ${error.message}`);
  process.exit(2);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
