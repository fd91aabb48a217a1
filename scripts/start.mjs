// `npm start`: build when there is no current production build, then serve it with `next start`
// (port 3000 unless PORT is set; Next reads PORT itself). The mode and every other setting are read
// by the server at start-up (lib/env.ts), never baked into the build.
import { spawn } from 'node:child_process';
import { buildIfNeeded, nextBin, root } from './build-if-needed.mjs';

const status = buildIfNeeded();
if (status !== 0) {
  console.error('rolesmith: the build failed; see the messages above.');
  process.exit(status);
}

const server = spawn(process.execPath, [nextBin, 'start', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
