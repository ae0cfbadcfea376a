import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { spawnCli } from './cli-process.js';

// Pausing the server affects every session on it: this file has its own server.
let zk: ZooKeeper;

beforeAll(async () => {
  zk = await startZooKeeper();
});
afterAll(async () => {
  await zk?.close();
});
afterEach(() => {
  zk.members[0]?.resume();
});

const execOptions = (prefix: string) => [
  '--connect',
  zk.connectString,
  '--prefix',
  prefix,
  '--session-timeout',
  '2000',
];

/** A child that exits on SIGTERM, saying so. */
const politeChild = [
  process.execPath,
  '-e',
  `process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(0); });
   console.log('child running'); setInterval(() => {}, 1000);`,
];

describe('zk-lock exec and elect when the lock is lost', () => {
  it.each([
    ['exec', 'lock', 'cli-lost-1'],
    ['elect', 'leadership', 'cli-lost-3'],
  ])(
    `%s stops the command with SIGTERM once the %s is lost and exits ${ExitCode.LOST}`,
    async (command, what, prefix) => {
      const cli = spawnCli([command, ...execOptions(prefix), 'k', '--', ...politeChild]);
      await cli.output('child running');
      zk.members[0]!.pause();
      const result = await cli.done;
      expect(result.stdout).toContain('child got SIGTERM');
      expect(result.stderr).toMatch(new RegExp(`^zk-lock: ${what} lost; stopping `, 'm'));
      expect(result.code).toBe(ExitCode.LOST);
    },
  );

  it('kills a command that ignores SIGTERM once the grace period is over', async () => {
    const cli = spawnCli([
      'exec',
      ...execOptions('cli-lost-2'),
      '--grace',
      '300',
      'k',
      '--',
      process.execPath,
      '-e',
      `process.on('SIGTERM', () => console.log('child ignores SIGTERM'));
       console.log('child running'); setInterval(() => {}, 1000);`,
    ]);
    await cli.output('child running');
    zk.members[0]!.pause();
    const result = await cli.done;
    expect(result.stdout).toContain('child ignores SIGTERM');
    expect(result.code).toBe(ExitCode.LOST);
  });
});
