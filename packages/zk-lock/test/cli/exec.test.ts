import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRaw, startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import zookeeper from 'node-zookeeper-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocks, type Locks } from 'zk-lock';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { childrenOf, mkdirp } from '../modern/zk.js';
import { runCli, spawnCli } from './cli-process.js';

let zk: ZooKeeper;
let raw: zookeeper.Client;
let locks: Locks;
let dir: string;
let prefix = 0;

beforeAll(async () => {
  zk = await startZooKeeper();
  raw = await connectRaw(zk.connectString);
  dir = mkdtempSync(join(tmpdir(), 'zk-lock-cli-'));
});
afterAll(async () => {
  raw?.close();
  await zk?.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await locks?.close();
});

/** Options for a fresh lock prefix, and a `Locks` on it to play the other contenders. */
const fresh = () => {
  const pathPrefix = `cli-exec-${++prefix}`;
  locks = createLocks({ connect: zk.connectString, pathPrefix });
  return ['--connect', zk.connectString, '--prefix', pathPrefix];
};

const node = (script: string) => [process.execPath, '-e', script];

/** A loopback port nothing listens on (it was free a moment ago). */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe('zk-lock exec', () => {
  it("runs the command with the fencing token and node path in its environment and exits with the command's code", async () => {
    const options = fresh();
    const result = await runCli([
      'exec',
      ...options,
      'job',
      '--',
      ...node('console.log(process.env.ZK_LOCK_FENCING_TOKEN, process.env.ZK_LOCK_PATH); process.exit(3)'),
    ]);
    expect(result.code).toBe(3);
    const [token, path] = result.stdout.trim().split(' ');
    expect(BigInt(token!)).toBeGreaterThan(0n);
    expect(path).toMatch(new RegExp(`^${locks.pathOf('job')}/lock-\\d{10}$`));
    expect(result.stderr).toBe('');
    expect(await childrenOf(raw, locks.pathOf('job'))).toEqual([]);
  });

  it('never lets two commands on one key overlap (checked from the timestamps they write)', async () => {
    const options = fresh();
    const log = join(dir, 'overlap.log');
    writeFileSync(log, '');
    // Each command appends "start <ns>" and, 200 ms later, "end <ns>" from the system-wide monotonic clock.
    const script = `
      const { appendFileSync } = require('node:fs');
      const stamp = (what) => appendFileSync(${JSON.stringify(log)}, what + ' ' + process.hrtime.bigint() + '\\n');
      stamp('start');
      setTimeout(() => stamp('end'), 200);`;
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => runCli(['exec', ...options, 'shared', '--', ...node(script)])),
    );
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const stamps = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([what, ns]) => ({ what, ns: BigInt(ns!) }))
      .sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
    // Ordered by time, the stamps alternate start, end, start, end: no command started while another ran.
    expect(stamps.map((s) => s.what)).toEqual([
      'start',
      'end',
      'start',
      'end',
      'start',
      'end',
      'start',
      'end',
    ]);
  });

  it('forwards SIGTERM to the command and exits with its code', async () => {
    const options = fresh();
    const cli = spawnCli([
      'exec',
      ...options,
      'k',
      '--',
      ...node(`process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(7); });
               console.log('child running'); setInterval(() => {}, 1000);`),
    ]);
    await cli.output('child running');
    cli.child.kill('SIGTERM');
    const result = await cli.done;
    expect(result.stdout).toContain('child got SIGTERM');
    expect(result.code).toBe(7);
    expect(await childrenOf(raw, locks.pathOf('k'))).toEqual([]);
  });

  it(`exits ${128 + 2} on SIGINT while waiting, leaving no node`, async () => {
    const options = fresh();
    const holder = await locks.acquire('k');
    const cli = spawnCli(['exec', ...options, 'k', '--', 'true']);
    // Its node appears once the process has started (tsx compiles the CLI first: more than the
    // poll's default second on a loaded machine), so the wait is bounded by the test's own timeout.
    await expect.poll(() => childrenOf(raw, locks.pathOf('k')), { timeout: 30_000 }).toHaveLength(2);
    cli.child.kill('SIGINT');
    expect((await cli.done).code).toBe(130);
    expect(await childrenOf(raw, locks.pathOf('k'))).toEqual([holder.node]);
  });
});

describe('zk-lock exec exit codes', () => {
  it(`${ExitCode.TIMEOUT} when the lock is not acquired within --timeout, in one readable line`, async () => {
    const options = fresh();
    const holder = await locks.acquire('k');
    const result = await runCli(['exec', ...options, '--timeout', '300', 'k', '--', 'true']);
    expect(result.code).toBe(ExitCode.TIMEOUT);
    expect(result.stderr).toBe("zk-lock: timed out after 300 ms waiting for lock 'k'\n");
    expect(await childrenOf(raw, locks.pathOf('k'))).toEqual([holder.node]);
  });

  it(`${ExitCode.ALREADY_LOCKED} with --fail-immediate when the lock is taken`, async () => {
    const options = fresh();
    await locks.acquire('k');
    const result = await runCli(['exec', ...options, '--fail-immediate', 'k', '--', 'true']);
    expect(result.code).toBe(ExitCode.ALREADY_LOCKED);
    expect(result.stderr).toBe("zk-lock: lock 'k' is already held (--fail-immediate)\n");
  });

  it(`${ExitCode.USAGE} for bad usage, pointing at --help`, async () => {
    const missingCommand = await runCli(['exec', 'k']);
    expect(missingCommand.code).toBe(ExitCode.USAGE);
    expect(missingCommand.stderr).toBe(
      "zk-lock: missing the command: put it after '--'\nRun 'zk-lock exec --help' for usage.\n",
    );
    const badKey = await runCli(['exec', '--connect', zk.connectString, 'a//b', '--', 'true']);
    expect(badKey.code).toBe(ExitCode.USAGE);
    expect(badKey.stderr).toMatch(/^zk-lock: key: segment 2 \(""\) is empty/);
    expect((await runCli(['exec', '--connect', 'nonsense', 'k', '--', 'true'])).code).toBe(ExitCode.USAGE);
    expect((await runCli(['frobnicate'])).code).toBe(ExitCode.USAGE);
  });

  it(`${ExitCode.NOT_FOUND} when the command does not exist, ${ExitCode.CANNOT_EXECUTE} when it cannot run`, async () => {
    const options = fresh();
    const missing = await runCli(['exec', ...options, 'k', '--', join(dir, 'no-such-command')]);
    expect(missing.code).toBe(ExitCode.NOT_FOUND);
    expect(missing.stderr).toMatch(/^zk-lock: cannot run '.*no-such-command': /);
    const notExecutable = join(dir, 'not-executable');
    writeFileSync(notExecutable, '#!/bin/sh\n');
    chmodSync(notExecutable, 0o644);
    expect((await runCli(['exec', ...options, 'k', '--', notExecutable])).code).toBe(ExitCode.CANNOT_EXECUTE);
    expect(await childrenOf(raw, locks.pathOf('k'))).toEqual([]);
  });

  it(`${ExitCode.FAILURE} when no ZooKeeper answers within the session timeout`, async () => {
    const port = await closedPort();
    const result = await runCli([
      'exec',
      '--connect',
      `127.0.0.1:${port}`,
      '--session-timeout',
      '1000',
      'k',
      '--',
      'true',
    ]);
    expect(result.code).toBe(ExitCode.FAILURE);
    expect(result.stderr).toMatch(new RegExp(`^zk-lock: .*no ZooKeeper session with 127.0.0.1:${port}.*\n$`));
  });

  it(`${ExitCode.FAILURE} when ZooKeeper refuses, with the stack only under --verbose`, async () => {
    const options = fresh();
    // A lock parent nobody may create children in.
    const parent = locks.pathOf('k');
    await mkdirp(raw, parent.slice(0, parent.lastIndexOf('/')));
    await new Promise<void>((resolve, reject) =>
      raw.create(
        parent,
        [new zookeeper.ACL(zookeeper.Permission.READ, new zookeeper.Id('world', 'anyone'))],
        zookeeper.CreateMode.PERSISTENT,
        (error) => (error ? reject(error) : resolve()),
      ),
    );
    const quiet = await runCli(['exec', ...options, 'k', '--', 'true']);
    expect(quiet.code).toBe(ExitCode.FAILURE);
    expect(quiet.stderr.trim().split('\n')).toHaveLength(1);
    expect(quiet.stderr).toMatch(/^zk-lock: .*NO_AUTH/);
    const verbose = await runCli(['exec', ...options, '--verbose', 'k', '--', 'true']);
    expect(verbose.code).toBe(ExitCode.FAILURE);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });
});
