import { startTcpProxy, startZooKeeper, type TcpProxy, type ZooKeeper } from '@zk-lock/testkit';
import {
  SessionPool,
  ZkSession,
  createLockPort,
  resolveServers,
  type NodeStat,
  type WatchEvent,
  type ZkLockPort,
} from '@zk-lock/zookeeper';
import zookeeper from '@zk-lock/node-zookeeper-client';
import * as O from 'fp-ts/lib/Option.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CreateFlags, decodeCreated, encodeCreate, OpCode } from '../src/wire.js';
import { leftOf, rightOf } from './support/expect-either.js';
import { packetsReceived } from './support/zookeeper.js';

/**
 * CONTAINER nodes on a real server: the adapter's own createContainer request (opcode 19, create2's
 * payload and reply), containers as lock parents, the server reaping them, and the fallback to
 * persistent nodes when a server answers UNIMPLEMENTED. The server checks its containers every
 * 100 ms here (ZooKeeper's default is a minute) and deletes as many as it finds.
 */

const OPEN_ACL = [{ permission: zookeeper.Permission.ALL, id: { scheme: 'world', id: 'anyone' } }];

let zk: ZooKeeper;
let session: ZkSession;
const pool = new SessionPool();
const ports: ZkLockPort[] = [];
const others: Array<{ close(): Promise<unknown> }> = [];

const open = async (connectString: string): Promise<ZkSession> => {
  const opened = rightOf(
    await ZkSession.open(rightOf(await resolveServers(connectString)()), {
      sessionTimeout: 10_000,
      spinDelay: 100,
      auth: [],
      connectTimeoutMs: 10_000,
    })(),
  );
  others.push(opened);
  return opened;
};

const statOf = async (path: string): Promise<NodeStat | undefined> =>
  O.toUndefined(rightOf(await session.exists(path)()));

/** Resolves once `path` is deleted (an exists watch; at once when it is gone already). */
const deletion = async (path: string): Promise<void> => {
  let deleted: () => void = () => undefined;
  const event = new Promise<void>((resolve) => (deleted = resolve));
  const watcher = (watched: WatchEvent): void => {
    if (watched.type === 'deleted') deleted();
  };
  if (O.isNone(rightOf(await session.exists(path, watcher)()))) return;
  await event;
};

let references = 0;

/**
 * Which of `paths` the server treats as containers. A Stat cannot tell (ZooKeeper shows clients a
 * container's ephemeral owner as 0, as a persistent node's), so: each path gets a child and loses
 * it, which makes a container a candidate for deletion; then a reference container is used and
 * emptied the same way, after them. Once the server has deleted the reference, a check has run
 * that saw every path empty: the containers among them are gone, the persistent nodes are there.
 */
const containers = async (paths: ReadonlyArray<string>): Promise<boolean[]> => {
  const used = async (path: string): Promise<void> => {
    const child = rightOf(await session.create(`${path}/probe-`, { mode: 'ephemeral-sequential' })());
    rightOf(await session.remove(child)());
  };
  for (const path of paths) await used(path);
  const reference = `/reference-${++references}`;
  rightOf(await session.create(reference, { mode: 'container' })());
  await used(reference);
  await deletion(reference);
  return Promise.all(paths.map(async (path) => (await statOf(path)) === undefined));
};

beforeAll(async () => {
  zk = await startZooKeeper({
    systemProperties: { 'znode.container.checkIntervalMs': 100, 'znode.container.maxPerMinute': 1_000_000 },
  });
  session = await open(zk.connectString);
});

afterEach(async () => {
  await Promise.all(ports.splice(0).map((port) => port.disconnect()));
});

afterAll(async () => {
  await Promise.all(others.map((each) => each.close()));
  await session?.close();
  await pool.close();
  await zk?.close();
});

describe('the createContainer request', () => {
  it('creates a container under opcode 19; its reply names the path first', async () => {
    const frame = encodeCreate('/wire-container', Buffer.from('x'), OPEN_ACL, CreateFlags.container);
    expect(frame.readInt32BE(8)).toBe(19);
    const reply = await new Promise<{ path: string | undefined }>((resolve, reject) =>
      session.client.queueEncoded(frame, decodeCreated, (error, value) =>
        error || value === undefined ? reject(error ?? new Error('no reply')) : resolve(value),
      ),
    );
    expect(reply.path).toBe('/wire-container');
    expect(await statOf('/wire-container')).toMatchObject({ dataLength: 1, numChildren: 0, version: 0 });
    expect(await containers(['/wire-container'])).toEqual([true]);
  });

  it('is a session’s create in mode container; an existing node is NODE_EXISTS, a missing parent NO_NODE', async () => {
    expect(rightOf(await session.create('/session-container', { mode: 'container' })())).toBe(
      '/session-container',
    );
    expect(leftOf(await session.create('/session-container', { mode: 'container' })()).code).toBe(
      'NODE_EXISTS',
    );
    expect(leftOf(await session.create('/none/container', { mode: 'container' })()).code).toBe('NO_NODE');
    rightOf(await session.create('/session-persistent')());
    expect(await containers(['/session-container', '/session-persistent'])).toEqual([true, false]);
    expect(session.containers).toBe(true);
  });

  it('mkdirp makes the leaf a container and its ancestors persistent', async () => {
    rightOf(await session.mkdirp('/tree/a/b', { leaf: 'container' })());
    rightOf(await session.mkdirp('/tree/a/b', { leaf: 'container' })()); // existing: fine
    expect(await containers(['/tree/a/b', '/tree/a', '/tree'])).toEqual([true, false, false]);
  });

  it('the server deletes a container once it is empty after having had a child, and no other', async () => {
    rightOf(await session.mkdirp('/reap/used', { leaf: 'container' })());
    rightOf(await session.create('/reap/unused', { mode: 'container' })());
    const child = rightOf(await session.create('/reap/used/lock-', { mode: 'ephemeral-sequential' })());
    rightOf(await session.remove(child)());
    await deletion('/reap/used');
    // The same check found the never used one no candidate, and the persistent ancestor neither.
    expect(await statOf('/reap/unused')).toBeDefined();
    expect(await statOf('/reap')).toBeDefined();
  });
});

describe('a server without containers (UNIMPLEMENTED, as from ZooKeeper before 3.5.3)', () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startTcpProxy({ target: zk.connectString });
    others.push(proxy);
  });

  it('the session falls back to persistent nodes, once: the next containers are never asked for', async () => {
    rightOf(await session.mkdirp('/fallback')());
    const behind = await open(proxy.address);
    // The proxy rewrites the reply to the next createContainer (the server did create it).
    const rewritten = proxy.failNextReply(OpCode.createContainer, zookeeper.Exception.UNIMPLEMENTED);
    rightOf(await behind.mkdirp('/fallback/first', { leaf: 'container' })());
    await rewritten;
    expect(behind.containers).toBe(false);
    // From now on this session creates persistent nodes where containers are asked for.
    expect(rightOf(await behind.create('/fallback/second', { mode: 'container' })())).toBe(
      '/fallback/second',
    );
    rightOf(await behind.mkdirp('/fallback/third', { leaf: 'container' })());
    // The first one the server did create as a container (only its reply was rewritten).
    expect(await containers(['/fallback/first', '/fallback/second', '/fallback/third'])).toEqual([
      true,
      false,
      false,
    ]);
    // Another session still asks.
    expect(session.containers).toBe(true);
  });

  it('a lock port behind it still creates its nodes, and its parents persistent', async () => {
    const port = createLockPort({ serverLocator: proxy.address, sessionTimeout: 10_000, pool });
    ports.push(port);
    rightOf(await port.connect()());
    rightOf(await port.createParents('/locks/fallback', 'persistent')());
    const rewritten = proxy.failNextReply(OpCode.createContainer, zookeeper.Exception.UNIMPLEMENTED);
    const first = rightOf(
      await port.createSequentialAndList('/locks/fallback/a', 'lock-', 'x', 'container')(),
    );
    await rewritten;
    expect(rightOf(first.listing).children).toEqual([first.node]);
    const second = rightOf(
      await port.createSequentialAndList('/locks/fallback/b', 'lock-', 'x', 'container')(),
    );
    expect(rightOf(second.listing).children).toEqual([second.node]);
    rightOf(await port.remove(`/locks/fallback/a/${first.node}`)());
    rightOf(await port.remove(`/locks/fallback/b/${second.node}`)());
    expect(await containers(['/locks/fallback/a', '/locks/fallback/b'])).toEqual([true, false]);
  });
});

describe('containers as lock parents, through the lock port', () => {
  const port = async (): Promise<ZkLockPort> => {
    const created = createLockPort({ serverLocator: zk.connectString, sessionTimeout: 10_000, pool });
    ports.push(created);
    rightOf(await created.connect()());
    return created;
  };

  it('the parent goes ahead of the first create as the machine asks: one request more, once', async () => {
    const lockPort = await port();
    rightOf(await lockPort.createParents('/locks/ahead', 'persistent')());
    expect(lockPort.parentHint('/locks/ahead/key')).toEqual({ nodes: 'container', seen: false });
    const before = await packetsReceived(zk);
    const first = rightOf(
      await lockPort.createSequentialAndList('/locks/ahead/key', 'lock-', 'x', 'container')(),
    );
    const between = await packetsReceived(zk);
    expect(between - before).toBe(3 + 1); // the parent's create, the node's, the listing; + the mntr itself
    expect(lockPort.parentHint('/locks/ahead/key')).toEqual({ nodes: 'container', seen: true });
    // The steady state: no parent create (the machine asks for none once the session saw it).
    const second = rightOf(await lockPort.createSequentialAndList('/locks/ahead/key', 'lock-', 'x')());
    expect((await packetsReceived(zk)) - between).toBe(2 + 1);
    expect([...rightOf(second.listing).children].sort()).toEqual([first.node, second.node]);
    for (const { node } of [first, second]) rightOf(await lockPort.remove(`/locks/ahead/key/${node}`)());
    await deletion('/locks/ahead/key'); // a container: reaped once empty
  });

  it('a seen parent that the server reaped: the create answers NO_NODE and the hint forgets it', async () => {
    const lockPort = await port();
    rightOf(await lockPort.createParents('/locks/reaped/key', 'container')());
    const created = rightOf(await lockPort.createSequentialAndList('/locks/reaped/key', 'lock-', 'x')());
    rightOf(await lockPort.remove(`/locks/reaped/key/${created.node}`)());
    expect(lockPort.parentHint('/locks/reaped/key').seen).toBe(true);
    await deletion('/locks/reaped/key');
    expect(leftOf(await lockPort.createSequentialAndList('/locks/reaped/key', 'lock-', 'x')()).code).toBe(
      'NO_NODE',
    );
    expect(lockPort.parentHint('/locks/reaped/key').seen).toBe(false);
  });

  it('persistent parents as configured stay', async () => {
    const lockPort = createLockPort({
      serverLocator: zk.connectString,
      sessionTimeout: 10_000,
      pool,
      parentNodes: 'persistent',
    });
    ports.push(lockPort);
    rightOf(await lockPort.connect()());
    rightOf(await lockPort.createParents('/locks/kept', 'persistent')());
    const hint = lockPort.parentHint('/locks/kept/key');
    expect(hint).toEqual({ nodes: 'persistent', seen: false });
    const created = rightOf(
      await lockPort.createSequentialAndList('/locks/kept/key', 'lock-', 'x', hint.nodes)(),
    );
    rightOf(await lockPort.remove(`/locks/kept/key/${created.node}`)());
    expect(await containers(['/locks/kept/key'])).toEqual([false]);
  });

  it('refuses a bad parentNodes option naming it, before anything is sent', async () => {
    const lockPort = createLockPort({
      serverLocator: zk.connectString,
      pool,
      parentNodes: 'ephemeral' as 'container',
    });
    expect(O.isNone(lockPort.connectNow())).toBe(true);
    expect(leftOf(await lockPort.connect()())).toMatchObject({
      code: 'BAD_ARGUMENTS',
      message: `parentNodes: expected 'container' or 'persistent', got "ephemeral"`,
    });
  });
});
