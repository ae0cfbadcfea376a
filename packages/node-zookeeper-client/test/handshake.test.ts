import { once } from 'node:events';
import { startTcpProxy, startZooKeeper, type TcpProxy, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Option } from '../index.js';
import { fork, stock, type ZookeeperModule } from './support/clients.js';
import { managerOf } from './support/internals.js';

/**
 * CHANGELOG "Handshake deadline": once TCP was up, 1.1.3 waited for the answer to its connect
 * request forever. The testkit's proxy accepts the connection and drops its bytes, as a server
 * that accepted it and fell silent.
 */

let zk: ZooKeeper;
let proxy: TcpProxy;
const clients: Client[] = [];

const client = (zookeeper: ZookeeperModule, options: Partial<Option> = {}): Client => {
  const created = zookeeper.createClient(proxy.address, {
    sessionTimeout: 10_000,
    spinDelay: 50,
    ...options,
  });
  clients.push(created);
  return created;
};

/** Resolves when `on` has sent its `count`th handshake. */
const handshakes = (on: Client, count: number): Promise<void> =>
  new Promise((resolve) => {
    let sent = 0;
    on.on('handshakeSent', () => {
      if (++sent === count) resolve();
    });
  });

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

describe('a handshake the server leaves unanswered', () => {
  it('is waited for forever on stock 1.1.3; the fork drops the socket after handshakeTimeout and connects on a later one', async () => {
    proxy.blackhole();
    const onStock = client(stock);
    const onFork = client(fork, { handshakeTimeout: 300 });
    const retried = handshakes(onFork, 2);
    onStock.connect();
    onFork.connect();
    await retried;
    const firstStockSocket = managerOf(onStock).socket;
    proxy.restore();
    const connected = once(onFork, 'connected');
    await connected;
    expect(onFork.getState()).toBe(fork.State.SYNC_CONNECTED);
    expect(onStock.getState()).toBe(stock.State.DISCONNECTED);
    expect(managerOf(onStock).socket).toBe(firstStockSocket);
    expect(firstStockSocket.destroyed).toBe(false);
  });

  it('a function gives the deadline from the session timeout: the requested one, then the negotiated one', async () => {
    const seen: number[] = [];
    const on = client(fork, {
      sessionTimeout: 70_000, // the test server negotiates at most 60000
      handshakeTimeout: (sessionTimeout) => {
        seen.push(sessionTimeout);
        return 5_000;
      },
    });
    const first = once(on, 'connected');
    on.connect();
    await first;
    expect(on.getSessionTimeout()).toBe(60_000);
    const again = once(on, 'connected');
    proxy.cutAll();
    await again;
    expect(seen).toEqual([70_000, 60_000]);
  });

  it('`handshakeSent` comes once per socket, before `connected`', async () => {
    const events: string[] = [];
    const on = client(fork);
    for (const name of ['handshakeSent', 'connected', 'disconnected'] as const)
      on.on(name, () => events.push(name));
    const first = once(on, 'connected');
    on.connect();
    await first;
    const again = once(on, 'connected');
    proxy.cutAll();
    await again;
    expect(events).toEqual(['handshakeSent', 'connected', 'disconnected', 'handshakeSent', 'connected']);
  });

  it('refuses a handshakeTimeout that is neither a positive number nor a function', () => {
    expect(() => fork.createClient('127.0.0.1:1', { handshakeTimeout: 0 })).toThrow(
      'handshakeTimeout must be a number greater than 0 or a function.',
    );
    expect(() => fork.createClient('127.0.0.1:1', { closeTimeout: -1 })).toThrow(
      'closeTimeout must be a number greater than 0.',
    );
  });
});
