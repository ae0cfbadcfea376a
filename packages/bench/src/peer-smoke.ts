import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * What `--peers` does before it compares: makes sure kazoo, Curator and a JDK are installed
 * (`scripts/setup-peers.mjs`: as root on Debian it installs them, otherwise it names the command)
 * and runs the peer runners' smoke test (`test/peers.test.ts`, enabled by ZK_LOCK_PEER_SMOKE=1 as
 * in CI), so that a runner that no longer works fails here in a minute, not an hour into the
 * comparison. `npm test` leaves both to CI: it needs Node, npm and ZooKeeper only.
 */

const repo = fileURLToPath(new URL('../../..', import.meta.url));

const run = (
  what: string,
  command: string,
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv = {},
): void => {
  // Their output goes to stderr, with the bench's progress: stdout carries the comparison only.
  const { status, error } = spawnSync(command, args, {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (error !== undefined || status !== 0)
    throw new Error(`${what} failed${error === undefined ? ` (exit code ${status})` : `: ${error.message}`}`);
};

export const preparePeers = (progress: (message: string) => void): void => {
  progress('checking for kazoo, Curator and a JDK (scripts/setup-peers.mjs) …');
  run('setup-peers', process.execPath, ['scripts/setup-peers.mjs']);
  progress('peer runners’ smoke test (packages/bench/test/peers.test.ts) …');
  run(
    'the peer smoke test',
    'pnpm',
    ['vitest', 'run', '--project', 'bench', 'packages/bench/test/peers.test.ts'],
    {
      ZK_LOCK_PEER_SMOKE: '1',
    },
  );
};
