import { connectRaw, startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import type zookeeper from '@zk-lock/node-zookeeper-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocks, type Locks } from 'zk-lock';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { childrenOf } from '../modern/zk.js';
import { runCli, spawnCli } from './cli-process.js';

let zk: ZooKeeper;
let raw: zookeeper.Client;
let locks: Locks;
let prefix = 0;

beforeAll(async () => {
  zk = await startZooKeeper();
  raw = await connectRaw(zk.connectString);
});
afterAll(async () => {
  raw?.close();
  await zk?.close();
});
afterEach(async () => {
  await locks?.close();
});

/** Options for a fresh prefix, and a `Locks` on it to play the other campaigners. */
const fresh = () => {
  const pathPrefix = `cli-elect-${++prefix}`;
  locks = createLocks({ connect: zk.connectString, pathPrefix });
  return ['--connect', zk.connectString, '--prefix', pathPrefix];
};

const node = (script: string) => [process.execPath, '-e', script];

/** A command that prints its environment's token and path, then runs until it gets SIGTERM. */
const untilTerminated = node(`
  console.log('leading', process.env.ZK_LOCK_FENCING_TOKEN, process.env.ZK_LOCK_PATH);
  process.on('SIGTERM', () => process.exit(7));
  setInterval(() => {}, 1000);`);

describe('zk-lock elect and zk-lock leader', () => {
  it("runs the command while leading, publishes the value for 'leader', and resigns when it ends", async () => {
    const options = fresh();
    const elect = spawnCli(['elect', ...options, '--value', 'box:8080', 'sched', '--', ...untilTerminated]);
    await elect.output('leading');

    const shown = await runCli(['leader', ...options, 'sched']);
    expect(shown.code).toBe(ExitCode.OK);
    expect(shown.stdout).toMatch(
      new RegExp(
        `^${locks.pathOf('sched')}: lock-\\d{10} leads, value "box:8080" \\(\\S+ pid \\d+, token \\d+\\)\\n$`,
      ),
    );
    const json = JSON.parse((await runCli(['leader', ...options, '--json', 'sched'])).stdout) as {
      leader: { value: string; fencingToken: string; node: string };
    };
    expect(json.leader.value).toBe('box:8080');
    expect((await locks.leader('sched'))?.fencingToken).toBe(BigInt(json.leader.fencingToken));

    // A second campaigner does not lead while the first one does.
    const second = await runCli(['elect', ...options, '--timeout', '300', 'sched', '--', 'true']);
    expect(second.code).toBe(ExitCode.TIMEOUT);
    expect(second.stderr).toBe("zk-lock: timed out after 300 ms waiting to lead 'sched'\n");

    elect.child.kill('SIGTERM'); // forwarded: the command exits 7, and the leadership is resigned
    const result = await elect.done;
    expect(result.code).toBe(7);
    const [, token, path] = result.stdout.trim().split(' ');
    expect(token).toBe(json.leader.fencingToken);
    expect(path).toBe(`${locks.pathOf('sched')}/${json.leader.node}`);
    expect(await childrenOf(raw, locks.pathOf('sched'))).toEqual([]);

    const none = await runCli(['leader', ...options, 'sched']);
    expect(none).toMatchObject({ code: ExitCode.NO_LEADER, stdout: `${locks.pathOf('sched')}: no leader\n` });
  });

  it('--watch prints the leader now, then each change, until interrupted', async () => {
    const options = fresh();
    const watch = spawnCli(['leader', ...options, '--watch', 'sched']);
    await watch.output(': no leader');
    const leadership = await locks.campaign('sched', { value: 'a' });
    await watch.output('value "a"');
    await leadership.proclaim('b');
    await watch.output('value "b"');
    await leadership.resign();
    await watch.output(': no leader', 2);
    watch.child.kill('SIGINT');
    const result = await watch.done;
    expect(result.code).toBe(ExitCode.OK);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${locks.pathOf('sched')}: no leader`);
    expect(lines[1]).toContain(`${leadership.node} leads, value "a"`);
    expect(lines[2]).toContain(`${leadership.node} leads, value "b"`);
    expect(lines[3]).toBe(`${locks.pathOf('sched')}: no leader`);
    expect(result.stderr).toBe('');
  });

  it(`refuses a value over 64 KiB with exit ${ExitCode.USAGE}, before campaigning`, async () => {
    const options = fresh();
    const result = await runCli([
      'elect',
      ...options,
      '--value',
      'x'.repeat(64 * 1024 + 1),
      'sched',
      '--',
      'true',
    ]);
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toMatch(/^zk-lock: value: 65537 bytes in UTF-8; at most 65536 are allowed\n$/);
    expect(await childrenOf(raw, locks.pathOf('sched'))).toEqual([]);
  });
});
