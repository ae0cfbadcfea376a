import { waitFor } from '@zk-lock/testkit';
import { createLockPort, defaultPool, SessionWindow, type WindowTicket } from '@zk-lock/zookeeper';
import { describe, expect, it, vi } from 'vitest';
import {
  ZookeeperLock,
  ZookeeperLockCancelledError,
  ZookeeperLockDestroyedError,
  ZookeeperLockTimeoutError,
} from 'zk-lock';
import { LockDriver } from '../src/lock-driver.js';
import { configFor, freshPrefix, lockNodes, useZooKeeper } from './support/zookeeper.js';

const server = useZooKeeper();

const connectString = (): string => `127.0.0.1:${server().location.port}`;

/** A driver on its own port and `window`, for a fresh lock parent. */
const driverIn = (window: SessionWindow, parentPath: string, timeoutMs = 0): LockDriver =>
  new LockDriver({
    port: createLockPort({ serverLocator: connectString(), sessionTimeout: 15_000 }),
    parentPath,
    window,
    timeoutMs,
  });

/** A window of one, taken by an operation that leaves only when the test says so. */
const fullWindow = (): { window: SessionWindow; blocker: WindowTicket } => {
  const window = new SessionWindow(1);
  const blocker = window.ticket(() => undefined);
  blocker.enter();
  return { window, blocker };
};

describe('the session window', () => {
  it('holds 200 locks taken all at once on one session, with at most 32 busy with requests at a time', async () => {
    const config = configFor(server());
    // A locator function's servers are its resolved connect string: the same shared session, the same window.
    const window = defaultPool.windowNow({ serverLocator: connectString(), sessionTimeout: 15_000 });
    if (window === undefined) throw new Error('no window');
    let mostInside = 0;
    let mostWaiting = 0;
    const ticket = window.ticket.bind(window);
    vi.spyOn(window, 'ticket').mockImplementation((start) =>
      ticket(() => {
        mostInside = Math.max(mostInside, window.inside);
        mostWaiting = Math.max(mostWaiting, window.waiting);
        start();
      }),
    );

    const locks = Array.from({ length: 200 }, () => new ZookeeperLock(config));
    await Promise.all(locks.map((lock, i) => lock.lock(`key-${i}`)));

    expect(new Set(locks.map((lock) => lock.client?.getSessionId().toString('hex'))).size).toBe(1);
    expect(mostInside).toBe(32);
    expect(mostWaiting).toBeGreaterThan(100);
    expect([window.inside, window.waiting]).toEqual([0, 0]);
    await Promise.all(locks.map((lock) => lock.unlock()));
    expect([window.inside, window.waiting]).toEqual([0, 0]);
    const left = await Promise.all(
      locks.map((_, i) => lockNodes(server().observer, `/locks/${config.pathPrefix}/key-${i}`)),
    );
    expect(left.flat()).toEqual([]);
    vi.restoreAllMocks();
  });

  it('starts waiting acquisitions in call order', async () => {
    const { window, blocker } = fullWindow();
    const parent = `/locks/${freshPrefix()}/order`;
    const first = driverIn(window, parent);
    const second = driverIn(window, parent);
    expect(window.waiting).toBe(2);
    blocker.leave();
    await first.acquired;
    // The second started once the first held; it queued behind the first's node.
    await waitFor(() => Promise.resolve(second.node), { message: 'the second node created' });
    expect(second.held).toBe(false);
    expect(second.sequence).toBeGreaterThan(first.sequence ?? Infinity);
    await first.release();
    await second.acquired;
    await second.release();
    expect(await lockNodes(server().observer, parent)).toEqual([]);
  });

  it('times an acquisition out while it waits for its turn, without creating a node', async () => {
    const { window, blocker } = fullWindow();
    const parent = `/locks/${freshPrefix()}/waits-too-long`;
    const driver = driverIn(window, parent, 50);
    await expect(driver.acquired).rejects.toBeInstanceOf(ZookeeperLockTimeoutError);
    expect((await driver.ended)._tag).toBe('TimedOut');
    expect(window.waiting).toBe(0);
    expect(await lockNodes(server().observer, parent)).toEqual([]);
    blocker.leave();
    expect(window.inside).toBe(0);
  });

  it('cancels or destroys a waiting acquisition without a request, and the line moves on', async () => {
    const { window, blocker } = fullWindow();
    const parent = `/locks/${freshPrefix()}/given-up`;
    const cancelled = driverIn(window, parent);
    const destroyed = driverIn(window, parent);
    const next = driverIn(window, parent);
    cancelled.cancel();
    void destroyed.destroy();
    await expect(cancelled.acquired).rejects.toBeInstanceOf(ZookeeperLockCancelledError);
    await expect(destroyed.acquired).rejects.toBeInstanceOf(ZookeeperLockDestroyedError);
    expect(window.waiting).toBe(1);
    blocker.leave();
    await next.acquired;
    expect(await lockNodes(server().observer, parent)).toEqual([next.node]);
    await next.release();
    expect(await lockNodes(server().observer, parent)).toEqual([]);
  });

  it('holds a release until its turn: the node stays until the window has room', async () => {
    const window = new SessionWindow(1);
    const parent = `/locks/${freshPrefix()}/release-in-turn`;
    const driver = driverIn(window, parent);
    await driver.acquired;
    expect(window.inside).toBe(0); // a held lock leaves the window
    const blocker = window.ticket(() => undefined);
    blocker.enter();
    let released = false;
    const release = driver.release().then(() => {
      released = true;
    });
    expect(window.waiting).toBe(1);
    // The release is in line: nothing was sent, the node is still there.
    expect(await lockNodes(server().observer, parent)).toEqual([driver.node]);
    expect(released).toBe(false);
    blocker.leave();
    await release;
    expect(await lockNodes(server().observer, parent)).toEqual([]);
    expect([window.inside, window.waiting]).toEqual([0, 0]);
  });
});
