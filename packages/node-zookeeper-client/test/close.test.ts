import { once } from 'node:events';
import { startTcpProxy, startZooKeeper, waitFor, type TcpProxy, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientError, Option } from '../index.js';
import { fork, stock, type ZookeeperModule } from './support/clients.js';
import { managerOf } from './support/internals.js';

/**
 * CHANGELOG "A close that a reconnect undid" and "A close on a silent server": `close()` from a
 * callback of a request the dropped connection failed was undone by the reconnect 1.1.3 had
 * already decided on; a silent server's socket stayed open after `close()`, keeping the process
 * alive; and `close()` before the first socket existed threw. Against a real server behind the
 * testkit's proxy.
 */

/** lib/ConnectionManager.js STATES.CLOSED */
const CLOSED = -2;

let zk: ZooKeeper;
let proxy: TcpProxy;
const clients: Client[] = [];

const client = (zookeeper: ZookeeperModule, options: Partial<Option> = {}, connectString = proxy.address) => {
  const created = zookeeper.createClient(connectString, {
    sessionTimeout: 10_000,
    spinDelay: 50,
    ...options,
  });
  clients.push(created);
  return created;
};

const connected = async (zookeeper: ZookeeperModule, options: Partial<Option> = {}): Promise<Client> => {
  const created = client(zookeeper, options);
  const ready = once(created, 'connected');
  created.connect();
  await ready;
  return created;
};

const exists = (on: Client): Promise<ClientError | null> =>
  new Promise((resolve) => on.exists('/', (error) => resolve(error)));

beforeAll(async () => {
  zk = await startZooKeeper();
  proxy = await startTcpProxy({ target: zk.connectString });
});
afterEach(() => {
  proxy.restore();
  for (const each of clients.splice(0)) {
    each.close();
    managerOf(each).socket?.destroy();
  }
});
afterAll(async () => {
  await proxy?.close();
  await zk?.close();
});

/** Drops the connection with a request in flight; the request's callback closes the client. */
const closeAsConnectionDrops = async (on: Client): Promise<ClientError | null> => {
  proxy.blackhole();
  const failed = new Promise<ClientError | null>((resolve) =>
    on.exists('/', (error) => {
      on.close();
      resolve(error);
    }),
  );
  proxy.cutAll();
  proxy.restore();
  return failed;
};

describe('close() from a callback of a request the dropped connection failed', () => {
  it('is undone on stock 1.1.3: the client connects again and its session lives on', async () => {
    const on = await connected(stock);
    const again = once(on, 'connected');
    expect(await closeAsConnectionDrops(on)).toMatchObject({ name: 'CONNECTION_LOSS' });
    await again;
    expect(await exists(on)).toBeNull();
  });

  it('stays closed on the fork: no reconnect, later requests fail at once', async () => {
    const on = await connected(fork);
    const closed = new Promise<void>(
      (resolve) => managerOf(on).state === CLOSED || on.once('disconnected', resolve),
    );
    expect(await closeAsConnectionDrops(on)).toMatchObject({ name: 'CONNECTION_LOSS' });
    await closed;
    expect(managerOf(on).state).toBe(CLOSED);
    on.connect(); // as zk-lock 2.x did on every `disconnected`
    expect(await exists(on)).toMatchObject({ name: 'CONNECTION_LOSS' });
    expect(managerOf(on).state).toBe(CLOSED);
    expect(managerOf(on).socket.destroyed).toBe(true);
  });
});

describe('close() on a silent server', () => {
  it('drops the socket after closeTimeout on the fork and then calls back; stock keeps it open', async () => {
    const onFork = await connected(fork, { closeTimeout: 300 });
    const onStock = await connected(stock);
    proxy.blackhole();
    const disconnected = once(onFork, 'disconnected');
    onStock.close();
    await new Promise<void>((resolve) => onFork.close(resolve));
    await disconnected;
    expect(managerOf(onFork).socket.destroyed).toBe(true);
    expect(managerOf(onFork).state).toBe(CLOSED);
    expect(managerOf(onStock).socket.destroyed).toBe(false);
  });

  it('calls back at once when the server confirms', async () => {
    const on = await connected(fork);
    await new Promise<void>((resolve) => on.close(resolve));
    expect(managerOf(on).state).toBe(CLOSED);
    await waitFor(async () => !(await zk.fourLetter(zk.members[0]!, 'cons')).includes('sid=0x'));
  });
});

describe('close() without a connection', () => {
  it('throws on stock 1.1.3 before the first socket exists; on the fork it calls back and fails what was queued', async () => {
    // Nothing listens on the proxy's old port once it is closed: use a port that refuses.
    const refused = '127.0.0.1:1';
    const onStock = client(stock, {}, refused);
    onStock.connect();
    expect(() => onStock.close()).toThrow(TypeError);

    const onFork = client(fork, {}, refused);
    onFork.connect();
    const queued = exists(onFork);
    await new Promise<void>((resolve) => onFork.close(resolve));
    expect(await queued).toMatchObject({ name: 'CONNECTION_LOSS' });
    expect(managerOf(onFork).state).toBe(CLOSED);
  });

  it('a reconnect already scheduled when close() ran opens no socket', async () => {
    const on = await connected(fork);
    const closed = new Promise<void>((resolve) =>
      on.once('disconnected', () => {
        on.connect(); // schedules the next server (zk-lock 2.x's habit)
        on.close(resolve);
      }),
    );
    proxy.cutAll();
    await closed;
    expect(managerOf(on).state).toBe(CLOSED);
    expect(managerOf(on).socket.destroyed).toBe(true);
    expect(await exists(on)).toMatchObject({ name: 'CONNECTION_LOSS' });
  });
});
