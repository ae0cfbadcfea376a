import { once } from 'node:events';
import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client } from '../index.js';
import { fork, stock, type ZookeeperModule } from './support/clients.js';
import { inFlight, managerOf, reply, type Manager } from './support/internals.js';

/**
 * CHANGELOG "Quadratic copying of replies": 1.1.3 handled one reply of a socket chunk, copied the
 * rest with Buffer.concat and recursed, O(n²) bytes for a chunk of n replies. The copying is
 * counted (bytes through Buffer.concat), not timed.
 */

const NO_NODE = -101;

/** 2000 replies in one stream, cut into chunks of awkward sizes (mid-length, mid-reply, many per chunk). */
const deliver = (manager: Manager, replies: Buffer): void => {
  const sizes = [1, 3, 7, 40, 4096, 13, 65_536];
  for (let start = 0, turn = 0; start < replies.length; turn++) {
    const end = Math.min(replies.length, start + (sizes[turn % sizes.length] as number));
    manager.onSocketData(replies.subarray(start, end));
    start = end;
  }
};

/** Runs `work` and returns how many bytes Buffer.concat produced meanwhile. */
const bytesConcatenated = async (work: () => unknown): Promise<number> => {
  const concat = Buffer.concat.bind(Buffer);
  let bytes = 0;
  const spy = vi.spyOn(Buffer, 'concat').mockImplementation((list, length) => {
    const result = concat(list, length);
    bytes += result.length;
    return result;
  });
  try {
    await work();
    return bytes;
  } finally {
    spy.mockRestore();
  }
};

const expectedCodes = Array.from({ length: 2000 }, (_, xid) => (xid === 1234 ? -103 : NO_NODE));
const stream = Buffer.concat(expectedCodes.map((code, xid) => reply(xid, code)));

describe('replies cut into socket chunks of awkward sizes', () => {
  it.each([
    ['stock 1.1.3', stock, (copied: number) => expect(copied).toBeGreaterThan(50 * stream.length)],
    ['the fork', fork, (copied: number) => expect(copied).toBeLessThan(2 * stream.length)],
  ] as const)(
    '%s: each of 2000 replies reaches its own request; the bytes copied meanwhile',
    async (_, zk: ZookeeperModule, judge) => {
      const { manager, codes } = inFlight(zk, 2000);
      judge(await bytesConcatenated(() => deliver(manager, stream)));
      expect(codes).toEqual(expectedCodes);
    },
  );

  it('a negative reply length drops the connection instead of being read as one', () => {
    const { manager, codes } = inFlight(fork, 1);
    const bad = Buffer.alloc(8);
    bad.writeInt32BE(-4, 0);
    manager.onSocketData(bad);
    expect(manager.socket.destroyed).toBe(true);
    expect(codes).toEqual([]);
  });
});

describe('replies of a real server', () => {
  let zk: ZooKeeper;
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
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await zk?.close();
  });

  it('2000 requests sent at once are answered each in turn, the replies copied at most once', async () => {
    const client = await connected();
    const answers: Array<string | null> = [];
    const copied = await bytesConcatenated(() =>
      Promise.all(
        Array.from(
          { length: 2000 },
          (_, i) =>
            new Promise<void>((resolve) =>
              client.exists(i % 2 === 0 ? '/zookeeper' : `/none-${i}`, (error, stat) => {
                answers.push(error ? error.message : stat === null ? `none ${i}` : `node ${i}`);
                resolve();
              }),
            ),
        ),
      ),
    );
    expect(answers).toEqual(
      Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? `node ${i}` : `none ${i}`)),
    );
    // An exists reply with a Stat is 88 bytes, without one 20: a reply split across two chunks is
    // copied with the next chunk, never the rest of a chunk after each reply.
    expect(copied).toBeLessThan(2 * 1000 * (88 + 20));
  });

  it('a new socket starts without the previous one’s incomplete reply', async () => {
    const client = await connected();
    const manager = managerOf(client);
    const partial = reply(7, 0).subarray(0, 9);
    manager.onSocketData(partial);
    expect(manager.pendingBuffer).toEqual(partial);
    const reconnected = once(client, 'connected');
    manager.socket.destroy();
    await reconnected;
    expect(manager.pendingBuffer).toBeNull();
    const stat = await new Promise((resolve, reject) =>
      client.exists('/zookeeper', (error, value) => (error ? reject(error) : resolve(value))),
    );
    expect(stat).not.toBeNull();
  });
});
