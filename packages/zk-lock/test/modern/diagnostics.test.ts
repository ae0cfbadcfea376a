import diagnostics_channel from 'node:diagnostics_channel';
import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocks,
  DiagnosticChannels,
  ZookeeperLockTimeoutError,
  type AcquiredMessage,
  type GaveUpMessage,
  type Locks,
  type ReleasedMessage,
  type WaitMessage,
} from 'zk-lock';

let zk: ZooKeeper;
let locks: Locks;

beforeAll(async () => {
  zk = await startZooKeeper();
});
afterAll(async () => {
  await zk?.close();
});

/** Every message of every zk-lock channel, in publication order, tagged with its channel. */
const published: { channel: string; message: unknown }[] = [];
const listeners = Object.values(DiagnosticChannels).map((channel) => {
  const listener = (message: unknown) => published.push({ channel, message });
  return { channel, listener };
});

beforeAll(() => {
  for (const { channel, listener } of listeners) diagnostics_channel.subscribe(channel, listener);
});
afterAll(() => {
  for (const { channel, listener } of listeners) diagnostics_channel.unsubscribe(channel, listener);
});
afterEach(async () => {
  await locks?.close();
  published.length = 0;
});

describe('diagnostics_channel events', () => {
  it('publishes wait, acquired and released with the lock, its attempt and durations', async () => {
    locks = createLocks({ connect: zk.connectString, pathPrefix: 'diagnostics-1' });
    const lock = await locks.acquire('k');
    await lock.release();
    expect(published.map((p) => p.channel)).toEqual(['zk-lock:wait', 'zk-lock:acquired', 'zk-lock:released']);
    const [wait, acquired, released] = published.map((p) => p.message) as [
      WaitMessage,
      AcquiredMessage,
      ReleasedMessage,
    ];
    const common = { key: 'k', path: '/locks/diagnostics-1/k', kind: 'exclusive', lockId: wait.lockId };
    expect(wait).toEqual(common);
    expect(acquired).toEqual({
      ...common,
      node: lock.node,
      fencingToken: lock.fencingToken,
      waitMs: acquired.waitMs,
    });
    expect(released).toEqual({
      ...common,
      node: lock.node,
      fencingToken: lock.fencingToken,
      heldMs: released.heldMs,
    });
    expect(acquired.waitMs).toBeGreaterThan(0);
    expect(released.heldMs).toBeGreaterThan(0);
  });

  it('publishes gave-up with the reason and the error when an acquisition ends without the lock', async () => {
    locks = createLocks({ connect: zk.connectString, pathPrefix: 'diagnostics-2' });
    const holder = await locks.acquire('k');
    published.length = 0;
    const error = await locks.acquire('k', { timeout: 200 }).catch((e: unknown) => e);
    await locks.acquire('k', { failImmediate: true }).catch(() => undefined);
    await locks.acquire('k', { signal: AbortSignal.timeout(200) }).catch(() => undefined);
    const gaveUp = published
      .filter((p) => p.channel === 'zk-lock:gave-up')
      .map((p) => p.message as GaveUpMessage);
    expect(gaveUp.map((m) => m.reason)).toEqual(['timeout', 'alreadyLocked', 'aborted']);
    expect(gaveUp[0]?.error).toBe(error);
    expect(gaveUp[0]?.error).toBeInstanceOf(ZookeeperLockTimeoutError);
    expect(gaveUp[0]?.waitMs).toBeGreaterThanOrEqual(200);
    expect(published.filter((p) => p.channel === 'zk-lock:acquired')).toEqual([]);
    await holder.release();
  });

  it('tags read and write locks with their kind', async () => {
    locks = createLocks({ connect: zk.connectString, pathPrefix: 'diagnostics-3' });
    await (await locks.readLock('k')).release();
    await (await locks.writeLock('k')).release();
    expect(
      published
        .filter((p) => p.channel === 'zk-lock:acquired')
        .map((p) => (p.message as AcquiredMessage).kind),
    ).toEqual(['read', 'write']);
  });
});
