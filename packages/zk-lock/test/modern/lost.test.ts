import diagnostics_channel from 'node:diagnostics_channel';
import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocks,
  DiagnosticChannels,
  ZookeeperLockLostError,
  type Locks,
  type LostMessage,
} from 'zk-lock';

// Pausing the server affects every session on it: this file has its own server, and each test
// resumes it before the next one.
let zk: ZooKeeper;
let locks: Locks;
const SESSION_TIMEOUT = 2000;

beforeAll(async () => {
  zk = await startZooKeeper();
});
afterAll(async () => {
  await zk?.close();
});
afterEach(async () => {
  zk.members[0]?.resume();
  await locks?.close();
});

const aborted = (signal: AbortSignal) =>
  new Promise<unknown>((resolve) =>
    signal.addEventListener('abort', () => resolve(signal.reason), { once: true }),
  );

describe('losing a held lock', () => {
  it('aborts lostSignal with a ZookeeperLockLostError within the session timeout of a silent server', async () => {
    locks = createLocks({ connect: zk.connectString, pathPrefix: 'lost-1', sessionTimeout: SESSION_TIMEOUT });
    const lostMessages: LostMessage[] = [];
    const onLost = (message: unknown) => lostMessages.push(message as LostMessage);
    diagnostics_channel.subscribe(DiagnosticChannels.lost, onLost);
    try {
      const lock = await locks.acquire('k');
      const paused = performance.now();
      zk.members[0]!.pause();
      const reason = await aborted(lock.lostSignal);
      const after = performance.now() - paused;
      expect(reason).toBeInstanceOf(ZookeeperLockLostError);
      // No later than the server could expire the session (plus timer slack), and not before
      // the liveness clock could have given up on it.
      expect(after).toBeLessThan(SESSION_TIMEOUT + 1000);
      expect(lostMessages).toHaveLength(1);
      expect(lostMessages[0]).toMatchObject({ key: 'k', node: lock.node, fencingToken: lock.fencingToken });
      expect(lostMessages[0]?.error).toBe(reason);
      // Nothing is left to release, and releasing is harmless.
      zk.members[0]!.resume();
      await lock.release();
      expect(lock.lostSignal.aborted).toBe(true);
    } finally {
      diagnostics_channel.unsubscribe(DiagnosticChannels.lost, onLost);
    }
  });

  it('aborts the signal withLock passes to fn', async () => {
    locks = createLocks({ connect: zk.connectString, pathPrefix: 'lost-2', sessionTimeout: SESSION_TIMEOUT });
    const reason = await locks.withLock('k', async (signal) => {
      zk.members[0]!.pause();
      return aborted(signal);
    });
    expect(reason).toBeInstanceOf(ZookeeperLockLostError);
  });

  it('lets the next acquisition run on a fresh session once the server is back', async () => {
    locks = createLocks({ connect: zk.connectString, pathPrefix: 'lost-3', sessionTimeout: SESSION_TIMEOUT });
    const lock = await locks.acquire('k');
    zk.members[0]!.pause();
    await aborted(lock.lostSignal);
    zk.members[0]!.resume();
    const again = await locks.acquire('k');
    expect(again.fencingToken).toBeGreaterThan(lock.fencingToken);
    await again.release();
  });
});

describe('losing the session while waiting', () => {
  it('rejects the acquisition with ZookeeperLockLostError', async () => {
    locks = createLocks({ connect: zk.connectString, pathPrefix: 'lost-4', sessionTimeout: SESSION_TIMEOUT });
    const other = createLocks({ connect: zk.connectString, pathPrefix: 'lost-4', sessionTimeout: 30_000 });
    try {
      const holder = await other.acquire('k');
      const waiting = locks.acquire('k');
      await expect.poll(async () => (await other.contenders('k')).length).toBe(2);
      zk.members[0]!.pause();
      await expect(waiting).rejects.toBeInstanceOf(ZookeeperLockLostError);
      zk.members[0]!.resume();
      await holder.release();
    } finally {
      await other.close();
    }
  });
});
