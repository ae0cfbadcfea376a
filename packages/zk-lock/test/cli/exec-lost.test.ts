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

describe('zk-lock exec when the lock is lost', () => {
  it(`stops the command with SIGTERM and exits ${ExitCode.LOST}`, async () => {
    const cli = spawnCli([
      'exec',
      ...execOptions('cli-lost-1'),
      'k',
      '--',
      process.execPath,
      '-e',
      `process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(0); });
       console.log('child running'); setInterval(() => {}, 1000);`,
    ]);
    await cli.output('child running');
    zk.members[0]!.pause();
    const result = await cli.done;
    expect(result.stdout).toContain('child got SIGTERM');
    expect(result.stderr).toMatch(/^zk-lock: lock lost; stopping /m);
    expect(result.code).toBe(ExitCode.LOST);
  });

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

  it(`zk-lock elect stops the command once the leadership is lost and exits ${ExitCode.LOST}`, async () => {
    const cli = spawnCli([
      'elect',
      ...execOptions('cli-lost-3'),
      'k',
      '--',
      process.execPath,
      '-e',
      `process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(0); });
       console.log('child running'); setInterval(() => {}, 1000);`,
    ]);
    await cli.output('child running');
    zk.members[0]!.pause();
    const result = await cli.done;
    expect(result.stdout).toContain('child got SIGTERM');
    expect(result.stderr).toMatch(/^zk-lock: leadership lost; stopping /m);
    expect(result.code).toBe(ExitCode.LOST);
  });
});
