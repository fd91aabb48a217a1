// `npm start`: build when there is no current production build, then serve it with `next start`
// (port 3000 unless PORT is set; Next reads PORT itself). The mode and every other setting are read
// by the server at start-up (lib/env.ts), never baked into the build; only the listening address is
// chosen here (listen-address.mjs), as Next listens before the server's own start-up runs.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfNeeded, nextBin, root } from './build-if-needed.mjs';
import { chooseListenAddress, environmentWithEnvFiles } from './listen-address.mjs';

const status = buildIfNeeded();
if (status !== 0) {
  console.error('rolesmith: the build failed; see the messages above.');
  process.exit(status);
}

// The client-address hook (lib/auth/client-address.ts) goes in before Next listens: a request
// arriving while the server starts must not keep a client-chosen X-Forwarded-For.
const preload = pathToFileURL(join(root, 'scripts', 'client-address-preload.mjs')).href;
const args = process.argv.slice(2);
const { hostname, note } = chooseListenAddress({ args, env: environmentWithEnvFiles(root) });
if (hostname !== null) args.push('--hostname', hostname);
console.log(`rolesmith: ${note}.`);
const server = spawn(process.execPath, ['--import', preload, nextBin, 'start', ...args], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
