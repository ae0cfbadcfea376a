import { once } from 'node:events';
import { createRequire } from 'node:module';
import { startTcpProxy, startZooKeeper, type TcpProxy, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client, ClientError, Stat } from '../index.js';
import { fork, forkDir, stock, stockDir, type ZookeeperModule } from './support/clients.js';

/**
 * CHANGELOG "Retry loop overhead": every request ran through async.whilst to retry on
 * CONNECTION_LOSS, also with `retries: 0`, keeping about seven closures per request alive until
 * its reply. With retries 0 the fork calls the request directly; with retries it keeps the loop.
 */

type Async = { whilst: (...args: unknown[]) => unknown };
const asyncOf = (dir: string): Async => createRequire(`${dir}/index.js`)('async') as Async;

let zk: ZooKeeper;
let proxy: TcpProxy;
const clients: Client[] = [];

const connected = async (zookeeper: ZookeeperModule, retries: number): Promise<Client> => {
  const client = zookeeper.createClient(proxy.address, { sessionTimeout: 10_000, retries });
  clients.push(client);
  const ready = once(client, 'connected');
  client.connect();
  await ready;
  return client;
};

/** getData's and getChildren's answers, as their callbacks get them. */
const answers = (client: Client) =>
  Promise.all([
    new Promise<unknown[]>((resolve) =>
      client.getData('/zookeeper/config', (...args: [ClientError | null, Buffer, Stat]) => resolve(args)),
    ),
    new Promise<unknown[]>((resolve) =>
      client.getChildren('/zookeeper', (...args: [ClientError | null, string[], Stat]) => resolve(args)),
    ),
    new Promise<unknown[]>((resolve) => client.getData('/none', (...args) => resolve(args))),
  ]);

beforeAll(async () => {
  zk = await startZooKeeper();
  proxy = await startTcpProxy({ target: zk.connectString });
});
afterEach(() => {
  proxy.restore();
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await proxy?.close();
  await zk?.close();
});

describe('requests with retries 0', () => {
  it('go through the retry loop on stock 1.1.3, directly on the fork, with the same answers', async () => {
    const runs = [];
    for (const [zookeeper, dir] of [
      [stock, stockDir],
      [fork, forkDir],
    ] as const) {
      const client = await connected(zookeeper, 0);
      const whilst = vi.spyOn(asyncOf(dir), 'whilst');
      try {
        runs.push({ answers: await answers(client), loops: whilst.mock.calls.length });
      } finally {
        whilst.mockRestore();
      }
    }
    const [onStock, onFork] = runs;
    expect(onStock?.loops).toBe(3);
    expect(onFork?.loops).toBe(0);
    const shape = (answer: unknown[]) =>
      answer.map((value) => (value instanceof Error ? value.message : value));
    expect(onFork?.answers.map((answer) => answer.length)).toEqual([3, 3, 1]);
    expect(onFork?.answers.map(shape)).toEqual(onStock?.answers.map(shape));
  });
});

describe('requests with retries', () => {
  it('still go through the loop, and one lost with its connection is sent again', async () => {
    const client = await connected(fork, 1);
    const whilst = vi.spyOn(asyncOf(forkDir), 'whilst');
    try {
      proxy.blackhole();
      const answered = new Promise<Stat | null>((resolve, reject) =>
        client.exists('/zookeeper', (error, stat) => (error ? reject(error) : resolve(stat))),
      );
      const lost = once(client, 'disconnected');
      proxy.cutAll();
      await lost;
      proxy.restore();
      expect(await answered).not.toBeNull();
      expect(whilst).toHaveBeenCalledTimes(1);
    } finally {
      whilst.mockRestore();
    }
  });
});
