import { connect, createServer, type AddressInfo } from 'node:net';
import { startTcpProxy, startZooKeeper, waitFor, type ZooKeeper } from '@zk-lock/testkit';
import {
  SessionPool,
  ZkSession,
  resolveServers,
  toZkFailure,
  type SessionSettings,
} from '@zk-lock/zookeeper';
import * as O from 'fp-ts/lib/Option.js';
import zookeeper from '@zk-lock/node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftOf, rightOf } from './support/expect-either.js';
import { packetsReceived } from './support/zookeeper.js';

const settings: SessionSettings = {
  sessionTimeout: 10_000,
  spinDelay: 100,
  auth: [],
  connectTimeoutMs: 10_000,
};

let zk: ZooKeeper;
let session: ZkSession;

const open = async (connectString: string, overrides: Partial<SessionSettings> = {}): Promise<ZkSession> =>
  rightOf(
    await ZkSession.open(rightOf(await resolveServers(connectString)()), { ...settings, ...overrides })(),
  );

beforeAll(async () => {
  zk = await startZooKeeper();
  session = await open(zk.connectString);
});

afterAll(async () => {
  await session?.close();
  await zk?.close();
});

/** Arms a getData watch; resolves once the server answered, with the promise of the watch's event. */
const armedDataWatch = async (path: string): Promise<{ readonly event: Promise<unknown> }> => {
  let fire: (event: unknown) => void = () => undefined;
  const event = new Promise((resolve) => (fire = resolve));
  rightOf(await session.getData(path, fire)());
  return { event }; // wrapped: an async function returning a promise would wait for the event
};

describe('ZkSession', () => {
  it('knows its session id (16 hex digits, the client’s) and the negotiated timeout', async () => {
    expect(session.sessionId).toMatch(/^[0-9a-f]{16}$/);
    expect(session.sessionId).toBe(session.client.getSessionId().toString('hex'));
    expect(session.info).toEqual({ sessionId: session.sessionId, sessionTimeoutMs: 10_000 });
    // The testkit's server caps session timeouts at 60 s: the negotiated value is what counts.
    const capped = await open(zk.connectString, { sessionTimeout: 90_000 });
    expect(capped.sessionTimeoutMs).toBe(60_000);
    await capped.close();
  });

  it('creates nodes in every mode, with data, and reads them back with their Stat', async () => {
    rightOf(await session.mkdirp('/session-test/modes')());
    const persistent = rightOf(await session.create('/session-test/modes/p', { data: 'hello' })());
    expect(persistent).toBe('/session-test/modes/p');
    const sequential = rightOf(
      await session.create('/session-test/modes/lock-', {
        mode: 'ephemeral-sequential',
        data: Buffer.from('x'),
      })(),
    );
    expect(sequential).toMatch(/^\/session-test\/modes\/lock-\d{10}$/);
    const { data, stat } = rightOf(await session.getData(persistent)());
    expect(data.toString()).toBe('hello');
    expect(stat.ephemeralOwner).toBe('0000000000000000');
    const ephemeral = rightOf(await session.getData(sequential)()).stat;
    expect(ephemeral.ephemeralOwner).toBe(session.sessionId);
    expect(typeof ephemeral.czxid).toBe('bigint');
    expect(ephemeral.czxid).toBeGreaterThan(stat.czxid);
  });

  it('lists children with the parent’s Stat (czxid as bigint)', async () => {
    rightOf(await session.mkdirp('/session-test/list')());
    rightOf(await session.create('/session-test/list/a')());
    rightOf(await session.create('/session-test/list/b')());
    const listing = rightOf(await session.getChildren('/session-test/list')());
    expect([...listing.children].sort()).toEqual(['a', 'b']);
    expect(listing.stat.czxid).toBe(rightOf(await session.getData('/session-test/list')()).stat.czxid);
    expect(listing.stat.numChildren).toBe(2);
  });

  it('answers exists with an Option and fires a watch on creation', async () => {
    expect(rightOf(await session.exists('/session-test/later')())).toEqual(O.none);
    const fired = new Promise((resolve) => void session.exists('/session-test/later', resolve)());
    rightOf(await session.create('/session-test/later')());
    expect(await fired).toEqual({ type: 'created', path: '/session-test/later' });
    expect(O.isSome(rightOf(await session.exists('/session-test/later')()))).toBe(true);
  });

  it('fires a getData watch on data change and on deletion', async () => {
    rightOf(await session.create('/session-test/watched')());
    // Each watch is armed (its getData answered) before the other session acts: requests of two
    // sessions are not ordered, so a remove could overtake an unanswered getData and leave no watch.
    const changed = (await armedDataWatch('/session-test/watched')).event;
    const other = await open(zk.connectString);
    await new Promise<void>((resolve, reject) =>
      other.client.setData('/session-test/watched', Buffer.from('new'), (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    expect(await changed).toEqual({ type: 'dataChanged', path: '/session-test/watched' });
    const deleted = (await armedDataWatch('/session-test/watched')).event;
    rightOf(await other.remove('/session-test/watched')());
    expect(await deleted).toEqual({ type: 'deleted', path: '/session-test/watched' });
    await other.close();
  });

  it('mkdirp creates the missing ancestors and costs one request when only the last is missing', async () => {
    rightOf(await session.mkdirp('/session-test/deep/a/b/c')());
    expect(O.isSome(rightOf(await session.exists('/session-test/deep/a/b/c')()))).toBe(true);
    rightOf(await session.mkdirp('/session-test/deep/a/b/c')()); // existing: fine
    const before = await packetsReceived(zk);
    rightOf(await session.mkdirp('/session-test/deep/a/b/d')());
    // +1 for the mntr request that reads the counter.
    expect((await packetsReceived(zk)) - before).toBe(2);
  });

  describe('maps failures to typed values naming the path', () => {
    it('NO_NODE', async () => {
      expect(leftOf(await session.getData('/session-test/missing')())).toEqual({
        _tag: 'ZkFailure',
        code: 'NO_NODE',
        path: '/session-test/missing',
        message: expect.stringContaining('NO_NODE'),
      });
      expect(leftOf(await session.remove('/session-test/missing')()).code).toBe('NO_NODE');
      expect(leftOf(await session.create('/session-test/missing/child')()).code).toBe('NO_NODE');
    });

    it('NODE_EXISTS', async () => {
      rightOf(await session.create('/session-test/twice')());
      expect(leftOf(await session.create('/session-test/twice')())).toMatchObject({
        code: 'NODE_EXISTS',
        path: '/session-test/twice',
      });
    });

    it('NOT_EMPTY', async () => {
      rightOf(await session.mkdirp('/session-test/full/child')());
      expect(leftOf(await session.remove('/session-test/full')())).toMatchObject({
        code: 'NOT_EMPTY',
        path: '/session-test/full',
      });
    });

    it('INVALID_ACL: a creator-only node from a session without credentials', async () => {
      expect(leftOf(await session.create('/session-test/mine', { acl: 'creator' })())).toMatchObject({
        code: 'INVALID_ACL',
        path: '/session-test/mine',
      });
    });

    it('BAD_ARGUMENTS: a path the client refuses before sending anything', async () => {
      for (const path of ['no-slash', '/trailing/', '/a//b', '/a/../b']) {
        expect(leftOf(await session.getData(path)())).toMatchObject({ code: 'BAD_ARGUMENTS', path });
      }
    });

    it('CONNECTION_LOSS: the connection drops under a request', async () => {
      const proxy = await startTcpProxy({ target: zk.connectString });
      const proxied = await open(proxy.address);
      proxy.blackhole();
      const pending = proxied.getData('/session-test')();
      proxy.cutAll();
      expect(leftOf(await pending)).toMatchObject({ code: 'CONNECTION_LOSS', path: '/session-test' });
      await proxied.close();
      await proxy.close();
    });

    it('CLOSED: a request after close', async () => {
      const closing = await open(zk.connectString);
      await closing.close();
      expect(closing.state).toBe('closed');
      expect(leftOf(await closing.getData('/')())).toMatchObject({ code: 'CLOSED', path: '/' });
    });

    it('UNKNOWN: anything else, with its message', () => {
      expect(toZkFailure(new Error('boom'), '/x')).toEqual({
        _tag: 'ZkFailure',
        code: 'UNKNOWN',
        path: '/x',
        message: 'boom (/x)',
      });
      const unmapped = new zookeeper.Exception(
        zookeeper.Exception.NO_CHILDREN_FOR_EPHEMERALS,
        'NO_CHILDREN_FOR_EPHEMERALS',
        '/y',
        () => undefined,
      );
      expect(toZkFailure(unmapped, '/y')).toMatchObject({
        code: 'UNKNOWN',
        message: expect.stringContaining('NO_CHILDREN_FOR_EPHEMERALS'),
      });
    });
  });

  it('drops a handshake the server never answers and tries again', async () => {
    // The proxy accepts the TCP connection but drops the connect request, as a server that is
    // still starting can (ZooKeeper 3.8.0 leaves such a connection open and silent). The connect
    // deadline is shorter than the server's own 10 s cleanup of connections without a session.
    const proxy = await startTcpProxy({ target: zk.connectString });
    proxy.blackhole();
    const opening = ZkSession.open(rightOf(await resolveServers(proxy.address)()), {
      ...settings,
      sessionTimeout: 3_000,
      connectTimeoutMs: 6_000,
    })();
    await waitFor(() => proxy.connections > 0, { message: 'a connection through the proxy' });
    proxy.restore();
    const session = rightOf(await opening);
    expect(session.state).toBe('live');
    await session.close();
    await proxy.close();
  });

  it('leaves nothing behind when the confirming request of a new session fails', async () => {
    // A proxy that passes the first connection's handshake and cuts it on the next packet (the
    // confirming request); later connections would pass, so a client that reconnects shows up.
    let connections = 0;
    const [target] = zk.connectString.split(',');
    const proxy = createServer((downstream) => {
      const first = ++connections === 1;
      const upstream = connect(Number(target?.split(':')[1]), '127.0.0.1');
      let packets = 0;
      downstream.on('data', (chunk) => {
        packets += 1;
        if (first && packets === 2) downstream.destroy();
        else upstream.write(chunk);
      });
      upstream.on('data', (chunk) => downstream.write(chunk));
      downstream.on('close', () => upstream.destroy());
      upstream.on('close', () => downstream.destroy());
      downstream.on('error', () => undefined);
      upstream.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const failure = leftOf(await ZkSession.open(rightOf(await resolveServers(address)()), settings)());
    expect(failure.code).toBe('CONNECTION_LOSS');
    // Nothing to wait for: the assertion is that no reconnect happens (it would within ms).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(connections).toBe(1);
    await new Promise((resolve) => proxy.close(resolve));
  });

  it('fails to open with CONNECTION_LOSS (not a hang) when no server answers', async () => {
    const pool = new SessionPool();
    const failure = leftOf(
      await pool.lease({ serverLocator: '127.0.0.1:1', sessionTimeout: 2_000, connectTimeoutMs: 500 })(),
    );
    expect(failure.code).toBe('CONNECTION_LOSS');
    expect(failure.message).toContain('127.0.0.1:1');
    expect(pool.size).toBe(0);
  });
});
