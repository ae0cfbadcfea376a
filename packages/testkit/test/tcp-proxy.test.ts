import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectRaw, startTcpProxy, startZooKeeper, waitFor, type TcpProxy } from '@zk-lock/testkit';

/** How long a silent connection must stay silent to count as blackholed (bytes on loopback take µs). */
const SILENCE_MS = 300;

const echoServer = async (): Promise<Server> => {
  const server = createServer((socket) => socket.pipe(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

/** Collects what a socket receives; `next()` resolves with the next chunk. */
const reader = (socket: Socket) => {
  const received: string[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk.toString()));
  return {
    received,
    next: () => once(socket, 'data').then(([chunk]) => (chunk as Buffer).toString()),
  };
};

describe('the TCP proxy', () => {
  let target: Server;
  let proxy: TcpProxy;
  let client: Socket;
  beforeEach(async () => {
    target = await echoServer();
    const address = target.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    proxy = await startTcpProxy({ target: `127.0.0.1:${address.port}` });
    client = connect(proxy.port, '127.0.0.1');
    await once(client, 'connect');
  });
  afterEach(async () => {
    client.destroy();
    await proxy.close();
    await new Promise((resolve) => target.close(resolve));
  });

  it('listens on 127.0.0.1 and forwards both ways', async () => {
    expect(proxy.address).toBe(`127.0.0.1:${proxy.port}`);
    const { next } = reader(client);
    client.write('hello');
    expect(await next()).toBe('hello');
    expect(proxy.connections).toBe(1);
  });

  it('blackhole drops bytes silently without closing; restore forwards again', async () => {
    const { next, received } = reader(client);
    let closed = false;
    client.once('close', () => (closed = true));
    proxy.blackhole();
    client.write('lost');
    await new Promise((resolve) => setTimeout(resolve, SILENCE_MS));
    expect(received).toEqual([]);
    expect(closed).toBe(false);
    expect(proxy.connections).toBe(1);

    proxy.restore();
    client.write('back');
    expect(await next()).toBe('back');
    expect(received).toEqual(['back']);
  });

  it('cutAll closes the open connections', async () => {
    const closed = once(client, 'close');
    proxy.cutAll();
    await closed;
    await waitFor(() => proxy.connections === 0);
  });

  it('rejects a target that is not host:port', async () => {
    await expect(startTcpProxy({ target: 'localhost' })).rejects.toThrow(/target must be "host:port"/);
  });
});

describe('the TCP proxy in front of ZooKeeper', () => {
  it('carries a session; a blackhole silences it; a cut makes it reconnect with the same session', async () => {
    const zk = await startZooKeeper();
    const proxy = await startTcpProxy({ target: zk.connectString });
    const client = await connectRaw(proxy.address);
    const exists = (path: string) =>
      new Promise((resolve, reject) =>
        client.exists(path, (error, stat) => (error ? reject(error) : resolve(stat))),
      );
    try {
      const session = client.getSessionId();
      expect(await exists('/zookeeper')).toBeTruthy();
      proxy.blackhole();
      let settled = false;
      const pending = exists('/zookeeper').finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, SILENCE_MS));
      expect(settled).toBe(false);
      proxy.restore();
      // The request was dropped on the way and will never be answered; cutting the connection fails
      // it (connection loss) and the client reconnects through the proxy with the same session.
      proxy.cutAll();
      await expect(pending).rejects.toThrow(/CONNECTION_LOSS/);
      expect(await exists('/zookeeper')).toBeTruthy();
      expect(client.getSessionId().equals(session)).toBe(true);
    } finally {
      client.close();
      await proxy.close();
      await zk.close();
    }
  });

  it('answers the next request of a type with the error of the test’s choosing; the server did carry it out', async () => {
    const zk = await startZooKeeper();
    const proxy = await startTcpProxy({ target: zk.connectString });
    const client = await connectRaw(proxy.address);
    const create = (path: string) =>
      new Promise<string>((resolve, reject) =>
        client.create(path, (error, created) => (error ? reject(error) : resolve(created))),
      );
    const exists = (path: string) =>
      new Promise((resolve, reject) =>
        client.exists(path, (error, stat) => (error ? reject(error) : resolve(stat))),
      );
    try {
      const NO_AUTH = -102;
      const rewritten = proxy.failNextReply(1, NO_AUTH); // create
      expect(await exists('/zookeeper')).toBeTruthy(); // another type passes untouched
      await expect(create('/failed-but-made')).rejects.toMatchObject({ code: NO_AUTH });
      await rewritten;
      expect(await exists('/failed-but-made')).toBeTruthy();
      expect(await create('/made')).toBe('/made'); // only the next one
    } finally {
      client.close();
      await proxy.close();
      await zk.close();
    }
  });
});
