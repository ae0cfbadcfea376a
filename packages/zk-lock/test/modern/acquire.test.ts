import { afterEach, describe, expect, it } from 'vitest';
import {
  createLocks,
  ZookeeperLockAlreadyLockedError,
  ZookeeperLockArgumentError,
  ZookeeperLockConfigError,
  ZookeeperLockDestroyedError,
  ZookeeperLockTimeoutError,
  type Locks,
} from 'zk-lock';
import { useZooKeeper } from '../support/zookeeper.js';
import { childrenOf } from './zk.js';

const server = useZooKeeper();
let locks: Locks;
let prefix = 0;

// A fresh prefix per test keeps the tests' lock paths apart on the shared server.
const newLocks = (options: Record<string, unknown> = {}) =>
  createLocks({ connect: server().zk.connectString, pathPrefix: `acquire-${++prefix}`, ...options });

afterEach(async () => {
  await locks?.close();
});

const nodesOf = (key: string) => childrenOf(server().observer, locks.pathOf(key));

describe('acquire', () => {
  it('holds the lock until release, with the node under /locks/<prefix>/<key>', async () => {
    locks = newLocks();
    const lock = await locks.acquire('a/b');
    expect(lock.key).toBe('a/b');
    expect(lock.kind).toBe('exclusive');
    expect(lock.path).toBe(`/locks/acquire-${prefix}/a/b/${lock.node}`);
    expect(lock.node).toMatch(/^lock-\d{10}$/);
    expect(await nodesOf('a/b')).toEqual([lock.node]);
    expect(lock.lostSignal.aborted).toBe(false);
    await lock.release();
    expect(await nodesOf('a/b')).toEqual([]);
    await lock.release(); // idempotent
  });

  it('releases at the end of an `await using` block, also when the block throws', async () => {
    locks = newLocks();
    {
      await using lock = await locks.acquire('k');
      expect(await nodesOf('k')).toEqual([lock.node]);
    }
    expect(await nodesOf('k')).toEqual([]);
    const failing = async () => {
      await using lock = await locks.acquire('k');
      expect(await nodesOf('k')).toEqual([lock.node]);
      throw new Error('boom');
    };
    await expect(failing()).rejects.toThrow('boom');
    expect(await nodesOf('k')).toEqual([]);
  });

  it('makes a second locker wait until the first releases, with a larger fencing token', async () => {
    locks = newLocks();
    const first = await locks.acquire('k');
    let secondHeld = false;
    const second = locks.acquire('k').then((lock) => {
      secondHeld = true;
      return lock;
    });
    // The second node is queued behind the first before the first lets go.
    await expect.poll(() => nodesOf('k')).toHaveLength(2);
    expect(secondHeld).toBe(false);
    await first.release();
    const lock = await second;
    expect(lock.fencingToken).toBeGreaterThan(first.fencingToken);
    await lock.release();
  });

  it('times out with ZookeeperLockTimeoutError and leaves no node', async () => {
    locks = newLocks();
    const holder = await locks.acquire('k');
    const error = await locks.acquire('k', { timeout: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZookeeperLockTimeoutError);
    expect((error as ZookeeperLockTimeoutError).message).toBe('timeout');
    expect(await nodesOf('k')).toEqual([holder.node]);
  });

  it('fails immediately with ZookeeperLockAlreadyLockedError and leaves no node', async () => {
    locks = newLocks();
    const holder = await locks.acquire('k');
    await expect(locks.acquire('k', { failImmediate: true })).rejects.toBeInstanceOf(
      ZookeeperLockAlreadyLockedError,
    );
    expect(await nodesOf('k')).toEqual([holder.node]);
  });

  it('lets maxConcurrentHolders lockers hold at once', async () => {
    locks = newLocks();
    const a = await locks.acquire('k', { maxConcurrentHolders: 2 });
    const b = await locks.acquire('k', { maxConcurrentHolders: 2 });
    await expect(locks.acquire('k', { maxConcurrentHolders: 2, failImmediate: true })).rejects.toBeInstanceOf(
      ZookeeperLockAlreadyLockedError,
    );
    const c = locks.acquire('k', { maxConcurrentHolders: 2 });
    await expect.poll(() => nodesOf('k')).toHaveLength(3);
    // a (not c's immediate predecessor) leaves: c takes its slot while b still holds.
    await a.release();
    await (await c).release();
    await b.release();
  });
});

describe('cancelling a wait with an AbortSignal', () => {
  it('rejects with an AbortError and leaves no node', async () => {
    locks = newLocks();
    const holder = await locks.acquire('k');
    const controller = new AbortController();
    const waiting = locks.acquire('k', { signal: controller.signal });
    await expect.poll(() => nodesOf('k')).toHaveLength(2);
    controller.abort(new Error('no longer needed'));
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect((error as DOMException).cause).toEqual(new Error('no longer needed'));
    expect(await nodesOf('k')).toEqual([holder.node]);
  });

  it('rejects at once for a signal that is already aborted, without touching the server', async () => {
    locks = newLocks();
    const error = await locks.acquire('k', { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(await childrenOf(server().observer, `/locks/acquire-${prefix}`)).toEqual([]);
  });

  it('does nothing once the lock is held', async () => {
    locks = newLocks();
    const controller = new AbortController();
    const lock = await locks.acquire('k', { signal: controller.signal });
    controller.abort();
    expect(await nodesOf('k')).toEqual([lock.node]);
    expect(lock.lostSignal.aborted).toBe(false);
  });
});

describe('bad input', () => {
  it('rejects a malformed key or option with a typed error naming it, before reaching the server', async () => {
    locks = newLocks();
    const rejection = (promise: Promise<unknown>) =>
      promise.catch((e: unknown) => e as ZookeeperLockArgumentError);
    for (const [promise, field] of [
      [locks.acquire('../x'), 'key'],
      [locks.acquire('a//b'), 'key'],
      [locks.acquire(''), 'key'],
      [locks.acquire('k', { timeout: -1 }), 'timeout'],
      [locks.acquire('k', { maxConcurrentHolders: 0 }), 'maxConcurrentHolders'],
      [locks.acquire('k', { failImmediate: 'yes' as unknown as boolean }), 'failImmediate'],
      [locks.acquire('k', { signal: {} as AbortSignal }), 'signal'],
      [locks.readLock('k/'), 'key'],
      [locks.readLock('k', { maxConcurrentHolders: 2 } as never), 'maxConcurrentHolders'],
      [locks.withLock('k', () => 1, { kind: 'shared' as never }), 'kind'],
      [locks.withLock('k', 'not a function' as never), 'fn'],
      [locks.contenders('k', { maxConcurrentHolders: 1.5 }), 'maxConcurrentHolders'],
    ] as const) {
      const error = (await rejection(promise)) as ZookeeperLockArgumentError;
      expect(error).toBeInstanceOf(ZookeeperLockArgumentError);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(new RegExp(`^${field}: `));
    }
    expect(await childrenOf(server().observer, `/locks/acquire-${prefix}`)).toEqual([]);
  });

  it('throws ZookeeperLockConfigError for malformed options of createLocks', () => {
    expect(() => createLocks({ connect: 'not a connect string' })).toThrow(ZookeeperLockConfigError);
    expect(() => createLocks({ connect: 'not a connect string' })).toThrow(/^connect: expected/);
    expect(() => createLocks({ connect: '127.0.0.1:2181', sessionTimeout: 0 })).toThrow(/^sessionTimeout: /);
    expect(() => createLocks({ connect: '127.0.0.1:2181', pathPrefix: 'a/../b' })).toThrow(/^pathPrefix: /);
    expect(() => createLocks({ connect: '127.0.0.1:2181', parentNodes: 'ephemeral' as 'container' })).toThrow(
      /^parentNodes: expected 'container' or 'persistent', got "ephemeral"$/,
    );
  });
});

describe('close', () => {
  it('releases held locks, abandons pending waits and refuses new ones', async () => {
    locks = newLocks();
    const other = newLocks({ pathPrefix: `acquire-${prefix}` });
    const held = await locks.acquire('k');
    const pending = locks.acquire('k');
    await expect.poll(() => nodesOf('k')).toHaveLength(2);
    await locks.close();
    await expect(pending).rejects.toBeInstanceOf(ZookeeperLockDestroyedError);
    expect(await nodesOf('k')).toEqual([]);
    await held.release(); // nothing left to do
    await expect(locks.acquire('k')).rejects.toBeInstanceOf(ZookeeperLockDestroyedError);
    // Another Locks object on the same servers is unaffected.
    await (await other.acquire('k')).release();
    await other.close();
  });
});
