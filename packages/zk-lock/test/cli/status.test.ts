import { hostname } from 'node:os';
import { connectRaw, startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import type zookeeper from '@zk-lock/node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocks, type Locks } from 'zk-lock';
import { createLegacyLockNode } from '../modern/zk.js';
import { runCli } from './cli-process.js';

let zk: ZooKeeper;
let raw: zookeeper.Client;
let locks: Locks;

beforeAll(async () => {
  zk = await startZooKeeper();
  raw = await connectRaw(zk.connectString);
  locks = createLocks({ connect: zk.connectString, pathPrefix: 'cli-status' });
});
afterAll(async () => {
  await locks?.close();
  raw?.close();
  await zk?.close();
});

const status = (...args: string[]) =>
  runCli(['status', '--connect', zk.connectString, '--prefix', 'cli-status', ...args]);

describe('zk-lock status', () => {
  it('says a lock nobody holds is free', async () => {
    const result = await status('free');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('/locks/cli-status/free: free (no holders, no waiters)\n');
  });

  it('lists holders and waiters as a table, a 2.x node as an unknown owner, and as JSON', async () => {
    const holder = await locks.acquire('busy');
    const waiting = locks.acquire('busy');
    await expect.poll(async () => (await locks.contenders('busy')).length).toBe(2);
    const legacy = await createLegacyLockNode(raw, locks.pathOf('busy'));
    await expect.poll(async () => (await locks.contenders('busy')).length).toBe(3);

    const table = await status('busy');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('/locks/cli-status/busy: 1 holding, 2 waiting');
    expect(lines[1]).toMatch(/^ROLE +NODE +SEQ +CZXID +OWNER +LOCK ID +CREATED$/);
    expect(lines[2]).toMatch(
      new RegExp(`^holder +${holder.node} +\\d+ +0x[0-9a-f]+ +${hostname()} pid ${process.pid} `),
    );
    expect(lines[3]).toMatch(/^waiter +lock-\d{10} +\d+ +0x[0-9a-f]+ +\S+ pid \d+ /);
    expect(lines[4]).toMatch(
      new RegExp(`^waiter +${legacy} +\\d+ +0x[0-9a-f]+ +unknown \\(zk-lock 2.x or foreign\\) +- +-$`),
    );

    const json = JSON.parse((await status('--json', 'busy')).stdout);
    expect(json.path).toBe('/locks/cli-status/busy');
    expect(json.contenders.map((c: { role: string }) => c.role)).toEqual(['holder', 'waiter', 'waiter']);
    expect(json.contenders[0]).toMatchObject({
      node: holder.node,
      owner: { hostname: hostname(), pid: process.pid },
    });
    expect(json.contenders[2]).toMatchObject({ node: legacy, owner: null });

    await holder.release();
    await new Promise((resolve) => raw.remove(`${locks.pathOf('busy')}/${legacy}`, resolve));
    await (await waiting).release();
  });
});
