import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startTcpProxy, startZooKeeper, withDeadline, type TcpProxy, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientError } from '../index.js';
import { killChildren, startChild } from './support/child.js';
import { fork, forkDir } from './support/clients.js';
import { managerOf } from './support/internals.js';

/**
 * CHANGELOG "Socket ref/unref" and "Corked writes": public methods for what zk-lock's adapter did
 * to the client's private socket.
 */

const script = fileURLToPath(new URL('./fixtures/unref-across-reconnect.mjs', import.meta.url));
let zk: ZooKeeper;
let proxy: TcpProxy;
const clients: Client[] = [];

const connected = async (): Promise<Client> => {
  const client = fork.createClient(zk.connectString, { sessionTimeout: 10_000 });
  clients.push(client);
  const ready = once(client, 'connected');
  client.connect();
  await ready;
  return client;
};

beforeAll(async () => {
  zk = await startZooKeeper();
  proxy = await startTcpProxy({ target: zk.connectString });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  killChildren();
  await proxy?.close();
  await zk?.close();
});

describe('setSocketRef(false)', () => {
  it('lets a process with an open session exit, also after the client reconnected', async () => {
    const child = startChild(script, [forkDir, proxy.address]);
    await child.line('connected');
    proxy.cutAll();
    await child.line('reconnected');
    expect(await withDeadline('the process exits by itself', 10_000, child.exited)).toEqual({
      code: 0,
      stderr: '',
    });
  });
});

type Write = (...args: unknown[]) => unknown;

/** How many times the client's socket wrote (each a system call) while `run` ran. */
const countingWrites = (client: Client, run: () => void): number => {
  const socket = managerOf(client).socket as unknown as Record<string, Write>;
  let writes = 0;
  const originals = { _write: socket['_write']!, _writev: socket['_writev']! };
  for (const [name, original] of Object.entries(originals))
    socket[name] = function (this: unknown, ...args: unknown[]) {
      writes += 1;
      return original.apply(this, args);
    };
  try {
    run();
    return writes;
  } finally {
    Object.assign(socket, originals);
  }
};

describe('cork(send)', () => {
  it('sends the requests queued in `send` in one write, and returns what `send` returns', async () => {
    const client = await connected();
    const answers: Array<Promise<ClientError | null>> = [];
    const exists = () =>
      answers.push(new Promise((resolve) => client.exists('/', (error) => resolve(error))));
    expect(countingWrites(client, () => [exists(), exists(), exists()])).toBeGreaterThan(1);
    let returned: unknown;
    expect(
      countingWrites(client, () => (returned = client.cork(() => [exists(), exists(), exists()].length))),
    ).toBe(1);
    expect(returned).toBe(3);
    expect(await Promise.all(answers)).toEqual([null, null, null, null, null, null]);
  });

  it('runs `send` without a socket too, and the socket is uncorked when it throws', async () => {
    const idle = fork.createClient('127.0.0.1:1');
    expect(idle.cork(() => 'no socket')).toBe('no socket');
    const client = await connected();
    expect(() =>
      client.cork(() => {
        throw new Error('send failed');
      }),
    ).toThrow('send failed');
    expect((managerOf(client).socket as unknown as { writableCorked: number }).writableCorked).toBe(0);
  });
});
