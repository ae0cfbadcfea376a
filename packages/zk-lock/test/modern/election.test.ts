import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connectRaw, startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import zookeeper from '@zk-lock/node-zookeeper-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocks,
  ZookeeperLockArgumentError,
  ZookeeperLockLostError,
  ZookeeperLockNotLeaderError,
  ZookeeperLockTimeoutError,
  ZookeeperLockVersionMismatchError,
  type Leader,
  type Locks,
} from 'zk-lock';
import { childrenOf, createLegacyLockNode, mkdirp } from './zk.js';

let zk: ZooKeeper;
let raw: zookeeper.Client;
const open: Locks[] = [];
let prefixes = 0;

/** A `Locks` on a prefix of its own (so tests never see each other's nodes), closed after the test. */
const newLocks = (sessionTimeout = 10_000): Locks => {
  const locks = createLocks({
    connect: zk.connectString,
    pathPrefix: `election-${++prefixes}`,
    sessionTimeout,
  });
  open.push(locks);
  return locks;
};

beforeAll(async () => {
  zk = await startZooKeeper();
  raw = await connectRaw(zk.connectString);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((locks) => locks.close()));
});
afterAll(async () => {
  raw?.close();
  await zk?.close();
});

const dataOf = (path: string): Promise<{ data: string; version: number }> =>
  new Promise((resolve, reject) =>
    raw.getData(path, (error, data, stat) =>
      error ? reject(error) : resolve({ data: data.toString('utf8'), version: stat.version }),
    ),
  );

/** Takes the next `count` reports of an observation. */
const take = async (
  observation: AsyncIterator<Leader | undefined>,
  count: number,
): Promise<Array<Leader | undefined>> => {
  const reports: Array<Leader | undefined> = [];
  while (reports.length < count) {
    const next = await observation.next();
    if (next.done === true) break;
    reports.push(next.value);
  }
  return reports;
};

describe('campaign', () => {
  it('leads with a mutex node that carries the value, and leader() reports it', async () => {
    const locks = newLocks();
    const leadership = await locks.campaign('scheduler', { value: '10.0.0.7:8080' });
    expect(leadership.path).toMatch(/^\/locks\/election-\d+\/scheduler\/lock-\d{10}$/);
    expect(leadership.fencingToken).toBeGreaterThan(0n);
    expect(leadership.value).toBe('10.0.0.7:8080');
    expect(leadership.sessionId).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.parse((await dataOf(leadership.path)).data)).toMatchObject({
      pid: process.pid,
      value: '10.0.0.7:8080',
    });
    expect(await locks.leader('scheduler')).toEqual({
      key: 'scheduler',
      node: leadership.node,
      path: leadership.path,
      sequence: Number(leadership.node.slice(5)),
      fencingToken: leadership.fencingToken,
      value: '10.0.0.7:8080',
      owner: expect.objectContaining({ pid: process.pid, value: '10.0.0.7:8080' }),
    });
    await leadership.resign();
    expect(await childrenOf(raw, locks.pathOf('scheduler'))).toEqual([]);
    expect(await locks.leader('scheduler')).toBeUndefined();
  });

  it('makes the next campaigner wait, and resign() hands over at once with a larger token', async () => {
    const locks = newLocks();
    const first = await locks.campaign('k', { value: 'a' });
    const second = locks.campaign('k', { value: 'b' });
    let secondLeads = false;
    void second.then(() => (secondLeads = true));
    // The second campaigner's node is in line behind the leader's.
    await expect.poll(() => childrenOf(raw, locks.pathOf('k'))).toHaveLength(2);
    expect(secondLeads).toBe(false);
    expect((await locks.leader('k'))?.value).toBe('a');
    await first.resign();
    const next = await second;
    expect(next.fencingToken).toBeGreaterThan(first.fencingToken);
    expect((await locks.leader('k'))?.value).toBe('b');
    expect(first.lostSignal.aborted).toBe(false);
    await next[Symbol.asyncDispose]();
    expect(await childrenOf(raw, locks.pathOf('k'))).toEqual([]);
  });

  it('gives up on its timeout or signal, leaving no node behind', async () => {
    const locks = newLocks();
    const leader = await locks.campaign('busy');
    await expect(locks.campaign('busy', { timeout: 200 })).rejects.toBeInstanceOf(ZookeeperLockTimeoutError);
    const controller = new AbortController();
    const aborted = locks.campaign('busy', { signal: controller.signal });
    await expect.poll(() => childrenOf(raw, locks.pathOf('busy'))).toHaveLength(2);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(await childrenOf(raw, locks.pathOf('busy'))).toEqual([leader.node]);
  });

  it('refuses bad input with a typed error naming the field, before anything reaches the server', async () => {
    const locks = newLocks();
    const field = async (promise: Promise<unknown>) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZookeeperLockArgumentError);
      return (error as ZookeeperLockArgumentError).field;
    };
    expect(await field(locks.campaign('k', { value: 42 as unknown as string }))).toBe('value');
    expect(await field(locks.campaign('k', { value: 'x'.repeat(64 * 1024 + 1) }))).toBe('value');
    expect(await field(locks.campaign('k', { timeout: -1 }))).toBe('timeout');
    expect(await field(locks.campaign('', {}))).toBe('key');
    expect(await field(locks.leader('a//b'))).toBe('key');
    expect(() => locks.observeLeader('k', { signal: 'no' as unknown as AbortSignal })).toThrow(
      ZookeeperLockArgumentError,
    );
    expect(await childrenOf(raw, '/locks')).not.toContain(`election-${prefixes}`);
  });
});

describe('proclaim', () => {
  it('publishes a new value with a write conditional on the version it wrote last', async () => {
    const locks = newLocks();
    const leadership = await locks.campaign('k', { value: 'v0' });
    const created = JSON.parse((await dataOf(leadership.path)).data) as { createdAt: number };
    await Promise.all([leadership.proclaim('v1'), leadership.proclaim('v2')]);
    expect(leadership.value).toBe('v2');
    const after = await dataOf(leadership.path);
    expect(after.version).toBe(2);
    expect(JSON.parse(after.data)).toMatchObject({
      value: 'v2',
      createdAt: created.createdAt,
      pid: process.pid,
    });
    expect((await locks.leader('k'))?.value).toBe('v2');
  });

  it('fails with ZookeeperLockVersionMismatchError when someone else changed the node, and writes nothing', async () => {
    const locks = newLocks();
    const leadership = await locks.campaign('k', { value: 'mine' });
    await new Promise<void>((resolve, reject) =>
      raw.setData(leadership.path, Buffer.from('tampered'), -1, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    const error = await leadership.proclaim('next').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZookeeperLockVersionMismatchError);
    expect(error).toMatchObject({ path: leadership.path, expectedVersion: 0 });
    expect((await dataOf(leadership.path)).data).toBe('tampered');
    expect(leadership.value).toBe('mine');
  });

  it('fails with ZookeeperLockNotLeaderError after resign, and names a bad value', async () => {
    const locks = newLocks();
    const leadership = await locks.campaign('k');
    await expect(leadership.proclaim(7 as unknown as string)).rejects.toMatchObject({ field: 'value' });
    await leadership.resign();
    await expect(leadership.proclaim('late')).rejects.toBeInstanceOf(ZookeeperLockNotLeaderError);
  });
});

describe('leader()', () => {
  it('reports nobody for a missing parent or a reader in front, and an unknown owner for a 2.x node', async () => {
    const locks = newLocks();
    expect(await locks.leader('none')).toBeUndefined();
    const parent = locks.pathOf('mixed');
    await mkdirp(raw, parent);
    const reader = await locks.readLock('mixed');
    expect(await locks.leader('mixed')).toBeUndefined();
    await reader.release();
    const legacy = await createLegacyLockNode(raw, parent);
    expect(await locks.leader('mixed')).toMatchObject({ node: legacy, value: undefined, owner: undefined });
  });
});

describe('observeLeader', () => {
  it('yields the current leader at once, then each change: value, successor, nobody', async () => {
    const locks = newLocks();
    const observation = locks.observeLeader('k');
    expect(await take(observation, 1)).toEqual([undefined]);
    const a = await locks.campaign('k', { value: 'a' });
    const b = locks.campaign('k', { value: 'b' });
    const [first] = await take(observation, 1);
    expect(first).toMatchObject({ node: a.node, value: 'a', fencingToken: a.fencingToken });
    await a.proclaim('a2');
    expect(await take(observation, 1)).toEqual([expect.objectContaining({ node: a.node, value: 'a2' })]);
    await a.resign();
    const leaderB = await b;
    expect(await take(observation, 1)).toEqual([
      expect.objectContaining({ node: leaderB.node, value: 'b', fencingToken: leaderB.fencingToken }),
    ]);
    await leaderB.resign();
    expect(await take(observation, 1)).toEqual([undefined]);
    await observation.return?.();
    expect(await observation.next()).toEqual({ done: true, value: undefined });
  });

  it('ends on break and on Locks.close(), and an aborted signal rejects the pending next()', async () => {
    const locks = newLocks();
    const seen: Array<Leader | undefined> = [];
    for await (const leader of locks.observeLeader('k')) {
      seen.push(leader);
      break;
    }
    expect(seen).toEqual([undefined]);
    const controller = new AbortController();
    const aborting = locks.observeLeader('k', { signal: controller.signal });
    await aborting.next();
    const pending = aborting.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const closing = locks.observeLeader('k');
    await closing.next();
    const ended = closing.next();
    await locks.close();
    expect(await ended).toEqual({ done: true, value: undefined });
  });

  it('holds nothing once closed, although ZooKeeper keeps its watches until they fire', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const locks = newLocks();
    const leader = await locks.campaign('k');
    // A second campaigner, so that the observation watches a waiter's node as well as the leader's.
    const waiter = locks.campaign('k');
    await expect.poll(() => childrenOf(raw, locks.pathOf('k'))).toHaveLength(2);
    // Observes, then closes the observation and drops every reference to it but a weak one.
    const observeAndClose = async (): Promise<WeakRef<object>> => {
      const observation = locks.observeLeader('k');
      expect(await take(observation, 1)).toEqual([expect.objectContaining({ node: leader.node })]);
      await observation.return?.();
      return new WeakRef(observation);
    };
    const collected = await observeAndClose();
    // Its watches on both nodes and on the parent are still registered with the session's client.
    for (let i = 0; i < 10 && collected.deref() !== undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc();
    }
    expect(collected.deref()).toBeUndefined();
    // Let them fire: they call into a closed gate.
    await leader.resign();
    await (await waiter).resign();
  });
});

describe('Locks.close()', () => {
  it('resigns every leadership: its lostSignal never aborts afterwards, even past the session timeout', async () => {
    const sessionTimeout = 2000;
    const locks = newLocks(sessionTimeout);
    const leadership = await locks.campaign('k');
    await locks.close();
    expect(await childrenOf(raw, locks.pathOf('k'))).toEqual([]);
    const until = performance.now() + sessionTimeout + 500;
    while (performance.now() < until) {
      // busy: past the deadline of the session that held the leadership
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(leadership.lostSignal.aborted).toBe(false);
    await expect(leadership.proclaim('late')).rejects.toBeInstanceOf(ZookeeperLockNotLeaderError);
  });
});

describe('a leader paused past its session timeout', () => {
  it('learns of the loss in the first callback of its own that runs', async () => {
    const sessionTimeout = 2000;
    const locks = newLocks(sessionTimeout);
    const leadership = await locks.campaign('k');
    const ticks: Array<{ isLeading: boolean; abortedAfterTick: boolean }> = [];
    let blockedUntil = 0;
    const lost = new Promise<number>((resolve) =>
      leadership.lostSignal.addEventListener('abort', () => resolve(performance.now()), { once: true }),
    );
    const timer = setInterval(() => {
      if (blockedUntil > 0 && performance.now() >= blockedUntil) {
        const isLeading = leadership.isLeading;
        // Runs right after this callback, before any other: the loss is declared by then.
        queueMicrotask(() => ticks.push({ isLeading, abortedAfterTick: leadership.lostSignal.aborted }));
      }
    }, 10);
    // The usual way to stop a leader's work: safe also when the loss is found entering this timer.
    leadership.lostSignal.addEventListener('abort', () => clearInterval(timer), { once: true });
    try {
      // The event loop is blocked well past the session's deadline, as in a long GC pause.
      blockedUntil = performance.now() + sessionTimeout + 1000;
      while (performance.now() < blockedUntil) {
        // busy
      }
      expect(await lost).toBeGreaterThanOrEqual(blockedUntil);
      expect(leadership.lostSignal.reason).toBeInstanceOf(ZookeeperLockLostError);
      await expect.poll(() => ticks.length).toBeGreaterThan(0);
      expect(ticks).toEqual([{ isLeading: false, abortedAfterTick: true }]);
    } finally {
      clearInterval(timer);
    }
  });
});
