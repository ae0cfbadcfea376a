import {
  zkFailure,
  type AclMode,
  type ConnectionEvent,
  type SessionInfo,
  type ZkFailure,
} from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import zookeeper, { type Client, type Event } from '@zk-lock/node-zookeeper-client';
import { clientRequests, type ClientRequests } from './client-requests.js';
import { log } from './debug-log.js';
import { answeredByServer, isConnectionLoss, toZkFailure } from './failure.js';
import { LivenessClock, type ReplyKind } from './liveness-clock.js';
import type { ResolvedServers } from './locator.js';
import { MIN_CONNECT_TIMEOUT_MS } from './options.js';
import { hex64, type NodeStat } from './stat.js';
import { CreateFlags } from './wire.js';

/** Credentials given to the server with `addAuthInfo` before the session is used. */
export interface AuthInfo {
  /** `digest` in practice; the server rejects schemes it has no provider for (AUTH_FAILED). */
  readonly scheme: string;
  /** For `digest`: `user:password`. */
  readonly id: string;
}

/** Checked settings of one session (see `sessionSettings` for the user-facing options). */
export interface SessionSettings {
  /** Requested session timeout, ms; the server negotiates the real one. */
  readonly sessionTimeout: number;
  /** Longest random pause between rounds of reconnect attempts, ms. */
  readonly spinDelay: number;
  readonly auth: ReadonlyArray<AuthInfo>;
  /** `open()` gives up (CONNECTION_LOSS) when no session is established within this, ms. */
  readonly connectTimeoutMs: number;
}

/**
 * `container`: a node the server deletes once it is empty after having had children (ZooKeeper
 * >= 3.5.3). On a server without containers the session creates a persistent node instead.
 */
export type CreateMode =
  'persistent' | 'persistent-sequential' | 'ephemeral' | 'ephemeral-sequential' | 'container';

export interface CreateOptions {
  /** Stored as UTF-8 when a string. Default: empty. */
  readonly data?: Buffer | string;
  /** Default `persistent`. */
  readonly mode?: CreateMode;
  /** `creator`: CREATOR_ALL_ACL (needs credentials); `open` (default): OPEN_ACL_UNSAFE. */
  readonly acl?: AclMode;
}

export type WatchEventType = 'created' | 'deleted' | 'dataChanged' | 'childrenChanged';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly path: string;
}

/** A one-shot ZooKeeper watch callback. */
export type Watcher = (event: WatchEvent) => void;

export interface Children {
  readonly children: ReadonlyArray<string>;
  /** The parent's Stat (its czxid is the fencing token's high part). */
  readonly stat: NodeStat;
}

export interface NodeData {
  readonly data: Buffer;
  readonly stat: NodeStat;
}

/** `live`, `suspended` (not heard from the server lately), `lost` (presumed or known expired), `closed`. */
export type SessionState = 'live' | 'suspended' | 'lost' | 'closed';

const MODES: Readonly<Record<CreateMode, number>> = {
  persistent: CreateFlags.persistent,
  'persistent-sequential': CreateFlags.persistentSequential,
  ephemeral: CreateFlags.ephemeral,
  'ephemeral-sequential': CreateFlags.ephemeralSequential,
  container: CreateFlags.container,
};

const WATCH_EVENTS: ReadonlyMap<number, WatchEventType> = new Map([
  [zookeeper.Event.NODE_CREATED, 'created'],
  [zookeeper.Event.NODE_DELETED, 'deleted'],
  [zookeeper.Event.NODE_DATA_CHANGED, 'dataChanged'],
  [zookeeper.Event.NODE_CHILDREN_CHANGED, 'childrenChanged'],
]);

const EMPTY = Buffer.alloc(0);

/** Settles requests still in flight when the session ends (no server reply: the clock ignores it). */
const ENDED = Symbol('session ended');

interface Handshake {
  readonly sentAt: number;
}

/** How long a closing client may wait for the server to confirm before its socket is dropped (`closeTimeout`). */
export const CLOSE_GRACE_MS = 1_000;

const replyKind = (error: unknown): ReplyKind =>
  answeredByServer(error) ? 'answered' : isConnectionLoss(error) ? 'connection-loss' : 'other';

/**
 * Closes a client and resolves once its socket is gone: at once when the server confirms, after
 * `CLOSE_GRACE_MS` (the client's `closeTimeout`: it drops the socket) when it is silent. Never
 * rejects.
 */
const closeClient = (client: Client): Promise<void> => new Promise((resolve) => client.close(resolve));

const parentOf = (path: string): string => path.slice(0, Math.max(1, path.lastIndexOf('/')));

/**
 * One ZooKeeper session: a node-zookeeper-client client, typed requests returning
 * `TaskEither<ZkFailure, A>`, and the liveness clock that raises `suspended`, `reconnected` and
 * `lost` on time even when the server falls silent. After `lost` the session is closed and every
 * request fails with SESSION_EXPIRED; it is never reused.
 */
export class ZkSession {
  /** The raw client (zk-lock 2.x exposed it as `lock.client`): `@zk-lock/node-zookeeper-client`. */
  readonly client: Client;
  readonly servers: ResolvedServers;
  /** 16 lowercase hex digits. */
  readonly sessionId: string;
  readonly #clock: LivenessClock;
  readonly #requests: ClientRequests;
  readonly #listeners = new Set<(event: ConnectionEvent) => void>();
  /** Settle functions of requests in flight, failed at once when the session ends. */
  readonly #pending = new Set<(error: unknown) => void>();
  #ended: 'expired' | 'timeout' | 'closed' | undefined;
  #closed: Promise<void> | undefined;
  #info: SessionInfo | undefined;
  /** The server answered a container create UNIMPLEMENTED: containers are created persistent. */
  #withoutContainers = false;

  /** @param handshake when the last connect request left (kept current from the client's `handshakeSent`) */
  private constructor(client: Client, servers: ResolvedServers, handshake: Handshake) {
    this.client = client;
    this.servers = servers;
    this.sessionId = hex64(client.getSessionId());
    this.#requests = clientRequests(client);
    this.#clock = new LivenessClock(() => client.getSessionTimeout(), handshake.sentAt, {
      ping: () => void this.exists('/')(),
      suspended: (lostInMs) => this.#emit({ type: 'suspended', lostInMs }),
      reconnected: () => this.#emit({ type: 'reconnected' }),
      lost: () => this.#end('timeout'),
    });
    client.on('disconnected', () => this.#clock.disconnected());
    client.on('connected', () => this.#clock.connected(handshake.sentAt));
    client.on('expired', () => this.#end('expired'));
    client.on('authenticationFailed', () => this.#end('closed'));
    this.#clock.check();
  }

  /**
   * Connects, hands over the credentials, and confirms the session with one request (its answer
   * proves the credentials were accepted). The clock starts from the accepted connect request.
   */
  static open(servers: ResolvedServers, settings: SessionSettings): TE.TaskEither<ZkFailure, ZkSession> {
    return () =>
      new Promise((resolve) => {
        let client: Client;
        const handshake = { sentAt: performance.now() };
        try {
          client = zookeeper.createClient(servers.connectString, {
            sessionTimeout: settings.sessionTimeout,
            spinDelay: settings.spinDelay,
            // Never resend on CONNECTION_LOSS behind the recipe's back (a resent create duplicates a node).
            retries: 0,
            // A third of each server's share of the timeout: a server that cannot answer a handshake
            // that fast is no better than one that misses a ping. (Before the first handshake the
            // client knows only the requested timeout, which the server may raise: hence the floor.)
            handshakeTimeout: (sessionTimeout) =>
              Math.max(sessionTimeout, MIN_CONNECT_TIMEOUT_MS) / (3 * servers.servers.length),
            closeTimeout: CLOSE_GRACE_MS,
          });
          client.on('handshakeSent', () => (handshake.sentAt = performance.now()));
          for (const { scheme, id } of settings.auth) client.addAuthInfo(scheme, Buffer.from(id));
        } catch (error) {
          resolve(E.left(toZkFailure(error)));
          return;
        }
        let settled = false;
        const settle = (result: E.Either<ZkFailure, ZkSession>): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          client.removeListener('authenticationFailed', onAuthFailed);
          if (E.isLeft(result)) void closeClient(client);
          resolve(result);
        };
        const onAuthFailed = (): void =>
          settle(
            E.left(
              zkFailure(
                'AUTH_FAILED',
                `ZooKeeper rejected the credentials (scheme ${settings.auth.map((a) => a.scheme).join(', ')})`,
              ),
            ),
          );
        const timer = setTimeout(
          () =>
            settle(
              E.left(
                zkFailure(
                  'CONNECTION_LOSS',
                  `no ZooKeeper session with ${servers.connectString} within ${settings.connectTimeoutMs} ms`,
                ),
              ),
            ),
          settings.connectTimeoutMs,
        );
        client.once('authenticationFailed', onAuthFailed);
        client.once('connected', () =>
          client.exists('/', (error) => {
            if (error) settle(E.left(toZkFailure(error, '/')));
            // `this`, not the class's name: a class body that names its class is renamed by the
            // bundler (`_ZkSession` in stack traces of the published package).
            else settle(E.right(new this(client, servers, handshake)));
          }),
        );
        client.connect();
      });
  }

  /** The session timeout the server negotiated, ms. */
  get sessionTimeoutMs(): number {
    return this.client.getSessionTimeout();
  }

  /** The same object while the negotiated timeout stays the same: every lock on the session keeps it. */
  get info(): SessionInfo {
    const sessionTimeoutMs = this.sessionTimeoutMs;
    if (this.#info?.sessionTimeoutMs !== sessionTimeoutMs)
      this.#info = { sessionId: this.sessionId, sessionTimeoutMs };
    return this.#info;
  }

  get state(): SessionState {
    if (this.#ended !== undefined) return this.#ended === 'closed' ? 'closed' : 'lost';
    return this.#clock.phase === 'suspended' ? 'suspended' : 'live';
  }

  /** Send time (`performance.now()` base) of the last request a server answered. */
  get lastAnsweredSentAt(): number {
    return this.#clock.lastAnsweredSentAt;
  }

  /** The latest moment (`performance.now()` base) the server surely knew the session alive; `lost` comes one timeout later. */
  get confirmedAliveAt(): number {
    return this.#clock.confirmedAt;
  }

  /** Listens to `suspended`, `reconnected` and `lost`; returns the unsubscribe function. */
  subscribe(listener: (event: ConnectionEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Lets the session keep the process alive again (the default), as Node's `socket.ref()`.
   */
  ref(): void {
    this.client.setSocketRef(true);
  }

  /**
   * The session no longer keeps the process alive (its socket is unref'd; its timers always are):
   * a pooled session kept open for a next lease must not stop a finished script from exiting.
   */
  unref(): void {
    this.client.setSocketRef(false);
  }

  /**
   * Runs `send`, which starts requests on this session (invokes their tasks), and sends them
   * together: in one socket write rather than one each.
   */
  batch<A>(send: () => A): A {
    return this.client.cork(send);
  }

  /**
   * Creates `path`; resolves to the path created. A `container` on a server without containers
   * (ZooKeeper before 3.5.3 answers UNIMPLEMENTED; 3.4 then drops the connection, not the session)
   * is created persistent, and from then on every container of this session is, without asking
   * again: said once on the `NODE_DEBUG=zk-lock` log.
   */
  create(
    path: string,
    { data, mode = 'persistent', acl = 'open' }: CreateOptions = {},
  ): TE.TaskEither<ZkFailure, string> {
    const bytes = data === undefined ? EMPTY : typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const send = (sent: CreateMode): TE.TaskEither<ZkFailure, string> =>
      this.#request<string>(path, (done) => this.#requests.create(path, bytes, acl, MODES[sent], done));
    if (mode !== 'container' || this.#withoutContainers)
      return send(mode === 'container' ? 'persistent' : mode);
    const container = send('container');
    // Sent when invoked (a caller batches it with the lock node's create), not a microtask later.
    return () =>
      container().then((created) =>
        E.isLeft(created) && created.left.code === 'UNIMPLEMENTED'
          ? (this.#learnNoContainers(created.left), send('persistent')())
          : created,
      );
  }

  /**
   * Creates `path` and any missing ancestors; existing ones are fine. `path` itself is created
   * with `acl` and as `leaf` (default `persistent`; `container` for a lock parent); ancestors are
   * always open and persistent (they are shared, e.g. `/locks` and the prefixes).
   */
  mkdirp(
    path: string,
    {
      acl = 'open',
      leaf = 'persistent',
    }: { readonly acl?: AclMode; readonly leaf?: 'persistent' | 'container' } = {},
  ): TE.TaskEither<ZkFailure, void> {
    // Deepest first: usually only the last segment is missing, and then this costs one request.
    const ensure = (node: string, retry: boolean): TE.TaskEither<ZkFailure, void> =>
      node === '/'
        ? TE.right(undefined)
        : TE.orElse((failure: ZkFailure) =>
            failure.code === 'NODE_EXISTS'
              ? TE.right(undefined)
              : failure.code === 'NO_NODE' && retry
                ? TE.chain(() => ensure(node, false))(ensure(parentOf(node), true))
                : TE.left(failure),
          )(
            TE.map(() => undefined)(
              node === path ? this.create(node, { acl, mode: leaf }) : this.create(node, { acl: 'open' }),
            ),
          );
    return ensure(path, true);
  }

  /** Whether this session creates containers (until a server said it has none). */
  get containers(): boolean {
    return !this.#withoutContainers;
  }

  /** The children and the node's Stat; a watcher fires once when the children change or the node is deleted. */
  getChildren(path: string, watcher?: Watcher): TE.TaskEither<ZkFailure, Children> {
    return this.#request<Children>(path, (done) =>
      this.#requests.getChildren(path, watcher && this.#watch(watcher), done),
    );
  }

  getData(path: string, watcher?: Watcher): TE.TaskEither<ZkFailure, NodeData> {
    return this.#request<NodeData>(path, (done) =>
      this.#requests.getData(path, watcher && this.#watch(watcher), done),
    );
  }

  /** The node's Stat, or none; a watcher fires on creation, data change or deletion. */
  exists(path: string, watcher?: Watcher): TE.TaskEither<ZkFailure, O.Option<NodeStat>> {
    return this.#request<O.Option<NodeStat>>(path, (done) =>
      this.#requests.exists(path, watcher && this.#watch(watcher), (error, stat) =>
        error ? done(error) : done(null, stat ? O.some(stat) : O.none),
      ),
    );
  }

  /**
   * Replaces a node's data if it is at `version` (-1 = any); resolves with its new Stat. Another
   * version fails with `BAD_VERSION` and leaves the node as it was.
   */
  setData(path: string, data: string | Buffer, version = -1): TE.TaskEither<ZkFailure, NodeStat> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return this.#request<NodeStat>(path, (done) => this.#requests.setData(path, bytes, version, done));
  }

  /** Deletes a node (`version` -1 = any). */
  remove(path: string, version = -1): TE.TaskEither<ZkFailure, void> {
    return this.#request<void>(path, (done) => this.#requests.remove(path, version, done));
  }

  /**
   * Closes the session (its ephemeral nodes go at once) and resolves when the socket is gone.
   * Listeners still subscribed hear `lost` with reason `closed`. Idempotent.
   */
  close(): Promise<void> {
    this.#end('closed');
    return this.#closed ?? Promise.resolve();
  }

  #watch(watcher: Watcher): (event: Event) => void {
    return (event) => {
      const type = WATCH_EVENTS.get(event.getType());
      if (type !== undefined && this.#ended === undefined) watcher({ type, path: event.getPath() });
    };
  }

  /** Runs one client call; the clock learns when it left and whether a server answered. */
  #request<A>(
    path: string,
    send: (done: (error: unknown, value?: A) => void) => void,
  ): TE.TaskEither<ZkFailure, A> {
    return () =>
      new Promise((resolve) => {
        if (this.#ended !== undefined) {
          resolve(E.left(this.#endedFailure(path)));
          return;
        }
        const sentAt = this.#clock.sent();
        let open = true;
        const done = (error: unknown, value?: A): void => {
          if (!open) return;
          open = false;
          this.#pending.delete(done);
          // The clock judges first: a reply that arrives after the session's time ran out (a
          // blocked event loop) ends the session before anyone acts on that stale reply.
          this.#clock.settled(sentAt, replyKind(error));
          if (this.#ended !== undefined) resolve(E.left(this.#endedFailure(path)));
          else if (error) resolve(E.left(toZkFailure(error, path)));
          else resolve(E.right(value as A));
        };
        this.#pending.add(done);
        try {
          send(done);
        } catch (error) {
          done(error);
        }
      });
  }

  #learnNoContainers(failure: ZkFailure): void {
    if (this.#withoutContainers) return;
    this.#withoutContainers = true;
    log(
      'session 0x%s: the ZooKeeper server has no container nodes (%s); lock parents are created persistent on this session from now on',
      this.sessionId,
      failure.message,
    );
  }

  #endedFailure(path: string): ZkFailure {
    return this.#ended === 'closed'
      ? zkFailure('CLOSED', `session 0x${this.sessionId} is closed (${path})`, path)
      : zkFailure('SESSION_EXPIRED', `session 0x${this.sessionId} is lost (${this.#ended}) (${path})`, path);
  }

  /** Ends the session for good: fails what is in flight, tells the listeners, closes the client. */
  #end(reason: 'expired' | 'timeout' | 'closed'): void {
    if (this.#ended !== undefined) return;
    this.#ended = reason;
    this.#clock.stop();
    // Listeners first: they hear `lost` before any caller sees its request fail because of it.
    this.#emit({ type: 'lost', reason });
    for (const done of [...this.#pending]) done(ENDED);
    // An unref'd session is closed too before the process exits (the grace period bounds the wait).
    this.client.setSocketRef(true);
    this.#closed = closeClient(this.client);
  }

  /** Listeners run after the client's current callback has returned. */
  #emit(event: ConnectionEvent): void {
    const listeners = [...this.#listeners];
    queueMicrotask(() => {
      for (const listener of listeners) listener(event);
    });
  }
}
