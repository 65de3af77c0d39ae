// `pnpm dev`: rebuilds the shell and every remote on change and restarts the BFF on change.
// Only here are local rebuilds released automatically (@atrium/bff's `dev` script runs it with
// ATRIUM_SEED_LOCAL_REMOTES=watch); `pnpm start` seeds an empty registry once and no more.
// A team working on one remote runs `pnpm --filter @atrium/<remote> dev` beside `pnpm --filter @atrium/bff dev` instead.
import { spawn } from 'node:child_process';

const jobs = [
  ['shell+remotes', ['-r', '--parallel', '--filter', './shell', '--filter', './remotes/*', 'dev']],
  ['bff', ['--filter', '@atrium/bff', 'dev']],
];

const children = jobs.map(([label, args]) => {
  const child = spawn('pnpm', args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line) console.log(`[${label}] ${line}`);
    });
  }
  return child;
});

const stop = () => {
  for (const child of children) child.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
