import { afterEach, describe, expect, it } from 'vitest';
import { createLocks, ZookeeperLockAlreadyLockedError, type LockHandle, type Locks } from 'zk-lock';
import { useZooKeeper } from '../support/zookeeper.js';
import { childrenOf } from './zk.js';

const server = useZooKeeper();
let locks: Locks;
let prefix = 0;

afterEach(async () => {
  await locks?.close();
});

const newLocks = () => createLocks({ connect: server().zk.connectString, pathPrefix: `rw-${++prefix}` });
const nodesOf = (key: string) => childrenOf(server().observer, locks.pathOf(key));

/** Records the order in which pending locks are granted. */
const granted: string[] = [];
const track = (name: string, pending: Promise<LockHandle>) =>
  pending.then((lock) => {
    granted.push(name);
    return lock;
  });

describe('read/write locks', () => {
  it('lets many readers hold at once, as read- nodes', async () => {
    locks = newLocks();
    const readers = await Promise.all([locks.readLock('k'), locks.readLock('k'), locks.readLock('k')]);
    expect(readers.map((r) => r.kind)).toEqual(['read', 'read', 'read']);
    expect(await nodesOf('k')).toEqual(readers.map((r) => r.node).sort());
    expect(readers.every((r) => r.node.startsWith('read-'))).toBe(true);
    await Promise.all(readers.map((r) => r.release()));
  });

  it('gives a writer the lock alone: it waits for readers, and readers wait for it', async () => {
    locks = newLocks();
    const reader = await locks.readLock('k');
    await expect(locks.writeLock('k', { failImmediate: true })).rejects.toBeInstanceOf(
      ZookeeperLockAlreadyLockedError,
    );
    await reader.release();
    const writer = await locks.writeLock('k');
    expect(writer.node).toMatch(/^lock-/);
    await expect(locks.readLock('k', { failImmediate: true })).rejects.toBeInstanceOf(
      ZookeeperLockAlreadyLockedError,
    );
    await expect(locks.writeLock('k', { failImmediate: true })).rejects.toBeInstanceOf(
      ZookeeperLockAlreadyLockedError,
    );
    // An exclusive lock and a write lock are the same on the wire: they exclude each other.
    await expect(locks.acquire('k', { failImmediate: true })).rejects.toBeInstanceOf(
      ZookeeperLockAlreadyLockedError,
    );
    await writer.release();
  });

  it('does not starve a writer: readers arriving after it queue behind it', async () => {
    locks = newLocks();
    granted.length = 0;
    const first = await locks.readLock('k');
    const writer = track('writer', locks.writeLock('k'));
    await expect.poll(() => nodesOf('k')).toHaveLength(2);
    const lateReader = track('late reader', locks.readLock('k'));
    await expect.poll(() => nodesOf('k')).toHaveLength(3);
    // The first reader still holds; the late reader does not join it but waits behind the writer.
    expect(granted).toEqual([]);
    await first.release();
    await (await writer).release();
    await (await lateReader).release();
    expect(granted).toEqual(['writer', 'late reader']);
  });

  it('lets the readers queued behind a writer in together once it leaves', async () => {
    locks = newLocks();
    const writer = await locks.writeLock('k');
    const readers = [locks.readLock('k'), locks.readLock('k')];
    await expect.poll(() => nodesOf('k')).toHaveLength(3);
    await writer.release();
    const held = await Promise.all(readers);
    expect(await nodesOf('k')).toEqual(held.map((r) => r.node).sort());
    await Promise.all(held.map((r) => r.release()));
  });
});
