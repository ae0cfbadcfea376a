import { once } from 'node:events';
import { startTcpProxy, waitFor, withDeadline, type ZooKeeperMember } from '@zk-lock/testkit';
import zookeeper, { type Client, type ClientError, type ReplyDecoder } from '@zk-lock/node-zookeeper-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ZookeeperLock } from 'zk-lock';
import { configFor, lockNodes, useZooKeeper } from './support/zookeeper.js';

const server = useZooKeeper();

const member = (): ZooKeeperMember => {
  const first = server().zk.members[0];
  if (first === undefined) throw new Error('no member');
  return first;
};

/** Records the lock's connection events in order. */
const recordEvents = (lock: ZookeeperLock): string[] => {
  const events: string[] = [];
  for (const name of ['suspended', 'reconnected', 'lost'] as const) lock.on(name, () => events.push(name));
  return events;
};

/**
 * A step that must finish well within the test timeout; when it does not, the failure names the
 * step and shows what the lock saw and the server's log, instead of a bare test timeout.
 */
const step = <T>(what: string, work: Promise<T>, lock?: ZookeeperLock, events?: string[]): Promise<T> =>
  withDeadline(
    what,
    25_000,
    work,
    () =>
      `lock state: ${lock?.state ?? '-'}, events: ${JSON.stringify(events ?? [])}\n` +
      `--- server log ---\n${member().logTail(40)}`,
  );

/** The error the client fails a request with when its connection drops. */
const connectionLoss = (): Error => zookeeper.Exception.create(zookeeper.Exception.CONNECTION_LOSS);

/** The request type in a request frame (after the length and the xid), and create's (jute OP_CODES.CREATE). */
const TYPE_OFFSET = 8;
const CREATE = 1;

const nodesGone = (parent: string): Promise<true> =>
  waitFor(async () => (await lockNodes(server().observer, parent)).length === 0 || undefined, {
    timeoutMs: 20_000,
    message: `no lock node under ${parent}`,
  });

describe('outages', () => {
  // A test that fails half-way must not leave the server stopped or frozen for the next one.
  afterEach(async () => {
    if (member().running) member().resume();
    else {
      await member().start();
      await server().renewObserver();
    }
  });

  it('server stopped and restarted within the session timeout: no lost, the lock survives, unlock succeeds', async () => {
    const lock = new ZookeeperLock(configFor(server(), { sessionTimeout: 20_000 }));
    await step('first acquisition', lock.lock('restart'), lock);
    const events = recordEvents(lock);
    const settled = Promise.race([once(lock, 'reconnected'), once(lock, 'lost')]);

    await step('server stop', member().stop(), lock, events);
    await step('server start', member().start(), lock, events);
    await step('reconnected or lost', settled, lock, events);
    await step('observer reconnect', server().renewObserver(), lock, events);

    expect(events).toEqual(['suspended', 'reconnected']);
    expect(lock.state).toBe(ZookeeperLock.States.LOCKED);
    expect(await lockNodes(server().observer, lock.path as string)).toEqual([lock.key]);
    await lock.unlock();
    expect(await lockNodes(server().observer, lock.path as string)).toEqual([]);
  });

  it('server paused beyond the session timeout: lost within sessionTimeout + 1 s of the silence, before any reconnect', async () => {
    const sessionTimeout = 3000;
    const lock = new ZookeeperLock(configFor(server(), { sessionTimeout }));
    await step('first acquisition', lock.lock('paused'), lock);
    const events = recordEvents(lock);
    const lost = once(lock, 'lost');

    const silentSince = Date.now();
    member().pause();
    try {
      await step('lost', lost, lock, events);
      expect(Date.now() - silentSince).toBeLessThanOrEqual(sessionTimeout + 1000);
      expect(events).toEqual(['suspended', 'lost']);
      expect(lock.state).toBe(ZookeeperLock.States.LOST);
    } finally {
      member().resume();
    }
    // Once the server runs again it expires the session, and the node goes with it.
    await nodesGone(lock.path as string);
    expect(events).toEqual(['suspended', 'lost']);
  });

  it('event loop blocked beyond the session timeout: lost', async () => {
    const lock = new ZookeeperLock(configFor(server(), { sessionTimeout: 2000 }));
    await step('first acquisition', lock.lock('blocked'), lock);
    const lost = once(lock, 'lost');

    const until = Date.now() + 3500;
    while (Date.now() < until) {
      // Busy: no timer, no socket, no ping can run.
    }

    await step('lost', lost, lock);
    expect(lock.state).toBe(ZookeeperLock.States.LOST);
    await nodesGone(lock.path as string);
  });

  it('connection dropped while a create is in flight: no second node and no orphan', async () => {
    const proxy = await startTcpProxy({ target: member().address });
    try {
      const config = configFor(server(), { serverLocator: proxy.address });
      // A first lock opens the shared session, whose raw client we then instrument.
      const opener = new ZookeeperLock(config);
      await step('first acquisition', opener.lock('opener'), opener);
      const client = opener.client as Client;
      // The next lock node create reaches the server and is applied, but its reply is lost with the
      // connection: the server has the node, the client only sees CONNECTION_LOSS, exactly what a
      // reply dropped with the connection looks like. The session sends its requests with the
      // client's `queueEncoded` (looked up on every call), so the reply is intercepted there.
      let createdByServer: string | undefined;
      const queueEncoded = client.queueEncoded;
      const send = queueEncoded.bind(client);
      client.queueEncoded = <A>(
        frame: Buffer,
        decode: ReplyDecoder<A> | undefined,
        callback: (error: ClientError | null, value: A | undefined) => void,
      ) => {
        const isCreate = frame.readInt32BE(TYPE_OFFSET) === CREATE;
        send(frame, decode, (error, value) => {
          const path = (value as { readonly path?: unknown } | undefined)?.path;
          const isLockNode = isCreate && typeof path === 'string' && /\/lock-\d+$/.test(path);
          if (!isLockNode || createdByServer !== undefined || error) return callback(error, value);
          createdByServer = path;
          client.queueEncoded = queueEncoded;
          proxy.cutAll();
          callback(connectionLoss(), undefined);
        });
      };

      const lock = new ZookeeperLock(config);
      await step('acquisition across the dropped reply', lock.lock('dropped'), lock);

      expect(createdByServer).toBe(`${lock.path}/${lock.key}`);
      expect(await lockNodes(server().observer, lock.path as string)).toEqual([lock.key]);
      await lock.unlock();
      await opener.unlock();
      expect(await lockNodes(server().observer, lock.path as string)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
