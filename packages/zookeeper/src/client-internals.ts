import zookeeper from 'node-zookeeper-client';
import {
  REPLY_ERR_OFFSET,
  REPLY_PAYLOAD_OFFSET,
  REPLY_ZXID_OFFSET,
  XID_OFFSET,
  type ReplyDecoder,
} from './wire.js';

/**
 * The only module that touches node-zookeeper-client 1.1.3's private ConnectionManager. Each use
 * checks that the internals look as expected and does nothing otherwise, so another version of
 * the client degrades to its stock behaviour instead of breaking.
 */

/** ConnectionManager states of node-zookeeper-client 1.1.3 (lib/ConnectionManager.js `STATES`). */
const CONNECTING = 1;

/** A packet the client has sent and waits for the reply of (lib/ConnectionManager.js `pendingQueue`). */
interface PendingPacket {
  readonly request: unknown;
  readonly callback: (error: unknown, reply?: Reply) => void;
}

interface ConnectionManager {
  state?: number;
  socket?: {
    destroy(): void;
    readonly destroyed?: boolean;
    ref?: () => void;
    unref?: () => void;
    cork?: () => void;
    uncork?: () => void;
  };
  pendingBuffer?: Buffer | null;
  pendingQueue?: PendingPacket[];
  zxid?: Buffer;
  onSocketData?: (chunk: Buffer) => void;
  close?: () => void;
  findNextServer?: (callback: (server: unknown) => void) => void;
  onSocketConnected?: (...args: unknown[]) => void;
  chrootPath?: string;
  queue?: (request: EncodedRequest, callback: (error: unknown, reply?: Reply) => void) => void;
  registerDataWatcher?: (path: string, watcher: (event: zookeeper.Event) => void) => void;
  registerExistenceWatcher?: (path: string, watcher: (event: zookeeper.Event) => void) => void;
}

/** A reply as a queued request's callback gets it: the header's code, and the payload. */
export interface Reply {
  readonly header: { readonly err: number };
  /** For an encoded request, what its decoder read (`wire.ts`); null after an error or for none. */
  readonly payload: unknown;
}

/**
 * A request the client can send like its own: the header it reads the type from and writes the
 * xid into when the request leaves, and `toBuffer`, which it calls then. The frame is the one
 * `wire.ts` encoded, with that xid written in.
 */
class EncodedRequest {
  readonly header: { xid: number; readonly type: number };

  constructor(
    type: number,
    private readonly frame: Buffer,
    /** Decodes a successful reply's payload (`guardSocketData`); none for a reply without one. */
    readonly decode: ReplyDecoder<unknown> | undefined,
  ) {
    this.header = { xid: 0, type };
  }

  toBuffer(): Buffer {
    this.frame.writeInt32BE(this.header.xid, XID_OFFSET);
    return this.frame;
  }
}

const managerOf = (client: zookeeper.Client): ConnectionManager | undefined => {
  const manager = (client as unknown as { connectionManager?: unknown }).connectionManager;
  return typeof manager === 'object' && manager !== null ? (manager as ConnectionManager) : undefined;
};

/**
 * The runtime half of the reconnect crash fix, for installs without this workspace's
 * `patches/node-zookeeper-client@1.1.3.patch` (pnpm patches do not travel to consumers), and a
 * close that stays closed.
 *
 * - Stock 1.1.3 schedules a second reconnect when `connect()` runs while one is pending (a
 *   `disconnected` listener calling `client.connect()`, as zk-lock 2.x did; our `client` is public),
 *   and that second one calls `net.connect(undefined)`, which throws from a timer and kills the
 *   process. At most one reconnect is pending per client here.
 * - When the socket drops, the client decides to reconnect *before* it fails the requests in
 *   flight; a `close()` from such a request's callback was then undone by the reconnect, and the
 *   "closed" client re-established its session and pinged forever. Once `close()` was called, no
 *   new socket is opened.
 */
export const guardReconnects = (client: zookeeper.Client): void => {
  const manager = managerOf(client);
  const { findNextServer, close } = manager ?? {};
  if (manager === undefined || typeof findNextServer !== 'function' || typeof close !== 'function') return;
  let pending = false;
  // Remembered here: the client's own state can be overwritten by a reconnect decided earlier.
  let closed = false;
  manager.close = () => {
    closed = true;
    close.call(manager);
  };
  manager.findNextServer = (callback) => {
    if (pending) return;
    pending = true;
    findNextServer.call(manager, (server) => {
      pending = false;
      if (!closed) callback(server);
    });
  };
};

/**
 * Gives the session handshake a deadline, as the Java client does. node-zookeeper-client waits for
 * the answer to its connect request forever once the TCP connection is up, and a server can leave
 * it unanswered: ZooKeeper 3.8.0 accepts connections while it is still starting, and the close of
 * such a connection fails halfway (an NPE in `removeCnxn`), leaving the socket open and silent.
 * The client then never reconnects and its session is lost although the server is back. When no
 * answer came within `timeoutMs()`, the socket is dropped and the client tries again.
 * `onSent` learns when each connect request leaves: a server that accepts it has created or
 * revalidated the session with the leader at or after that moment, which the liveness clock counts
 * as confirmed evidence. (The client binds `onSocketConnected` afresh for every socket, so an own
 * property takes effect.)
 */
export const guardHandshake = (
  client: zookeeper.Client,
  { timeoutMs, onSent }: { readonly timeoutMs: () => number; readonly onSent: (at: number) => void },
): void => {
  const manager = managerOf(client);
  const onSocketConnected = manager?.onSocketConnected;
  if (manager === undefined || typeof onSocketConnected !== 'function') return;
  manager.onSocketConnected = (...args) => {
    const socket = manager.socket;
    setTimeout(() => {
      if (manager.socket === socket && manager.state === CONNECTING) socket?.destroy();
    }, timeoutMs()).unref();
    onSent(performance.now());
    onSocketConnected.apply(manager, args);
  };
};

/**
 * Drops the client's socket at once. After `client.close()` on a silent server (paused, or cut
 * off by a partition) the close request is never answered and the socket would stay open forever,
 * keeping the process alive; destroying it lets the client finish closing.
 */
export const destroySocket = (client: zookeeper.Client): void => {
  managerOf(client)?.socket?.destroy();
};

/**
 * Lets the client's socket keep the process alive, or not (Node's `ref` / `unref`). The client's
 * own timers (socket idle timeout for pings, the handshake deadline here) are unref'd already, so
 * an unref'd socket is all that holds the event loop while a session is open and idle.
 */
export const refSocket = (client: zookeeper.Client, ref: boolean): void => {
  const socket = managerOf(client)?.socket;
  if (ref) socket?.ref?.();
  else socket?.unref?.();
};

/**
 * Runs `send`, which queues requests on `client`, with the socket corked: the requests leave in one
 * system call instead of one each (node-zookeeper-client writes a request the moment it is queued;
 * a write costs 20-30 us on the bench machine). Only what `send` queues synchronously is held
 * back, and only until it returns: deferring writes to the end of the turn instead made W4h's
 * hand-overs slower.
 */
export const corked = <A>(client: zookeeper.Client, send: () => A): A => {
  const socket = managerOf(client)?.socket;
  socket?.cork?.();
  try {
    return send();
  } finally {
    socket?.uncork?.();
  }
};

/** Managers whose replies pass `guardSocketData`, the only place encoded requests' replies are decoded. */
const repliesGuarded = new WeakSet<ConnectionManager>();

/** The client's error for a reply's code (its `Exception.create`, guarded by `guardErrorCodes`). */
const createException = (code: number): unknown =>
  (zookeeper.Exception as unknown as { create: (code: number) => unknown }).create(code);

/**
 * Answers the request at the head of the client's pending queue with `reply` when that request is an
 * encoded one (`encodedQueue`) and the reply is its answer: decoded by the request's own decoder
 * instead of the client's generic one, with exactly the client's bookkeeping (the packet leaves the
 * queue, the reply's zxid becomes the session's last seen, an error code becomes the client's
 * Exception). Anything else (the handshake, notifications, pings, a reply out of order, which the
 * client answers by reconnecting) is left to the client: false.
 */
const takeEncodedReply = (manager: ConnectionManager, reply: Buffer): boolean => {
  if (manager.state === CONNECTING || reply.length < REPLY_PAYLOAD_OFFSET) return false;
  const xid = reply.readInt32BE(XID_OFFSET);
  const packet = manager.pendingQueue?.[0];
  const request = packet?.request;
  if (xid < 0 || !(request instanceof EncodedRequest) || request.header.xid !== xid) return false;
  manager.pendingQueue?.shift();
  // The client keeps the zxid as a buffer of its own and sends it when it reconnects (a server
  // behind it then refuses the session): a copy, not a view of the socket's chunk.
  manager.zxid = Buffer.from(reply.subarray(REPLY_ZXID_OFFSET, REPLY_ZXID_OFFSET + 8));
  const err = reply.readInt32BE(REPLY_ERR_OFFSET);
  const header = { xid, err };
  if (err !== 0) packet?.callback(createException(err), { header, payload: null });
  else packet?.callback(null, { header, payload: request.decode?.(reply, REPLY_PAYLOAD_OFFSET) ?? null });
  return true;
};

/**
 * The runtime half of the quadratic-copy fix, for installs without this workspace's patch. Stock
 * 1.1.3's `onSocketData` handles one reply, copies the rest of the chunk and recurses: quadratic in
 * the replies per chunk (13 % of the CPU with 5000 locks acquired at once). Here the chunk is cut
 * into whole replies, and the client gets them one at a time, so it never has a rest to copy. (The
 * client binds `onSocketData` afresh for every socket, so an own property takes effect.) Replies to
 * encoded requests are decoded here and never reach the client's decoder (`takeEncodedReply`).
 */
export const guardSocketData = (client: zookeeper.Client): void => {
  const manager = managerOf(client);
  const onSocketData = manager?.onSocketData;
  if (manager === undefined || typeof onSocketData !== 'function' || !('pendingBuffer' in manager)) return;
  let partial: { readonly socket: unknown; readonly bytes: Buffer } | undefined;
  repliesGuarded.add(manager);
  manager.onSocketData = (chunk) => {
    const socket = manager.socket;
    const buffer =
      partial !== undefined && partial.socket === socket ? Buffer.concat([partial.bytes, chunk]) : chunk;
    partial = undefined;
    let start = 0;
    while (buffer.length - start >= 4) {
      const end = start + 4 + buffer.readInt32BE(start);
      // Not a reply length (negative): drop the connection, the client reconnects.
      if (end < start + 4) return socket?.destroy();
      if (end > buffer.length) break;
      const reply = buffer.subarray(start, end);
      if (!takeEncodedReply(manager, reply)) onSocketData.call(manager, reply);
      if (manager.socket !== socket || socket?.destroyed === true) return;
      start = end;
    }
    // Copied: a view would keep the whole chunk alive.
    if (start < buffer.length) partial = { socket, bytes: Buffer.from(buffer.subarray(start)) };
  };
};

interface ExceptionModule {
  create?: (code: number, path?: string) => unknown;
  readonly SYSTEM_ERROR?: number;
}

const GUARDED = Symbol.for('zk-lock.guardedExceptionCreate');

/**
 * The runtime half of the unknown-error-code fix. Stock 1.1.3's `Exception.create` throws on a code
 * it does not know (newer servers send THROTTLED_OP -127, SESSION_MOVED -118, ...), and it is
 * called from the socket's data handler: the throw killed the process. Wrapped once per module,
 * an unknown code gives an Exception named UNKNOWN carrying the server's code (as the patch does).
 */
export const guardErrorCodes = (Exception: ExceptionModule): void => {
  const create = Exception.create;
  const fallback = Exception.SYSTEM_ERROR;
  if (typeof create !== 'function' || typeof fallback !== 'number' || GUARDED in create) return;
  const guarded = (code: number, path?: string): unknown => {
    try {
      return create(code, path);
    } catch (error) {
      if (typeof code !== 'number') throw error;
      const where = path === undefined ? '' : `@${path}`;
      return Object.assign(create(fallback, path) as object, {
        code,
        name: 'UNKNOWN',
        message: `Exception: UNKNOWN[${code}]${where}`,
      });
    }
  };
  Exception.create = Object.assign(guarded, { [GUARDED]: true });
};

/** Sends an encoded request (`wire.ts`) on the client's connection; the callback gets its reply. */
export type SendEncoded = (
  type: number,
  frame: Buffer,
  decode: ReplyDecoder<unknown> | undefined,
  callback: (error: unknown, reply?: Reply) => void,
) => void;

/** Watches the way the client's own `getData` and `exists` leave them, once the reply came. */
export interface WatcherRegistry {
  readonly data: (path: string, watcher: (event: zookeeper.Event) => void) => void;
  readonly existence: (path: string, watcher: (event: zookeeper.Event) => void) => void;
}

/**
 * The client's connection as a queue for encoded requests, bypassing its public methods: their
 * argument juggling, the generic encoder and the `attempt` wrapper (a retry loop of about seven
 * closures per request, which a pnpm patch removes here but not for npm installs). Their replies are
 * decoded by `guardSocketData` with the client's bookkeeping; a connection loss still fails them
 * through the client, as its own requests. Undefined (use the public methods) when the internals
 * do not look like 1.1.3's, when the replies do not pass `guardSocketData` (which decodes them), or
 * when the connect string has a chroot, which the client prepends to paths inside its own requests.
 */
export const encodedQueue = (
  client: zookeeper.Client,
): { readonly send: SendEncoded; readonly watchers: WatcherRegistry } | undefined => {
  const manager = managerOf(client);
  if (
    manager === undefined ||
    !repliesGuarded.has(manager) ||
    manager.chrootPath ||
    typeof manager.queue !== 'function' ||
    typeof manager.registerDataWatcher !== 'function' ||
    typeof manager.registerExistenceWatcher !== 'function'
  )
    return undefined;
  const internals = manager as Required<
    Pick<ConnectionManager, 'queue' | 'registerDataWatcher' | 'registerExistenceWatcher'>
  >;
  // Looked up on every call, as the client's own methods do: whoever wraps them (a test dropping a
  // reply) sees these requests too.
  return {
    send: (type, frame, decode, callback) =>
      internals.queue(new EncodedRequest(type, frame, decode), callback),
    watchers: {
      data: (path, watcher) => internals.registerDataWatcher(path, watcher),
      existence: (path, watcher) => internals.registerExistenceWatcher(path, watcher),
    },
  };
};
