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
  /**
   * The server answers the next request of type `opCode` (ZooKeeper's `OpCode`, e.g. 1 = create)
   * that a client sends through the proxy with the error `err` instead: that reply's error field is
   * rewritten and its payload dropped, as a server's error reply has none. The server did carry the
   * request out. Resolves when the rewritten reply has gone to the client. For ZooKeeper
   * connections only (see `zooKeeperFrames`).
   */
  failNextReply(opCode: number, err: number): Promise<void>;
  /** Cuts every connection and stops listening. */
  close(): Promise<void>;
}

/** A ZooKeeper frame: a 4-byte length, then that many bytes. Requests: xid, type; replies: xid, zxid, err. */
const FRAME_XID = 4;
const REQUEST_TYPE = 8;
const REPLY_ERR = 16;
const REPLY_HEADER_END = 20;
/** The session handshake a client opens with is 44 bytes (45 with the read-only flag) after its length. */
const CONNECT_REQUEST_LENGTHS: ReadonlySet<number> = new Set([44, 45]);
/** Far beyond ZooKeeper's default jute.maxbuffer (1 MB): a length like this is not ZooKeeper's. */
const MAX_FRAME = 16 * 1024 * 1024;

/**
 * Cuts one direction of a ZooKeeper connection into whole frames: `push` returns the frames now
 * complete (a partial one waits for its rest). When the bytes turn out not to be ZooKeeper frames
 * (a length no frame has), it returns everything it holds as one piece, and `framed` is false
 * from then on: the caller forwards chunks as they come.
 */
const zooKeeperFrames = () => {
  let pending: Buffer = Buffer.alloc(0);
  const state = {
    framed: true,
    push: (chunk: Buffer): Buffer[] => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const frames: Buffer[] = [];
      let start = 0;
      while (pending.length - start >= 4) {
        const length = pending.readInt32BE(start);
        if (length < 0 || length > MAX_FRAME) {
          state.framed = false;
          frames.push(pending.subarray(start));
          start = pending.length;
          break;
        }
        if (pending.length - start < 4 + length) break;
        frames.push(pending.subarray(start, start + 4 + length));
        start += 4 + length;
      }
      pending = pending.subarray(start);
      return frames;
    },
  };
  return state;
};

/** `reply` as an error reply: its header alone, with `err`. */
const errorReply = (reply: Buffer, err: number): Buffer => {
  const rewritten = Buffer.from(reply.subarray(0, REPLY_HEADER_END));
  rewritten.writeInt32BE(REPLY_HEADER_END - 4, 0);
  rewritten.writeInt32BE(err, REPLY_ERR);
  return rewritten;
};

interface ReplyFault {
  readonly opCode: number;
  readonly err: number;
  readonly done: () => void;
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
  /** Faults still waiting for their request to pass. */
  const faults: ReplyFault[] = [];

  const closeFrom = (from: Socket, to: Socket): void => {
    from.on('error', () => from.destroy());
    from.once('close', () => {
      if (blackholed) cutOnRestore.add(to);
      else to.destroy();
    });
  };

  /**
   * Forwarding by hand rather than pipe(): a blackholed chunk must vanish, not wait in a buffer.
   * A connection that opens with a ZooKeeper handshake is forwarded frame by frame, so that a
   * reply can be rewritten (`failNextReply`); anything else, and a ZooKeeper connection once a
   * blackhole has dropped some of its bytes, chunk by chunk as it comes.
   */
  const forwardConnection = (downstream: Socket, upstream: Socket): void => {
    let framed: boolean | undefined;
    const requests = zooKeeperFrames();
    const replies = zooKeeperFrames();
    let handshakeReplied = false;
    let handshakeSent = false;
    /** Requests whose reply is to carry an error: xid → fault. */
    const failing = new Map<number, ReplyFault>();
    const send = (to: Socket, bytes: Buffer): void => {
      if (!to.destroyed) to.write(bytes);
    };

    downstream.on('data', (chunk: Buffer) => {
      if (blackholed) {
        framed = false;
        return;
      }
      framed ??= chunk.length >= 4 && CONNECT_REQUEST_LENGTHS.has(chunk.readInt32BE(0));
      if (!framed) return send(upstream, chunk);
      for (const frame of requests.push(chunk)) {
        if (!handshakeSent) handshakeSent = true;
        else if (requests.framed && frame.length >= REQUEST_TYPE + 4) {
          const fault = faults.find(({ opCode }) => opCode === frame.readInt32BE(REQUEST_TYPE));
          if (fault !== undefined) {
            faults.splice(faults.indexOf(fault), 1);
            failing.set(frame.readInt32BE(FRAME_XID), fault);
          }
        }
        send(upstream, frame);
      }
      framed = requests.framed;
    });

    upstream.on('data', (chunk: Buffer) => {
      if (blackholed) {
        framed = false;
        return;
      }
      if (framed !== true) return send(downstream, chunk);
      for (const frame of replies.push(chunk)) {
        const xid = frame.length >= REPLY_HEADER_END ? frame.readInt32BE(FRAME_XID) : undefined;
        const fault = handshakeReplied && replies.framed && xid !== undefined ? failing.get(xid) : undefined;
        handshakeReplied = true;
        if (fault === undefined || xid === undefined) {
          send(downstream, frame);
          continue;
        }
        failing.delete(xid);
        send(downstream, errorReply(frame, fault.err));
        fault.done();
      }
      framed = replies.framed;
    });

    closeFrom(downstream, upstream);
    closeFrom(upstream, downstream);
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
    forwardConnection(downstream, upstream);
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
    failNextReply: (opCode, err) =>
      new Promise<void>((resolve) => faults.push({ opCode, err, done: resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
};
