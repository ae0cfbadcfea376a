/**
 * Type declarations of @zk-lock/node-zookeeper-client: node-zookeeper-client 1.1.3's API as its
 * JavaScript implements it, plus this fork's additions (marked "fork:", see CHANGELOG.md).
 * Written for this package; they need no other declarations than Node's.
 */

/// <reference types="node" />

import { EventEmitter } from 'node:events';

/** An authentication id: `world:anyone`, `auth:` (the session's own ids), `digest:user:hash`, ... */
export declare class Id {
  /** `ANYONE_ID_UNSAFE`: `world:anyone`. */
  static readonly ANYONE_ID_UNSAFE: Id;
  /** `AUTH_IDS`: `auth:`, whatever ids the session authenticated with. */
  static readonly AUTH_IDS: Id;
  constructor(scheme: string, id: string);
  readonly scheme: string;
  readonly id: string;
}

/** A permission (a sum of `Permission` bits, 1 to 31) granted to an id. */
export declare class ACL {
  /** Anyone may do anything. */
  static readonly OPEN_ACL_UNSAFE: ReadonlyArray<ACL>;
  /** Only the ids the creating session authenticated with may do anything. */
  static readonly CREATOR_ALL_ACL: ReadonlyArray<ACL>;
  /** Anyone may read. */
  static readonly READ_ACL_UNSAFE: ReadonlyArray<ACL>;
  /** Throws when `permission` is not an integer from 1 to 31 or `id` is not an `Id`. */
  constructor(permission: number, id: Id);
  readonly permission: number;
  readonly id: Id;
}

export declare const Permission: {
  readonly READ: 1;
  readonly WRITE: 2;
  readonly CREATE: 4;
  readonly DELETE: 8;
  readonly ADMIN: 16;
  readonly ALL: 31;
};

export declare const CreateMode: {
  readonly PERSISTENT: 0;
  readonly EPHEMERAL: 1;
  readonly PERSISTENT_SEQUENTIAL: 2;
  readonly EPHEMERAL_SEQUENTIAL: 3;
};

/**
 * A znode's Stat as the client decodes it: ZooKeeper's 8-byte fields (zxids, times, the ephemeral
 * owner's session id) as 8-byte big-endian Buffers, the rest as numbers.
 */
export interface Stat {
  readonly czxid: Buffer;
  readonly mzxid: Buffer;
  readonly ctime: Buffer;
  readonly mtime: Buffer;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  /** The owning session's id for an ephemeral node, 8 zero bytes otherwise. */
  readonly ephemeralOwner: Buffer;
  readonly dataLength: number;
  readonly numChildren: number;
  readonly pzxid: Buffer;
}

/** A client state (`Client.getState()`, the `state` event). Compare with the `State` constants. */
export interface State {
  readonly name: string;
  readonly code: number;
  getName(): string;
  getCode(): number;
  /** `NAME[code]` */
  toString(): string;
}

export declare const State: {
  readonly DISCONNECTED: State;
  readonly SYNC_CONNECTED: State;
  readonly AUTH_FAILED: State;
  readonly CONNECTED_READ_ONLY: State;
  readonly SASL_AUTHENTICATED: State;
  readonly EXPIRED: State;
};

/** What a one-shot watcher is told: the event's type and the node's path. */
export declare class Event {
  static readonly NODE_CREATED: 1;
  static readonly NODE_DELETED: 2;
  static readonly NODE_DATA_CHANGED: 3;
  static readonly NODE_CHILDREN_CHANGED: 4;
  /** Throws on a type other than the four above. */
  constructor(type: number, name: string, path?: string);
  readonly type: number;
  /** `NODE_CREATED`, `NODE_DELETED`, `NODE_DATA_CHANGED` or `NODE_CHILDREN_CHANGED`. */
  readonly name: string;
  readonly path: string;
  getType(): number;
  getName(): string;
  getPath(): string;
  /** `NAME[type]@path` */
  toString(): string;
}

/**
 * An error ZooKeeper answered with, or one the client made up locally (CONNECTION_LOSS,
 * SESSION_EXPIRED, AUTH_FAILED when the connection or session is gone). fork: a code this client
 * has no name for (newer servers send THROTTLED_OP -127, ...) gives an Exception named `UNKNOWN`
 * that carries the server's code, where stock 1.1.3 threw from the socket handler.
 */
export declare class Exception extends Error {
  static readonly OK: 0;
  static readonly SYSTEM_ERROR: -1;
  static readonly RUNTIME_INCONSISTENCY: -2;
  static readonly DATA_INCONSISTENCY: -3;
  static readonly CONNECTION_LOSS: -4;
  static readonly MARSHALLING_ERROR: -5;
  static readonly UNIMPLEMENTED: -6;
  static readonly OPERATION_TIMEOUT: -7;
  static readonly BAD_ARGUMENTS: -8;
  static readonly API_ERROR: -100;
  static readonly NO_NODE: -101;
  static readonly NO_AUTH: -102;
  static readonly BAD_VERSION: -103;
  static readonly NO_CHILDREN_FOR_EPHEMERALS: -108;
  static readonly NODE_EXISTS: -110;
  static readonly NOT_EMPTY: -111;
  static readonly SESSION_EXPIRED: -112;
  static readonly INVALID_CALLBACK: -113;
  static readonly INVALID_ACL: -114;
  static readonly AUTH_FAILED: -115;
  /** The exception for a code, named after it (`UNKNOWN` for a code without a name here). */
  static create(code: number, path?: string): Exception;
  /** Throws on a code without a name here; `ctor` starts the stack trace. */
  constructor(code: number, name: string, path: string | undefined, ctor: (...args: never[]) => unknown);
  constructor(code: number, name: string, ctor: (...args: never[]) => unknown);
  readonly code: number;
  /** The code's name (`NO_NODE`, ...), or `UNKNOWN`. */
  readonly name: string;
  readonly path: string | undefined;
  getCode(): number;
  getName(): string;
  getPath(): string | undefined;
}

/** A callback's error: a ZooKeeper `Exception`, or an `Error` from the client itself. */
export type ClientError = Exception | Error;

/** Values are `undefined` whenever `error` is set. */
export type Callback<A> = (error: ClientError | null, value: A) => void;

/** One operation's result in a committed transaction (`type` is the operation's code). */
export interface TransactionResult {
  readonly type: number;
  /** Of a create: the created path. */
  readonly path?: string;
  /** Of a setData: the node's new Stat. */
  readonly stat?: Stat;
  /** Of a failed transaction: each operation's error code. */
  readonly err?: number;
}

/** A set of operations applied atomically (`Client.transaction()`); each adder returns the transaction. */
export interface Transaction {
  /** `data`, `acls` and `mode` may come in any order, each optional. */
  create(path: string, ...dataAclsOrMode: Array<Buffer | ReadonlyArray<ACL> | number>): this;
  check(path: string, version?: number): this;
  setData(path: string, data: Buffer | null, version?: number): this;
  remove(path: string, version?: number): this;
  /** `error` is the first failed operation's exception; `results` says what each operation did. */
  commit(callback: (error: ClientError | null, results: TransactionResult[]) => void): void;
}

/** fork: which of a client's watcher lists `registerWatcher` adds to. */
export type WatcherKind = 'data' | 'existence' | 'child';

/**
 * fork: decodes a successful reply's payload from its frame: `frame` holds the 4-byte length, the
 * reply header (xid, zxid, err) and the payload from `offset` (always 20) on. What it returns is
 * what the request's callback gets; it must copy what it keeps (the frame is a view of the socket's
 * data).
 */
export type ReplyDecoder<A> = (frame: Buffer, offset: number) => A;

export interface Option {
  /** Requested session timeout, ms (default 30000); the server negotiates the real one. */
  sessionTimeout: number;
  /** Longest random pause between rounds of connection attempts over all servers, ms (default 1000). */
  spinDelay: number;
  /** Resends of a request failed by CONNECTION_LOSS (default 0). */
  retries: number;
  /** Resume this session (with `sessionPassword`) instead of creating one. */
  sessionId: Buffer;
  sessionPassword: Buffer;
  /**
   * fork: how long a server may leave the session handshake unanswered once TCP is connected before
   * the socket is dropped and the next server tried, ms: a number, or a function of the current
   * session timeout (the negotiated one once known, else the requested one) called at each
   * handshake. Default: the session timeout divided by the number of servers (the Java client's
   * connect timeout). Stock 1.1.3 waited forever.
   */
  handshakeTimeout: number | ((sessionTimeout: number) => number);
  /**
   * fork: how long `close()` waits for the server to confirm before it drops the socket, ms.
   * Default: the session timeout divided by the number of servers. Stock 1.1.3 waited forever,
   * and a silent server's socket kept the process alive.
   */
  closeTimeout: number;
}

/** Events without arguments; `state` gives the new `State`. */
export type ClientEvent =
  | 'connected'
  | 'connectedReadOnly'
  | 'disconnected'
  | 'expired'
  | 'authenticationFailed'
  /**
   * fork: a session handshake (connect request) is being written to a newly connected socket
   * (emitted just before the write: a server that accepts it confirms the session after this).
   */
  | 'handshakeSent';

export interface Client extends EventEmitter {
  /** Starts connecting (and reconnecting whenever the connection drops) until `close()`. */
  connect(): void;
  /**
   * Closes the session. fork: a closed client stays closed (stock 1.1.3 could reconnect when
   * `close()` ran while the socket dropped); `callback` runs once the socket is gone: the server
   * confirmed, or it stayed silent for `closeTimeout` and the socket was dropped, or there was
   * none.
   */
  close(callback?: () => void): void;

  create(path: string, callback: Callback<string>): void;
  /** `data`, `acls` (default `ACL.OPEN_ACL_UNSAFE`) and `mode` (default PERSISTENT) in any order. */
  create(
    path: string,
    ...args: [...dataAclsOrMode: Array<Buffer | ReadonlyArray<ACL> | number>, callback: Callback<string>]
  ): void;
  remove(path: string, callback: (error: ClientError | null) => void): void;
  remove(path: string, version: number, callback: (error: ClientError | null) => void): void;
  removeRecursive(path: string, callback: (error: ClientError | null) => void): void;
  removeRecursive(path: string, version: number, callback: (error: ClientError | null) => void): void;
  /** The node's Stat, or `null` when there is none. */
  exists(path: string, callback: Callback<Stat | null>): void;
  /** The watcher fires on the node's creation when it does not exist, else on a data change or its deletion. */
  exists(path: string, watcher: (event: Event) => void, callback: Callback<Stat | null>): void;
  getChildren(
    path: string,
    callback: (error: ClientError | null, children: string[], stat: Stat) => void,
  ): void;
  getChildren(
    path: string,
    watcher: (event: Event) => void,
    callback: (error: ClientError | null, children: string[], stat: Stat) => void,
  ): void;
  /** `data` is undefined for a node created without data. */
  getData(path: string, callback: (error: ClientError | null, data: Buffer, stat: Stat) => void): void;
  getData(
    path: string,
    watcher: (event: Event) => void,
    callback: (error: ClientError | null, data: Buffer, stat: Stat) => void,
  ): void;
  setData(path: string, data: Buffer | null, callback: Callback<Stat>): void;
  setData(path: string, data: Buffer | null, version: number, callback: Callback<Stat>): void;
  getACL(path: string, callback: (error: ClientError | null, acls: ACL[], stat: Stat) => void): void;
  setACL(path: string, acls: ReadonlyArray<ACL>, callback: Callback<Stat>): void;
  setACL(path: string, acls: ReadonlyArray<ACL>, version: number, callback: Callback<Stat>): void;
  listSubTreeBFS(path: string, callback: Callback<string[]>): void;
  mkdirp(path: string, callback: Callback<string>): void;
  mkdirp(
    path: string,
    ...args: [...dataAclsOrMode: Array<Buffer | ReadonlyArray<ACL> | number>, callback: Callback<string>]
  ): void;
  transaction(): Transaction;
  /** Credentials sent with every (re)connection, e.g. `addAuthInfo('digest', Buffer.from('user:pw'))`. */
  addAuthInfo(scheme: string, auth: Buffer): void;
  getState(): State;
  /** 8 bytes; valid once connected. */
  getSessionId(): Buffer;
  /** 16 bytes; valid once connected. */
  getSessionPassword(): Buffer;
  /** The negotiated session timeout once connected (the requested one before), ms. */
  getSessionTimeout(): number;

  /**
   * fork: whether the client's socket keeps the process alive (Node's `ref()`/`unref()`), now and
   * for every socket after a reconnect; with false, the timers of a connection attempt do not
   * either. Default true.
   */
  setSocketRef(ref: boolean): void;
  /**
   * fork: runs `send` with the socket corked and returns what it returns: the requests `send`
   * queues synchronously leave together, in one system call, when it returns.
   */
  cork<A>(send: () => A): A;
  /**
   * fork: sends a request encoded by the caller. `frame` is the whole request as ZooKeeper reads
   * it: a 4-byte big-endian length of the rest, the request header (xid, type) and the payload. The
   * client writes its xid into bytes 4-7 when the request leaves (the frame must not be reused) and
   * reads the type from bytes 8-11 (a request answered by its xid: not a ping, auth, set-watches
   * or close). On success `callback` gets what `decode` read from the reply (undefined without a
   * decoder), on failure the Exception, exactly as the client's own requests (a connection loss
   * fails it; it is never resent), or what a throwing decoder threw. The client does nothing else:
   * a watch asked for in the payload is registered with `registerWatcher` once the reply came.
   * Throws (an AssertionError) on a malformed frame, and with a chroot in the connect string (the
   * client cannot prefix the paths inside the frame).
   */
  queueEncoded<A>(
    frame: Buffer,
    decode: ReplyDecoder<A> | undefined,
    callback: (error: ClientError | null, value: A | undefined) => void,
  ): void;
  /**
   * fork: adds a one-shot watcher for `path`, as the client's own `getData` / `exists` /
   * `getChildren` do once their reply came (`data`: data changes and deletion; `existence`:
   * creation; `child`: children changes and deletion). It fires only if the server was asked to
   * watch the node.
   */
  registerWatcher(kind: WatcherKind, path: string, watcher: (event: Event) => void): void;

  on(event: 'state', listener: (state: State) => void): this;
  on(event: ClientEvent, listener: () => void): this;
  once(event: 'state', listener: (state: State) => void): this;
  once(event: ClientEvent, listener: () => void): this;
  addListener(event: 'state', listener: (state: State) => void): this;
  addListener(event: ClientEvent, listener: () => void): this;
  prependListener(event: 'state', listener: (state: State) => void): this;
  prependListener(event: ClientEvent, listener: () => void): this;
  off(event: 'state', listener: (state: State) => void): this;
  off(event: ClientEvent, listener: () => void): this;
  removeListener(event: 'state', listener: (state: State) => void): this;
  removeListener(event: ClientEvent, listener: () => void): this;
}

/**
 * A client for `connectionString` (`host:port,host:port[/chroot]`); it connects on `connect()`.
 * Throws (an AssertionError) on a bad connection string or options.
 */
export declare function createClient(connectionString: string, options?: Partial<Option>): Client;
