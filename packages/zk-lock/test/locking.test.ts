import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@zk-lock/testkit';
import { describe, expect, it } from 'vitest';
import { ZookeeperLock, ZookeeperLockAlreadyLockedError, ZookeeperLockTimeoutError } from 'zk-lock';
import { configFor, lockNodes, nodeInfo, useZooKeeper } from './support/zookeeper.js';

const server = useZooKeeper();

/** Resolves once `parent` has `count` lock nodes: the contenders have queued. */
const queued = (parent: string, count: number): Promise<string[]> =>
  waitFor(
    async () => {
      const nodes = await lockNodes(server().observer, parent);
      return nodes.length === count ? nodes : undefined;
    },
    { message: `${count} lock nodes under ${parent}` },
  );

/** Records when a promise settles, so a test can assert that it has not (yet). */
const track = <A>(promise: Promise<A>) => {
  const state = { settled: false, at: 0 };
  void promise.then(
    () => Object.assign(state, { settled: true, at: Date.now() }),
    () => Object.assign(state, { settled: true, at: Date.now() }),
  );
  return state;
};

describe('ZookeeperLock on a real ZooKeeper', () => {
  it('locks a free key: LOCKED, one ephemeral lock- node of its own session, a fencing token; unlock removes it', async () => {
    const config = configFor(server());
    const lock = new ZookeeperLock(config);
    expect(lock.state).toBe(ZookeeperLock.States.UNLOCKED);

    await expect(lock.lock('free')).resolves.toBe(lock);

    const parent = `/locks/${config.pathPrefix}/free`;
    expect(lock.state).toBe(ZookeeperLock.States.LOCKED);
    expect(lock.path).toBe(parent);
    expect(lock.key).toMatch(/^lock-\d{10}$/);
    expect(typeof lock.fencingToken).toBe('bigint');
    expect(await lockNodes(server().observer, parent)).toEqual([lock.key]);
    const info = await nodeInfo(server().observer, `${parent}/${lock.key}`);
    expect(info.ephemeralOwner).toBe(lock.client?.getSessionId().toString('hex'));

    await lock.unlock();
    expect(lock.state).toBe(ZookeeperLock.States.DESTROYED);
    expect(await lockNodes(server().observer, parent)).toEqual([]);
  });

  it('locks again after unlock(false) on the same instance', async () => {
    const config = configFor(server());
    const lock = new ZookeeperLock(config);
    await lock.lock('again');
    const first = lock.key;
    const firstToken = lock.fencingToken as bigint;

    await lock.unlock(false);
    expect(lock.state).toBe(ZookeeperLock.States.UNLOCKED);
    await lock.lock('again');

    expect(lock.state).toBe(ZookeeperLock.States.LOCKED);
    expect(ZookeeperLock.getSequenceNumber(lock.key as string)).toBeGreaterThan(
      ZookeeperLock.getSequenceNumber(first as string),
    );
    expect(lock.fencingToken as bigint).toBeGreaterThan(firstToken);
    expect(await lockNodes(server().observer, lock.path as string)).toEqual([lock.key]);
    await lock.unlock();
  });

  it('makes a second locker wait until the first unlocks', async () => {
    const config = configFor(server());
    const first = new ZookeeperLock(config);
    const second = new ZookeeperLock(config);
    await first.lock('wait');
    const secondLocked = second.lock('wait');
    const progress = track(secondLocked);
    await queued(first.path as string, 2);
    expect(progress.settled).toBe(false);
    expect(second.state).toBe(ZookeeperLock.States.LOCKING);

    const unlockStarted = Date.now();
    await first.unlock();
    await expect(secondLocked).resolves.toBe(second);

    expect(progress.at).toBeGreaterThanOrEqual(unlockStarted);
    expect(second.state).toBe(ZookeeperLock.States.LOCKED);
    await second.unlock();
  });

  it('checkLock: true while held, false after unlock, false for a never-used key', async () => {
    ZookeeperLock.initialize(configFor(server()));
    const lock = await ZookeeperLock.lock('checked');

    await expect(ZookeeperLock.checkLock('checked')).resolves.toBe(true);
    await lock.unlock();
    await expect(ZookeeperLock.checkLock('checked')).resolves.toBe(false);
    await expect(ZookeeperLock.checkLock('never-used')).resolves.toBe(false);
  });

  it('times out with ZookeeperLockTimeoutError and leaves no node behind', async () => {
    const config = configFor(server());
    const holder = new ZookeeperLock(config);
    await holder.lock('slow');
    const waiter = new ZookeeperLock(config);

    const failure = await waiter.lock('slow', 1000).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ZookeeperLockTimeoutError);
    expect(failure).toMatchObject({ message: 'timeout', lockPath: holder.path, timeout: 1000 });
    expect(waiter.state).toBe(ZookeeperLock.States.TIMEOUT);
    expect(await lockNodes(server().observer, holder.path as string)).toEqual([holder.key]);
    await holder.unlock();
  });

  it('failImmediate: with the lock held, four contenders all reject with "already locked" and leave no node', async () => {
    const config = configFor(server(), { failImmediate: true });
    ZookeeperLock.initialize(config);
    const holder = await ZookeeperLock.lock('busy');

    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => ZookeeperLock.lock('busy')));

    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as unknown;
      expect(reason).toBeInstanceOf(ZookeeperLockAlreadyLockedError);
      expect(reason).toMatchObject({ message: 'already locked', lockPath: holder.path });
    }
    expect(await lockNodes(server().observer, holder.path as string)).toEqual([holder.key]);
    await holder.unlock();
    expect(await lockNodes(server().observer, holder.path as string)).toEqual([]);
  });

  it('maxConcurrentHolders 2: two hold at once, a third times out', async () => {
    ZookeeperLock.initialize(configFor(server(), { maxConcurrentHolders: 2 }));
    const a = await ZookeeperLock.lock('pair');
    const b = await ZookeeperLock.lock('pair');
    expect([a.state, b.state]).toEqual([ZookeeperLock.States.LOCKED, ZookeeperLock.States.LOCKED]);

    await expect(ZookeeperLock.lock('pair', 1000)).rejects.toBeInstanceOf(ZookeeperLockTimeoutError);

    expect(await lockNodes(server().observer, a.path as string)).toEqual([a.key, b.key].sort());
    await Promise.all([a.unlock(), b.unlock()]);
  });

  it('maxConcurrentHolders 2: A and B hold, C waits; A unlocks while B keeps holding → C acquires within a second', async () => {
    ZookeeperLock.initialize(configFor(server(), { maxConcurrentHolders: 2 }));
    const a = await ZookeeperLock.lock('slots');
    const b = await ZookeeperLock.lock('slots');
    const c = ZookeeperLock.lockFactory();
    const cLocked = c.lock('slots');
    await queued(a.path as string, 3);

    await a.unlock();
    const unlocked = Date.now();
    await cLocked;

    expect(Date.now() - unlocked).toBeLessThan(1000);
    expect(b.state).toBe(ZookeeperLock.States.LOCKED);
    expect(c.state).toBe(ZookeeperLock.States.LOCKED);
    await Promise.all([b.unlock(), c.unlock()]);
  });

  it('maxConcurrentHolders 3 under churn (shared and own sessions, waiters giving up out of order): never more than 3 hold, nobody is stranded, nothing is left', async () => {
    const config = configFor(server(), { maxConcurrentHolders: 3 });
    let holders = 0;
    let peak = 0;
    const hold = async (lock: ZookeeperLock, holdMs: number): Promise<void> => {
      holders += 1;
      peak = Math.max(peak, holders);
      await sleep(holdMs);
      holders -= 1;
      await lock.unlock(false);
    };
    // Twelve contenders cycling: queues deep enough for far waiters and countdowns alike.
    const contenders = Array.from({ length: 12 }, async (_, i) => {
      const lock = new ZookeeperLock({ ...config, connectionPerLock: i % 2 === 0 });
      for (let cycle = 0; cycle < 12; cycle++) {
        await lock.lock('churn');
        await hold(lock, (i * 7 + cycle * 3) % 6);
      }
      await lock.destroy();
    });
    // Twelve more join and give up after a few ms, from the middle of the queue; any that gets a
    // slot in time holds it like the others.
    const quitters = Array.from({ length: 12 }, async (_, i) => {
      const lock = new ZookeeperLock(config);
      const acquired = await lock.lock('churn', 5 + 3 * i).then(
        () => true,
        (error: unknown) => {
          expect(error).toBeInstanceOf(ZookeeperLockTimeoutError);
          return false;
        },
      );
      if (acquired) await hold(lock, 2);
      await lock.destroy();
    });
    await Promise.all([...contenders, ...quitters]);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
    expect(await lockNodes(server().observer, `/locks/${config.pathPrefix}/churn`)).toEqual([]);
  });

  it('a waiter ahead gives up: the middle waiter times out, the last still gets the lock once the holder unlocks', async () => {
    ZookeeperLock.initialize(configFor(server()));
    const holder = await ZookeeperLock.lock('queue');
    const middle = ZookeeperLock.lock('queue', 1500);
    await queued(holder.path as string, 2);
    const last = ZookeeperLock.lockFactory();
    const lastLocked = last.lock('queue');
    const progress = track(lastLocked);
    await queued(holder.path as string, 3);

    await expect(middle).rejects.toBeInstanceOf(ZookeeperLockTimeoutError);
    expect(await lockNodes(server().observer, holder.path as string)).toHaveLength(2);
    expect(progress.settled).toBe(false);
    expect(last.state).toBe(ZookeeperLock.States.LOCKING);

    await holder.unlock();
    await expect(lastLocked).resolves.toBe(last);
    await last.unlock();
  });
});
