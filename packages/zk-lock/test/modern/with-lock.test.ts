import { afterEach, describe, expect, it } from 'vitest';
import { createLocks, ZookeeperLockTimeoutError, type Locks } from 'zk-lock';
import { useZooKeeper } from '../support/zookeeper.js';
import { childrenOf } from './zk.js';

const server = useZooKeeper();
let locks: Locks;

afterEach(async () => {
  await locks?.close();
});

const nodesOf = (key: string) => childrenOf(server().observer, locks.pathOf(key));

describe('withLock', () => {
  it('runs fn while holding the lock and resolves with its result', async () => {
    locks = createLocks({ connect: server().zk.connectString, pathPrefix: 'with-lock-1' });
    const result = await locks.withLock('k', async (signal, lock) => {
      expect(signal).toBe(lock.lostSignal);
      expect(signal.aborted).toBe(false);
      expect(await nodesOf('k')).toEqual([lock.node]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await nodesOf('k')).toEqual([]);
  });

  it("releases when fn throws, and rejects with fn's error", async () => {
    locks = createLocks({ connect: server().zk.connectString, pathPrefix: 'with-lock-2' });
    const error = new Error('fn failed');
    await expect(
      locks.withLock('k', () => {
        throw error;
      }),
    ).rejects.toBe(error);
    expect(await nodesOf('k')).toEqual([]);
  });

  it('serialises concurrent callers on one key', async () => {
    locks = createLocks({ connect: server().zk.connectString, pathPrefix: 'with-lock-3' });
    let inside = 0;
    let most = 0;
    const enter = () =>
      locks.withLock('k', async () => {
        most = Math.max(most, ++inside);
        await new Promise((resolve) => setImmediate(resolve));
        inside--;
      });
    await Promise.all([enter(), enter(), enter(), enter()]);
    expect(most).toBe(1);
  });

  it('passes the wait options on and takes read and write locks', async () => {
    locks = createLocks({ connect: server().zk.connectString, pathPrefix: 'with-lock-4' });
    await locks.withLock(
      'k',
      async () => {
        const kinds = await Promise.all([
          locks.withLock('k', (_, lock) => lock.kind, { kind: 'read' }),
          locks.withLock('k', (_, lock) => lock.kind, { kind: 'read' }),
        ]);
        expect(kinds).toEqual(['read', 'read']);
        await expect(
          locks.withLock('k', () => undefined, { kind: 'write', timeout: 200 }),
        ).rejects.toBeInstanceOf(ZookeeperLockTimeoutError);
      },
      { kind: 'read' },
    );
    expect(await nodesOf('k')).toEqual([]);
  });
});
