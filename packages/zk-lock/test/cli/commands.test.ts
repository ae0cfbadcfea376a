import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { ExitCode } from '../../src/cli/exit-codes.js';
import { runCli } from './cli-process.js';

describe('zk-lock help and version', () => {
  it.each([
    [['--help'], 'Usage: zk-lock <command>'],
    [['help'], 'Usage: zk-lock <command>'],
    [['exec', '--help'], 'Usage: zk-lock exec [options] <key> -- <command> [args...]'],
    [['help', 'exec'], 'Usage: zk-lock exec'],
    [['status', '--help'], 'Usage: zk-lock status [options] <key>'],
    [['elect', '--help'], 'Usage: zk-lock elect [options] <key> -- <command> [args...]'],
    [['leader', '--help'], 'Usage: zk-lock leader [options] <key>'],
    [['demo', '--help'], 'Usage: zk-lock demo [options]'],
  ])('%j prints its usage and exits 0', async (args, usage) => {
    const result = await runCli(args);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(usage)).toBe(true);
    expect(result.stderr).toBe('');
  });

  it('documents every exit code in the help of the commands that use it', async () => {
    const exec = (await runCli(['exec', '--help'])).stdout;
    for (const code of Object.values(ExitCode).filter((c) => c !== ExitCode.OK && c !== ExitCode.NO_LEADER))
      expect(exec).toMatch(new RegExp(`^  ${code} `, 'm'));
    const elect = (await runCli(['elect', '--help'])).stdout;
    for (const code of Object.values(ExitCode).filter(
      (c) => c !== ExitCode.OK && c !== ExitCode.NO_LEADER && c !== ExitCode.ALREADY_LOCKED,
    ))
      expect(elect).toMatch(new RegExp(`^  ${code} `, 'm'));
    expect((await runCli(['leader', '--help'])).stdout).toContain(`${ExitCode.NO_LEADER} nobody leads`);
  });

  it('prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result.stdout).toBe(`${packageJson.version}\n`);
  });

  it(`exits ${ExitCode.USAGE} without a command`, async () => {
    const result = await runCli([]);
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toBe("zk-lock: missing command\nRun 'zk-lock --help' for usage.\n");
  });
});

describe('zk-lock demo', () => {
  let zk: ZooKeeper;
  beforeAll(async () => {
    zk = await startZooKeeper();
  });
  afterAll(async () => {
    await zk?.close();
  });

  it('runs the contention demo on a given server and exits 0', async () => {
    const result = await runCli(['demo', '--connect', zk.connectString]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Who held the lock when:');
  });

  it('starts and stops its own ZooKeeper when given none', async () => {
    const result = await runCli(['demo']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('starting a local ZooKeeper');
    expect(result.stdout).toContain('Who held the lock when:');
  });
});
