import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zookeeper from '@zk-lock/node-zookeeper-client';
import { startTcpProxy } from '@zk-lock/testkit';
import { describe, expect, it } from 'vitest';
import { createLocks, ZookeeperLock, type Leader } from 'zk-lock';
import { runCli } from './cli/cli-process.js';
import { configFor, freshPrefix, useZooKeeper } from './support/zookeeper.js';

/**
 * Lock parents as containers, end to end, on a server that checks its containers every 100 ms and
 * deletes all it finds (ZooKeeper's default: once a minute, at most 10 000 a minute).
 */
const server = useZooKeeper({
  systemProperties: { 'znode.container.checkIntervalMs': 100, 'znode.container.maxPerMinute': 1_000_000 },
});

const client = () => server().observer;
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const fallbackChild = fileURLToPath(new URL('./support/container-fallback-child.ts', import.meta.url));
const connect = () => server().zk.connectString;

type Callback<A> = (error: Error | zookeeper.Exception | null, value: A) => void;
const call = <A>(send: (done: Callback<A>) => void): Promise<A> =>
  new Promise((resolve, reject) => send((error, value) => (error ? reject(error) : resolve(value))));

const isNoNode = (error: unknown): boolean =>
  error instanceof zookeeper.Exception && error.getCode() === zookeeper.Exception.NO_NODE;

/** Resolves once `path` is gone (an exists watch: woken by its deletion, not by polling). */
const deleted = (path: string): Promise<void> =>
  new Promise((resolve, reject) =>
    client().exists(
      path,
      (event) => {
        if (event.getType() === zookeeper.Event.NODE_DELETED) resolve();
      },
      (error, stat) => {
        if (error) reject(error);
        else if (!stat) resolve();
      },
    ),
  );

/**
 * Resolves once `path` has no children, woken by its child watch at each change; rejects with the
 * number left when that takes longer than `boundMs`.
 */
const childrenGone = (path: string, boundMs: number): Promise<void> =>
  new Promise((resolve, reject) => {
    let left = -1;
    const bound = setTimeout(
      () => reject(new Error(`${left} children of ${path} left after ${boundMs} ms`)),
      boundMs,
    );
    const look = (): void =>
      client().getChildren(path, look, (error, children) => {
        if (error) {
          clearTimeout(bound);
          reject(error);
          return;
        }
        left = children.length;
        if (left > 0) return;
        clearTimeout(bound);
        resolve();
      });
    look();
  });

/** The Stat of `path`; rejects when there is no such node. */
const statOf = async (path: string): Promise<zookeeper.Stat> => {
  const stat = await call<zookeeper.Stat | null>((done) => client().exists(path, done));
  if (stat === null) throw new Error(`${path} does not exist`);
  return stat;
};

const childCount = async (path: string): Promise<number> => (await statOf(path)).numChildren;

const czxidOf = async (path: string): Promise<bigint> => (await statOf(path)).czxid.readBigUInt64BE();

describe('lock parents as containers', () => {
  it('1000 distinct keys locked and unlocked leave no lock parent once the container check ran; persistent ones stay', async () => {
    const kept = configFor(server(), { parentNodes: 'persistent' });
    const keptLocks = Array.from({ length: 20 }, () => new ZookeeperLock(kept));
    await Promise.all(keptLocks.map((lock, i) => lock.lock(`k${i}`)));
    await Promise.all(keptLocks.map((lock) => lock.unlock()));

    const config = configFor(server()); // container by default
    const locks = Array.from({ length: 1000 }, () => new ZookeeperLock(config));
    await Promise.all(locks.map((lock, i) => lock.lock(`k${i}`)));
    expect(await childCount(`/locks/${config.pathPrefix}`)).toBe(1000);
    await Promise.all(locks.map((lock) => lock.unlock()));

    await childrenGone(`/locks/${config.pathPrefix}`, 30_000);
    // The checks that took all 1000 saw the persistent parents empty too, and left them.
    expect(await childCount(`/locks/${kept.pathPrefix}`)).toBe(20);
    expect(await childCount('/locks')).toBeGreaterThanOrEqual(2); // the prefixes stay
  });

  it('fencing tokens keep increasing across the deletion and re-creation of the container', async () => {
    const locks = createLocks({ connect: connect(), pathPrefix: freshPrefix() });
    // Held throughout, on another key: the session stays, and with it what it saw of the parent,
    // so each new acquisition meets the container it saw deleted (NO_NODE, made again, retried).
    const anchor = await locks.acquire('anchor');
    const parent = locks.pathOf('k');
    const tokens: bigint[] = [];
    const czxids: bigint[] = [];
    for (let round = 0; round < 3; round++) {
      const lock = await locks.acquire('k', { timeout: 10_000 });
      tokens.push(lock.fencingToken);
      czxids.push(await czxidOf(parent));
      await lock.release();
      await deleted(parent);
    }
    await anchor.release();
    await locks.close();
    expect(tokens[1]! > tokens[0]! && tokens[2]! > tokens[1]!).toBe(true);
    // Each incarnation of the parent has its own, larger czxid: the token's high part.
    expect(czxids[1]! > czxids[0]! && czxids[2]! > czxids[1]!).toBe(true);
    expect(tokens.map((token) => token >> 32n)).toEqual(czxids);
  });

  it('a key whose parent is gone has no contenders, no leader, is not locked: no error', async () => {
    const prefix = freshPrefix();
    const locks = createLocks({ connect: connect(), pathPrefix: prefix });
    await (await locks.acquire('gone')).release();
    await deleted(locks.pathOf('gone'));

    expect(await locks.contenders('gone')).toEqual([]);
    expect(await locks.leader('gone')).toBeUndefined();
    const legacy = new ZookeeperLock(configFor(server(), { pathPrefix: prefix }));
    expect(await legacy.checkLocked('gone')).toBe(false);
    await legacy.destroy();
    const status = await runCli(['status', '--connect', connect(), '--prefix', prefix, 'gone']);
    expect(status).toMatchObject({
      code: 0,
      stdout: `/locks/${prefix}/gone: free (no holders, no waiters)\n`,
    });
    await locks.close();
  });

  it('an election observer goes on through its container’s deletion: nobody, then the next leader', async () => {
    const locks = createLocks({ connect: connect(), pathPrefix: freshPrefix() });
    const parent = locks.pathOf('election');
    const first = await locks.campaign('election', { value: 'first' });
    const observation = locks.observeLeader('election');
    const next = async (): Promise<Leader | undefined> =>
      (await observation.next()).value as Leader | undefined;
    expect((await next())?.value).toBe('first');
    await first.resign();
    expect(await next()).toBeUndefined();
    await deleted(parent);
    const second = await locks.campaign('election', { value: 'second' });
    // The next report is the new leader: the deletion itself changed nothing an observer reports.
    const leader = await next();
    expect(leader).toMatchObject({ value: 'second', fencingToken: second.fencingToken });
    expect(second.fencingToken > first.fencingToken).toBe(true);
    await observation.return?.();
    await second.resign();
    await locks.close();
  });

  it('the mixed-fleet race: a 2.x participant whose create follows its mkdirp fails when the container went in between', async () => {
    const locks = createLocks({ connect: connect(), pathPrefix: freshPrefix() });
    const parent = locks.pathOf('shared');
    await (await locks.acquire('shared')).release();
    // zk-lock 2.x: mkdirp finds the (empty) container ...
    await call<string>((done) => client().mkdirp(parent, done));
    await deleted(parent); // ... the server deletes it ...
    // ... and 2.x's create of its lock node fails: 2.x rejects its lock() with that error.
    const create = call<string>((done) =>
      client().create(
        `${parent}/lock-`,
        Buffer.from('lock'),
        zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
        done,
      ),
    );
    await expect(create.catch((error: unknown) => isNoNode(error))).resolves.toBe(true);
    // zk-lock 3 on the same key makes the parent again and holds.
    await (await locks.acquire('shared')).release();
    await locks.close();
  });

  it('a server without containers: the session falls back to persistent parents once and says so on NODE_DEBUG=zk-lock', async () => {
    // ZooKeeper 3.8 has containers: the proxy answers the first createContainer UNIMPLEMENTED, as
    // a server before 3.5.3 would (the server did create that one).
    const proxy = await startTcpProxy({ target: connect() });
    const prefix = freshPrefix();
    await call<string>((done) => client().mkdirp(`/locks/${prefix}`, done));
    const rewritten = proxy.failNextReply(19, zookeeper.Exception.UNIMPLEMENTED);
    // util.debuglog reads NODE_DEBUG when the process starts, so the locks run in their own.
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', fallbackChild, proxy.address, prefix],
      { cwd: repo, env: { ...process.env, NODE_DEBUG: 'zk-lock' }, timeout: 30_000 },
    );
    await rewritten;
    await proxy.close();
    const said = stderr.match(
      /the ZooKeeper server has no container nodes \(ZooKeeper UNIMPLEMENTED\[-6\] \(\/locks\/[^)]+\/first\)\); lock parents are created persistent on this session from now on/g,
    );
    expect(said, stderr).toHaveLength(1);
    // The first parent is the server's container, the second was made persistent: once the
    // server has deleted the first, the second is still there.
    await deleted(`/locks/${prefix}/first`);
    expect(await childCount(`/locks/${prefix}/second`)).toBe(0);
  });

  it('ZooKeeper 3.4 also closes the connection after UNIMPLEMENTED: the lock still gets its node, on the same session', async () => {
    // 3.4's UnimplementedRequestProcessor answers and then closes the connection (not the
    // session): the proxy cuts every connection once the rewritten reply went out.
    const proxy = await startTcpProxy({ target: connect() });
    const prefix = freshPrefix();
    await call<string>((done) => client().mkdirp(`/locks/${prefix}`, done));
    void proxy.failNextReply(19, zookeeper.Exception.UNIMPLEMENTED).then(() => proxy.cutAll());
    const locks = createLocks({ connect: proxy.address, pathPrefix: prefix });
    const first = await locks.acquire('first', { timeout: 20_000 });
    const second = await locks.acquire('second', { timeout: 20_000 });
    expect(second.fencingToken >> 32n).toBe(await czxidOf(`/locks/${prefix}/second`));
    await second.release();
    await first.release();
    await locks.close();
    await proxy.close();
  });
});
