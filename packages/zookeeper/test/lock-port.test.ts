import type { ConnectionEvent, WatchReport } from '@zk-lock/core';
import { connectRaw, startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { SessionPool, createLockPort, withSession, type ZkLockPort } from '@zk-lock/zookeeper';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Client } from '@zk-lock/node-zookeeper-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { leftOf, rightOf } from './support/expect-either.js';
import { packetsReceived } from './support/zookeeper.js';

let zk: ZooKeeper;
let raw: Client;
const pool = new SessionPool();
const ports: ZkLockPort[] = [];

const port = (): ZkLockPort => {
  const created = createLockPort({ serverLocator: zk.connectString, sessionTimeout: 10_000, pool });
  ports.push(created);
  return created;
};

const connected = async (): Promise<ZkLockPort> => {
  const created = port();
  rightOf(await created.connect()());
  return created;
};

/**
 * `run`'s result, and how the port's client sent meanwhile: `batches` calls of its `cork` (the
 * requests queued inside one leave in one write: the client's own tests count the writes), and
 * `requests` queued inside and `alone` outside a batch.
 */
const batching = async <A>(
  lockPort: ZkLockPort,
  run: () => Promise<A>,
): Promise<{
  readonly result: A;
  readonly batches: number;
  readonly requests: number;
  readonly alone: number;
}> => {
  const client = lockPort.client() as Client;
  const cork = client.cork.bind(client);
  const queueEncoded = client.queueEncoded.bind(client);
  let batches = 0;
  let inBatch = false;
  let requests = 0;
  let alone = 0;
  const corkSpy = vi.spyOn(client, 'cork').mockImplementation(<B>(send: () => B): B => {
    batches += 1;
    inBatch = true;
    try {
      return cork(send);
    } finally {
      inBatch = false;
    }
  });
  const queueSpy = vi.spyOn(client, 'queueEncoded').mockImplementation((...args) => {
    if (inBatch) requests += 1;
    else alone += 1;
    queueEncoded(...args);
  });
  try {
    return { result: await run(), batches, requests, alone };
  } finally {
    corkSpy.mockRestore();
    queueSpy.mockRestore();
  }
};

const rawCall = (call: (done: (error: unknown) => void) => void): Promise<void> =>
  new Promise((resolve, reject) => call((error) => (error ? reject(error as Error) : resolve())));

beforeAll(async () => {
  zk = await startZooKeeper();
  raw = await connectRaw(zk.connectString);
});

afterEach(async () => {
  await Promise.all(ports.splice(0).map((each) => each.disconnect()));
});

afterAll(async () => {
  raw?.close();
  await pool.close();
  await zk?.close();
});

describe('createLockPort', () => {
  it('connects to a pooled session and reports it', async () => {
    const lockPort = port();
    expect(lockPort.client()).toBeNull();
    const info = rightOf(await lockPort.connect()());
    expect(info.sessionId).toMatch(/^[0-9a-f]{16}$/);
    expect(info.sessionTimeoutMs).toBe(10_000);
    expect(lockPort.client()).toBe(lockPort.session()?.client);
    expect(rightOf(await lockPort.connect()())).toEqual(info); // connected already: same session
  });

  it('fails every request with CLOSED before connect and after disconnect', async () => {
    const lockPort = port();
    expect(leftOf(await lockPort.listChildren('/locks')()).code).toBe('CLOSED');
    rightOf(await lockPort.connect()());
    await lockPort.disconnect();
    await lockPort.disconnect(); // idempotent
    expect(leftOf(await lockPort.remove('/locks/x')()).code).toBe('CLOSED');
    expect(lockPort.client()).toBeNull();
  });

  it('reports a bad locator as BAD_ARGUMENTS naming the field', async () => {
    const lockPort = createLockPort({ serverLocator: 'h1:2181/chroot', pool });
    expect(leftOf(await lockPort.connect()())).toMatchObject({
      code: 'BAD_ARGUMENTS',
      message: expect.stringContaining('serverLocator'),
    });
  });

  it('creates an ephemeral sequential node with data after creating missing parents', async () => {
    const lockPort = await connected();
    expect(leftOf(await lockPort.createSequential('/locks/port/a', 'lock-', '{"id":1}')()).code).toBe(
      'NO_NODE',
    );
    rightOf(await lockPort.createParents('/locks/port/a')());
    rightOf(await lockPort.createParents('/locks/port/a')()); // existing: fine
    const name = rightOf(await lockPort.createSequential('/locks/port/a', 'lock-', '{"id":1}')());
    expect(name).toMatch(/^lock-\d{10}$/);
    const owners = rightOf(await lockPort.listChildrenWithOwners('/locks/port/a')());
    expect(owners).toEqual([{ name, data: '{"id":1}', ephemeralOwner: lockPort.session()?.sessionId }]);
  });

  it('lists children with the parent czxid, the same across listings', async () => {
    const lockPort = await connected();
    rightOf(await lockPort.createParents('/locks/port/b')());
    const first = rightOf(await lockPort.createSequential('/locks/port/b', 'lock-', '')());
    const listing = rightOf(await lockPort.listChildren('/locks/port/b')());
    expect(listing.children).toEqual([first]);
    expect(typeof listing.parentCzxid).toBe('bigint');
    const second = rightOf(await lockPort.createSequential('/locks/port/b', 'lock-', '')());
    const again = rightOf(await lockPort.listChildren('/locks/port/b')());
    expect([...again.children].sort()).toEqual([first, second]);
    expect(again.parentCzxid).toBe(listing.parentCzxid);
    expect(leftOf(await lockPort.listChildren('/locks/port/none')()).code).toBe('NO_NODE');
  });

  it('lists owners: a persistent child has owner 0, a vanished one is left out', async () => {
    const lockPort = await connected();
    rightOf(await lockPort.createParents('/locks/port/c/persistent')());
    const owners = rightOf(await lockPort.listChildrenWithOwners('/locks/port/c')());
    expect(owners).toEqual([{ name: 'persistent', data: '', ephemeralOwner: '0000000000000000' }]);
  });

  it('removes a node; a missing node counts as removed', async () => {
    const lockPort = await connected();
    rightOf(await lockPort.createParents('/locks/port/d')());
    const name = rightOf(await lockPort.createSequential('/locks/port/d', 'lock-', '')());
    rightOf(await lockPort.remove(`/locks/port/d/${name}`)());
    rightOf(await lockPort.remove(`/locks/port/d/${name}`)());
    expect(rightOf(await lockPort.listChildren('/locks/port/d')()).children).toEqual([]);
  });

  it('createSequentialAndList answers the new node and a listing taken after its create', async () => {
    const lockPort = await connected();
    rightOf(await lockPort.createParents('/locks/port/p')());
    const first = rightOf(await lockPort.createSequentialAndList('/locks/port/p', 'lock-', 'x')());
    const second = rightOf(await lockPort.createSequentialAndList('/locks/port/p', 'lock-', 'x')());
    expect(rightOf(first.listing).children).toEqual([first.node]);
    expect([...rightOf(second.listing).children].sort()).toEqual([first.node, second.node]);
    expect(rightOf(second.listing).parentCzxid).toBe(rightOf(first.listing).parentCzxid);
  });

  it('createSequentialAndList fails with the create’s failure when the parents are missing', async () => {
    const lockPort = await connected();
    const failure = leftOf(await lockPort.createSequentialAndList('/locks/port/q/none', 'lock-', '')());
    expect(failure.code).toBe('NO_NODE');
    expect(failure.path).toBe('/locks/port/q/none/lock-');
    expect(lockPort.session()?.state).toBe('live');
  });

  it('an uncontended create-and-list, delete costs exactly three requests', async () => {
    const lockPort = await connected();
    rightOf(await lockPort.createParents('/locks/port/e')());
    const before = await packetsReceived(zk);
    const { node } = rightOf(await lockPort.createSequentialAndList('/locks/port/e', 'lock-', 'x')());
    rightOf(await lockPort.remove(`/locks/port/e/${node}`)());
    expect((await packetsReceived(zk)) - before).toBe(3 + 1); // + the mntr request itself
  });

  it('sends a create with its listing, and a batch of watches, in one corked batch each', async () => {
    const lockPort = await connected();
    rightOf(await lockPort.createParents('/locks/batch/w')());
    const created = await batching(lockPort, async () =>
      rightOf(await lockPort.createSequentialAndList('/locks/batch/w', 'lock-', 'x')()),
    );
    expect(created).toMatchObject({ batches: 1, requests: 2, alone: 0 }); // two requests, one write
    const paths = ['/locks/batch/w/a', '/locks/batch/w/b', `/locks/batch/w/${created.result.node}`];
    const armed = await batching(lockPort, () => lockPort.watchDeletion(paths, () => undefined)());
    expect(armed).toMatchObject({ batches: 1, requests: 3, alone: 0 });
    rightOf(armed.result)();
  });

  it('a new key under an existing prefix costs four when the machine sends the parent’s create ahead', async () => {
    const lockPort = await connected();
    rightOf(await lockPort.createParents('/locks/port/f')());
    expect(lockPort.parentHint('/locks/port/f/new')).toEqual({ nodes: 'container', seen: false });
    const before = await packetsReceived(zk);
    const created = rightOf(
      await lockPort.createSequentialAndList('/locks/port/f/new', 'lock-', 'x', 'container')(),
    );
    expect(rightOf(created.listing).children).toEqual([created.node]);
    rightOf(await lockPort.remove(`/locks/port/f/new/${created.node}`)());
    expect((await packetsReceived(zk)) - before).toBe(4 + 1);
    // The session now knows the parent, and says so: the machine asks for no create ahead, three.
    expect(lockPort.parentHint('/locks/port/f/new')).toEqual({ nodes: 'container', seen: true });
    const again = await packetsReceived(zk);
    const next = rightOf(await lockPort.createSequentialAndList('/locks/port/f/new', 'lock-', 'x')());
    rightOf(await lockPort.remove(`/locks/port/f/new/${next.node}`)());
    expect((await packetsReceived(zk)) - again).toBe(3 + 1);
  });

  it('a known parent deleted behind the session’s back fails the create with NO_NODE, and is no longer seen', async () => {
    const lockPort = await connected();
    rightOf(await lockPort.createParents('/locks/port/g')());
    expect(lockPort.parentHint('/locks/port/g').seen).toBe(true);
    await rawCall((done) => raw.remove('/locks/port/g', -1, done));
    expect(leftOf(await lockPort.createSequential('/locks/port/g', 'lock-', '')()).code).toBe('NO_NODE');
    expect(lockPort.parentHint('/locks/port/g').seen).toBe(false);
    const name = rightOf(await lockPort.createSequential('/locks/port/g', 'lock-', '', 'persistent')());
    expect(rightOf(await lockPort.listChildren('/locks/port/g')()).children).toEqual([name]);
    expect(lockPort.parentHint('/locks/port/g').seen).toBe(true);
  });

  it('answers 2000 requests sent together (many replies per socket chunk) each with its own result', async () => {
    const lockPort = await connected();
    const session = lockPort.session();
    if (session === undefined) throw new Error('no session');
    rightOf(await lockPort.createParents('/locks/port/h')());
    const names = await Promise.all(
      Array.from({ length: 1000 }, (_, index) =>
        session.create(`/locks/port/h/n-${index}`, { data: `${index}` })(),
      ),
    );
    expect(names.map(rightOf)).toEqual(
      Array.from({ length: 1000 }, (_, index) => `/locks/port/h/n-${index}`),
    );
    // Alternating reads of existing and missing nodes: every reply must reach its own request.
    const reads = await Promise.all(
      Array.from({ length: 2000 }, (_, index) =>
        index % 2 === 0
          ? session
              .getData(`/locks/port/h/n-${index / 2}`)()
              .then(E.map(({ data }) => data.toString()))
          : session.exists(`/locks/port/h/missing-${index}`)().then(E.map(O.isSome)),
      ),
    );
    expect(reads).toEqual(
      Array.from({ length: 2000 }, (_, index) => E.right(index % 2 === 0 ? `${index / 2}` : false)),
    );
  });

  describe('watchDeletion', () => {
    const nodes = async (lockPort: ZkLockPort, parent: string, count: number): Promise<string[]> => {
      rightOf(await lockPort.createParents(parent)());
      const names: string[] = [];
      for (let i = 0; i < count; i++)
        names.push(rightOf(await lockPort.createSequential(parent, 'lock-', '')()));
      return names.map((name) => `${parent}/${name}`);
    };

    it('reports a node already gone at once, and only that one', async () => {
      const lockPort = await connected();
      const reports: WatchReport[] = [];
      const [present] = await nodes(lockPort, '/locks/watch/a', 1);
      const missing = '/locks/watch/a/lock-9999999999';
      rightOf(await lockPort.watchDeletion([present as string, missing], (r) => reports.push(r))());
      expect(reports).toEqual([{ _tag: 'Deleted', path: missing }]);
    });

    it('reports the deletion of a node', async () => {
      const lockPort = await connected();
      const [path] = await nodes(lockPort, '/locks/watch/b', 1);
      const gone = new Promise<WatchReport>((resolve) => {
        void lockPort.watchDeletion([path as string], resolve)();
      });
      await rawCall((done) => raw.remove(path as string, done));
      expect(await gone).toEqual({ _tag: 'Deleted', path });
    });

    it('keeps watching through a data change and reports the deletion after it', async () => {
      const lockPort = await connected();
      const [path] = await nodes(lockPort, '/locks/watch/c', 1);
      const reports: WatchReport[] = [];
      let resolveGone: () => void = () => undefined;
      const gone = new Promise<void>((resolve) => (resolveGone = resolve));
      rightOf(
        await lockPort.watchDeletion([path as string], (r) => {
          reports.push(r);
          resolveGone();
        })(),
      );
      await rawCall((done) => raw.setData(path as string, Buffer.from('changed'), done));
      // The change's notification precedes the reply to this read on the same connection.
      rightOf(await lockPort.listChildren('/locks/watch/c')());
      expect(reports).toEqual([]);
      await rawCall((done) => raw.remove(path as string, done));
      await gone;
      expect(reports).toEqual([{ _tag: 'Deleted', path }]);
    });

    it('reports each watched node once as it goes, in the order they go', async () => {
      const lockPort = await connected();
      const paths = await nodes(lockPort, '/locks/watch/d', 3);
      const reports: WatchReport[] = [];
      rightOf(await lockPort.watchDeletion(paths, (r) => reports.push(r))());
      const order = [paths[1]!, paths[2]!, paths[0]!];
      for (const path of order) await rawCall((done) => raw.remove(path, done));
      rightOf(await lockPort.listChildren('/locks/watch/d')()); // every notification has arrived
      expect(reports).toEqual(order.map((path) => ({ _tag: 'Deleted', path })));
    });

    it('shares one watch per node among the watchers of a session, also after one let go', async () => {
      const [first, second] = [await connected(), await connected()];
      const paths = await nodes(first, '/locks/watch/f', 2);
      const before = await packetsReceived(zk);
      const heard: string[] = [];
      const disarmFirst = rightOf(await first.watchDeletion(paths, () => heard.push('first'))());
      const disarmSecond = rightOf(await second.watchDeletion(paths, () => heard.push('second'))());
      disarmFirst();
      // The watch of a waiter that let go is still on the server: arming it again is free.
      rightOf(await first.watchDeletion([paths[0]!], () => heard.push('again'))());
      expect((await packetsReceived(zk)) - before).toBe(2 + 1); // + the mntr request itself
      await rawCall((done) => raw.remove(paths[0]!, done));
      rightOf(await first.listChildren('/locks/watch/f')()); // every notification has arrived
      expect(heard.sort()).toEqual(['again', 'second']);
      disarmSecond();
    });

    it('arms the watch again after a data change, for every watcher of the node', async () => {
      const [first, second] = [await connected(), await connected()];
      const [path] = (await nodes(first, '/locks/watch/g', 1)) as [string];
      const heard: WatchReport[] = [];
      rightOf(await first.watchDeletion([path], (r) => heard.push(r))());
      rightOf(await second.watchDeletion([path], (r) => heard.push(r))());
      await rawCall((done) => raw.setData(path, Buffer.from('changed'), done));
      rightOf(await first.listChildren('/locks/watch/g')());
      await rawCall((done) => raw.remove(path, done));
      rightOf(await first.listChildren('/locks/watch/g')());
      expect(heard).toEqual([
        { _tag: 'Deleted', path },
        { _tag: 'Deleted', path },
      ]);
    });

    it('reports nothing once disarmed', async () => {
      const lockPort = await connected();
      const [path] = await nodes(lockPort, '/locks/watch/e', 1);
      let calls = 0;
      const disarm = rightOf(await lockPort.watchDeletion([path as string], () => calls++)());
      disarm();
      await rawCall((done) => raw.remove(path as string, done));
      rightOf(await lockPort.listChildren('/locks/watch/e')());
      expect(calls).toBe(0);
    });
  });

  it('forwards the session’s connection events to subscribers until they unsubscribe', async () => {
    const lockPort = port();
    const seen: ConnectionEvent[] = [];
    const unsubscribe = lockPort.subscribe((event) => seen.push(event));
    rightOf(await lockPort.connect()());
    const lost = new Promise<void>((resolve) =>
      lockPort.subscribe((event) => event.type === 'lost' && resolve()),
    );
    await lockPort.session()?.close();
    await lost;
    expect(seen).toEqual([{ type: 'lost', reason: 'closed' }]);
    unsubscribe();
  });

  it('withSession runs reads on a leased session and lets go of it', async () => {
    const own = new SessionPool();
    const result = await withSession(
      { serverLocator: zk.connectString, sessionLingerMs: 0, pool: own },
      (session) =>
        TE.map((listing: { children: ReadonlyArray<string> }) => listing.children)(
          session.getChildren('/locks/port'),
        ),
    )();
    expect(E.isRight(result) && [...result.right].sort()).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'g',
      'h',
      'p',
    ]);
    expect(own.size).toBe(0);
  });
});
