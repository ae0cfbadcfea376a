import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocks, ZookeeperLockArgumentError, type Locks } from 'zk-lock';
import { useZooKeeper } from '../support/zookeeper.js';
import { childrenOf, createLegacyLockNode, mkdirp } from './zk.js';

const server = useZooKeeper();
let locks: Locks;

afterEach(async () => {
  await locks?.close();
});

describe('contenders', () => {
  it('is empty for a lock nobody ever used', async () => {
    locks = createLocks({ connect: server().zk.connectString, pathPrefix: 'contenders-1' });
    expect(await locks.contenders('never')).toEqual([]);
  });

  it('lists holders then waiters in queue order with node, sequence, czxid and owner', async () => {
    locks = createLocks({ connect: server().zk.connectString, pathPrefix: 'contenders-2' });
    const before = Date.now();
    const holder = await locks.acquire('k');
    const waiters = [locks.acquire('k'), locks.acquire('k')];
    await expect.poll(() => childrenOf(server().observer, locks.pathOf('k'))).toHaveLength(3);
    const contenders = await locks.contenders('k');
    expect(contenders.map((c) => c.role)).toEqual(['holder', 'waiter', 'waiter']);
    expect(contenders[0]?.node).toBe(holder.node);
    expect(contenders[0]?.owner).toEqual(holder.owner);
    const sequences = contenders.map((c) => c.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(contenders[0]?.czxid).toBeLessThan(contenders[1]!.czxid);
    for (const contender of contenders) {
      expect(contender.kind).toBe('lock');
      expect(contender.node).toBe(`lock-${String(contender.sequence).padStart(10, '0')}`);
      expect(contender.owner).toMatchObject({ hostname: hostname(), pid: process.pid });
      expect(contender.owner!.createdAt).toBeGreaterThanOrEqual(before);
    }
    expect(new Set(contenders.map((c) => c.owner?.lockId)).size).toBe(3);
    await holder.release();
    await (await waiters[0]!).release();
    await (await waiters[1]!).release();
  });

  it('shows a zk-lock 2.x node (data "lock") as an unknown owner, in its place in the queue', async () => {
    locks = createLocks({ connect: server().zk.connectString, pathPrefix: 'contenders-3' });
    const parent = locks.pathOf('k');
    await mkdirp(server().observer, parent);
    const legacy = await createLegacyLockNode(server().observer, parent);
    const waiting = locks.acquire('k');
    await expect.poll(() => childrenOf(server().observer, parent)).toHaveLength(2);
    const [first, second] = await locks.contenders('k');
    expect(first).toMatchObject({ role: 'holder', node: legacy, owner: undefined });
    expect(second).toMatchObject({ role: 'waiter', owner: { pid: process.pid } });
    await new Promise((resolve) => server().observer.remove(`${parent}/${legacy}`, resolve));
    await (await waiting).release();
  });

  it('tells semaphore holders from waiters with maxConcurrentHolders, and readers by the read/write rule', async () => {
    locks = createLocks({ connect: server().zk.connectString, pathPrefix: 'contenders-4' });
    const slots = await Promise.all([
      locks.acquire('sem', { maxConcurrentHolders: 2 }),
      locks.acquire('sem', { maxConcurrentHolders: 2 }),
    ]);
    const third = locks.acquire('sem', { maxConcurrentHolders: 2 });
    await expect.poll(() => childrenOf(server().observer, locks.pathOf('sem'))).toHaveLength(3);
    expect((await locks.contenders('sem', { maxConcurrentHolders: 2 })).map((c) => c.role)).toEqual([
      'holder',
      'holder',
      'waiter',
    ]);
    const reader = await locks.readLock('rw');
    const writer = locks.writeLock('rw');
    await expect.poll(() => childrenOf(server().observer, locks.pathOf('rw'))).toHaveLength(2);
    expect((await locks.contenders('rw')).map((c) => `${c.kind}:${c.role}`)).toEqual([
      'read:holder',
      'lock:waiter',
    ]);
    await reader.release();
    await (await writer).release();
    await Promise.all(slots.map((s) => s.release()));
    await (await third).release();
  });

  it('rejects a malformed key', async () => {
    locks = createLocks({ connect: server().zk.connectString });
    await expect(locks.contenders('a/../b')).rejects.toBeInstanceOf(ZookeeperLockArgumentError);
  });
});
