import { connect, createServer, type Socket } from 'node:net';
import { LOOPBACK } from './ports.js';

export interface TcpProxy {
  /** The proxy's own port on 127.0.0.1. */
  readonly port: number;
  /** `127.0.0.1:<port>`: connect clients here instead of to the target. */
  readonly address: string;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  /**
   * A silent partition: every connection (open or new) stays open but bytes in both directions are
   * dropped, with no FIN and no RST, so neither side hears anything.
   */
  blackhole(): void;
  /** Forward bytes again. Bytes dropped meanwhile are lost. */
  restore(): void;
  /** Destroys every open connection (both sides see the socket close), e.g. "connection dropped". */
  cutAll(): void;
  /** Cuts every connection and stops listening. */
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  /** `host:port` to forward to. */
  readonly target: string;
}

const parseTarget = (target: string): { host: string; port: number } => {
  const match = /^(.+):(\d+)$/.exec(target);
  const port = Number(match?.[2]);
  if (match?.[1] === undefined || !Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new TypeError(`startTcpProxy: target must be "host:port", got ${JSON.stringify(target)}`);
  }
  return { host: match[1], port };
};

/** A TCP proxy on a free 127.0.0.1 port, for partition and dropped-connection tests. */
export const startTcpProxy = async ({ target }: TcpProxyOptions): Promise<TcpProxy> => {
  const upstreamAddress = parseTarget(target);
  const pairs = new Set<readonly [Socket, Socket]>();
  /** Peers of sockets that closed during a blackhole: in a partition they learn of it only once it heals. */
  const cutOnRestore = new Set<Socket>();
  let blackholed = false;

  // Forwarding by hand rather than pipe(): a blackholed chunk must vanish, not wait in a buffer.
  const forward = (from: Socket, to: Socket): void => {
    from.on('data', (chunk) => {
      if (!blackholed && !to.destroyed) to.write(chunk);
    });
    from.on('error', () => from.destroy());
    from.once('close', () => {
      if (blackholed) cutOnRestore.add(to);
      else to.destroy();
    });
  };

  const server = createServer((downstream) => {
    const upstream = connect(upstreamAddress);
    const pair = [downstream, upstream] as const;
    pairs.add(pair);
    let open = 2;
    const closed = (): void => {
      if (--open === 0) pairs.delete(pair);
    };
    downstream.once('close', closed);
    upstream.once('close', closed);
    forward(downstream, upstream);
    forward(upstream, downstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('startTcpProxy: no TCP address');

  const cutAll = (): void => {
    for (const [downstream, upstream] of pairs) {
      downstream.destroy();
      upstream.destroy();
    }
  };
  return {
    port: address.port,
    address: `${LOOPBACK}:${address.port}`,
    get connections() {
      return pairs.size;
    },
    blackhole: () => {
      blackholed = true;
    },
    restore: () => {
      blackholed = false;
      for (const socket of cutOnRestore) socket.destroy();
      cutOnRestore.clear();
    },
    cutAll,
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
};
