import {
  DEFAULT_PARENT_NODES,
  parentHint,
  zkFailure,
  type AclMode,
  type ChildrenListing,
  type ChildWithOwner,
  type CreatedAndListed,
  type ConnectionEvent,
  type LockPort,
  type ParentHint,
  type ParentNodes,
  type SessionInfo,
  type WatchReport,
  type ZkFailure,
} from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Client } from '@zk-lock/node-zookeeper-client';
import { deletionWatches } from './deletion-watches.js';
import { knownParents } from './known-parents.js';
import { childNodes } from './nodes.js';
import type { SessionOptions } from './options.js';
import { defaultPool, type SessionLease, type SessionPool } from './pool.js';
import type { ZkSession } from './session.js';
import type { SessionWindow } from './session-window.js';

export interface LockPortOptions extends SessionOptions {
  /**
   * `open` (default, as 2.x): OPEN_ACL_UNSAFE. `creator` (needs `auth`): CREATOR_ALL_ACL on the lock
   * nodes and on the lock parent it creates, since ZooKeeper checks a node's deletion against its
   * parent's ACL; the shared ancestors (`/locks`, prefixes) stay open.
   */
  readonly acl?: AclMode;
  /**
   * How the lock machine asks for lock parents to be created (`parentHint`): `container` (default)
   * or `persistent`. The port creates what each request says.
   */
  readonly parentNodes?: ParentNodes;
  /** Default: the process-wide `defaultPool`. */
  readonly pool?: SessionPool;
}

/** The `LockPort` over a leased session, plus the raw client for the facade's `lock.client`. */
export interface ZkLockPort extends LockPort {
  /** The leased session, while connected. */
  readonly session: () => ZkSession | undefined;
  /** Its raw node-zookeeper-client client, or null while not connected. */
  readonly client: () => Client | null;
  /** The window of the shared session this port leases (see `SessionPool.windowNow`), if it has one. */
  readonly window: () => SessionWindow | undefined;
}

const notConnected = (path: string): ZkFailure => zkFailure('CLOSED', `not connected (${path})`, path);

/** The options a lease does not check itself (the pool checks the session's). */
const checkOptions = (options: LockPortOptions): E.Either<ZkFailure, AclMode> => {
  const parentNodes: unknown = options.parentNodes ?? DEFAULT_PARENT_NODES;
  if (parentNodes !== 'container' && parentNodes !== 'persistent')
    return E.left(
      zkFailure(
        'BAD_ARGUMENTS',
        `parentNodes: expected 'container' or 'persistent', got ${JSON.stringify(parentNodes)}`,
      ),
    );
  return checkAcl(options);
};

const checkAcl = (options: LockPortOptions): E.Either<ZkFailure, AclMode> => {
  const acl: unknown = options.acl ?? 'open';
  if (acl !== 'open' && acl !== 'creator')
    return E.left(
      zkFailure('BAD_ARGUMENTS', `acl: expected 'creator' or 'open', got ${JSON.stringify(acl)}`),
    );
  if (acl === 'creator' && (options.auth ?? []).length === 0)
    return E.left(
      zkFailure(
        'BAD_ARGUMENTS',
        "acl: 'creator' needs credentials in auth (the server refuses the ACL otherwise)",
      ),
    );
  return E.right(acl);
};

/**
 * The effects of one lock's acquisition attempt over a session leased from the pool (or an
 * unshared one with `connectionPerLock`). It decides nothing: who holds and what to watch are the
 * core machine's business.
 */
export const createLockPort = (options: LockPortOptions): ZkLockPort => new PooledLockPort(options);

/**
 * The port's state lives in fields and its effects are prototype methods: a lock object that is
 * only held keeps one small object here instead of a closure per effect (W3 holds thousands).
 */
class PooledLockPort implements ZkLockPort {
  readonly #options: LockPortOptions;
  readonly #pool: SessionPool;
  readonly #listeners = new Set<(event: ConnectionEvent) => void>();
  #lease: SessionLease | undefined;
  #unsubscribe: (() => void) | undefined;
  #connecting: Promise<E.Either<ZkFailure, SessionInfo>> | undefined;
  /** Bumped by `disconnect`, so a connect that was in flight lets go of what it got. */
  #epoch = 0;

  constructor(options: LockPortOptions) {
    this.#options = options;
    this.#pool = options.pool ?? defaultPool;
  }

  connect(): TE.TaskEither<ZkFailure, SessionInfo> {
    return () => {
      const lease = this.#lease;
      const state = lease?.session.state;
      if (lease !== undefined && (state === 'live' || state === 'suspended'))
        return Promise.resolve(E.right(lease.session.info));
      this.#connecting ??= this.#leaseSession().finally(() => {
        this.#connecting = undefined;
      });
      return this.#connecting;
    };
  }

  connectNow(): O.Option<SessionInfo> {
    const lease = this.#lease;
    if (lease !== undefined) return lease.session.state === 'live' ? O.some(lease.session.info) : O.none;
    if (this.#connecting !== undefined || E.isLeft(checkOptions(this.#options))) return O.none;
    const leased = this.#pool.leaseNow(this.#options);
    if (O.isNone(leased)) return O.none;
    this.#adopt(leased.value);
    return O.some(leased.value.session.info);
  }

  createSequential(
    parent: string,
    prefix: string,
    data: string,
    parentAhead?: ParentNodes,
  ): TE.TaskEither<ZkFailure, string> {
    return this.#onSession(parent, (session) => this.#createNode(session, parent, prefix, data, parentAhead));
  }

  createSequentialAndList(
    parent: string,
    prefix: string,
    data: string,
    parentAhead?: ParentNodes,
  ): TE.TaskEither<ZkFailure, CreatedAndListed> {
    return this.#onSession(parent, (session) => async () => {
      // Both requests leave before either answer is awaited (one round trip): ZooKeeper answers
      // a session's requests in order, so the listing is taken after the create and names it.
      const [created, listed] = session.batch(
        () =>
          [this.#createNode(session, parent, prefix, data, parentAhead)(), list(session, parent)()] as const,
      );
      const node = await created;
      return E.isLeft(node) ? node : E.right({ node: node.right, listing: await listed });
    });
  }

  createParents(path: string, mode: ParentNodes = 'persistent'): TE.TaskEither<ZkFailure, void> {
    return this.#onSession(path, (session) =>
      pipe(
        session.mkdirp(path, { acl: this.#acl(), leaf: mode }),
        TE.map(() => knownParents(session).add(path)),
      ),
    );
  }

  parentHint(parent: string): ParentHint {
    const session = this.#lease?.session;
    return parentHint(
      this.#options.parentNodes ?? DEFAULT_PARENT_NODES,
      session !== undefined && knownParents(session).has(parent),
    );
  }

  listChildren(parent: string): TE.TaskEither<ZkFailure, ChildrenListing> {
    return this.#onSession(parent, (session) => list(session, parent));
  }

  listChildrenWithOwners(parent: string): TE.TaskEither<ZkFailure, ReadonlyArray<ChildWithOwner>> {
    return this.#onSession(parent, (session) =>
      pipe(
        childNodes(session, parent),
        TE.map((nodes) => nodes.map(({ name, data, ephemeralOwner }) => ({ name, data, ephemeralOwner }))),
      ),
    );
  }

  watchDeletion(
    paths: ReadonlyArray<string>,
    onReport: (report: WatchReport) => void,
  ): TE.TaskEither<ZkFailure, () => void> {
    return this.#onSession(paths[0] ?? '/', (session) => watchDeletion(session, paths, onReport));
  }

  remove(path: string): TE.TaskEither<ZkFailure, void> {
    // Sent when invoked: TE.orElse would start it a microtask later, behind two more promise hops,
    // on every release's way to the next holder.
    return this.#onSession(
      path,
      (session) => () =>
        session
          .remove(path)()
          .then((removed) =>
            E.isLeft(removed) && removed.left.code === 'NO_NODE' ? E.right(undefined) : removed,
          ),
    );
  }

  subscribe(listener: (event: ConnectionEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  disconnect(): Promise<void> {
    this.#epoch += 1;
    return this.#letGo();
  }

  session(): ZkSession | undefined {
    return this.#lease?.session;
  }

  client(): Client | null {
    return this.#lease?.session.client ?? null;
  }

  window(): SessionWindow | undefined {
    return this.#pool.windowNow(this.#options);
  }

  #forward(event: ConnectionEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  #letGo(): Promise<void> {
    const current = this.#lease;
    this.#lease = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    return current?.release() ?? Promise.resolve();
  }

  async #leaseSession(): Promise<E.Either<ZkFailure, SessionInfo>> {
    const started = this.#epoch;
    await this.#letGo(); // a lost session's lease, if any
    const checked = checkOptions(this.#options);
    if (E.isLeft(checked)) return checked;
    const leased = await this.#pool.lease(this.#options)();
    if (E.isLeft(leased)) return leased;
    if (this.#epoch !== started) {
      await leased.right.release();
      return E.left(zkFailure('CLOSED', 'disconnected while connecting'));
    }
    this.#adopt(leased.right);
    return E.right(leased.right.session.info);
  }

  /** The port's lease from now on; its session's events reach the port's listeners. */
  #adopt(lease: SessionLease): void {
    this.#lease = lease;
    this.#unsubscribe = lease.session.subscribe((event) => this.#forward(event));
  }

  #onSession<A>(
    path: string,
    use: (session: ZkSession) => TE.TaskEither<ZkFailure, A>,
  ): TE.TaskEither<ZkFailure, A> {
    return () => {
      const lease = this.#lease;
      return lease === undefined ? Promise.resolve(E.left(notConnected(path))) : use(lease.session)();
    };
  }

  #acl(): AclMode {
    return this.#options.acl === 'creator' ? 'creator' : 'open';
  }

  /**
   * Creates the lock node `${parent}/${prefix}<seq>` on `session`, after a create of the parent
   * when the machine asks for one (`parentAhead`); resolves to its name. What the session saw of
   * the parent is kept (`knownParents`) for the next attempts' hints.
   */
  #createNode(
    session: ZkSession,
    parent: string,
    prefix: string,
    data: string,
    parentAhead: ParentNodes | undefined,
  ): TE.TaskEither<ZkFailure, string> {
    return () => {
      const acl = this.#acl();
      // Pipelined: the parent's create leaves right before the node's, whose answer says all
      // (ZooKeeper answers a session's requests in order; see `parentAhead` in the core).
      if (parentAhead !== undefined) void session.create(parent, { acl, mode: parentAhead })();
      // Sent now, not a microtask later as through TE.bimap: it must join the listing's batch.
      return session
        .create(`${parent}/${prefix}`, { data, mode: 'ephemeral-sequential', acl })()
        .then(
          E.bimap(
            (failure) => {
              if (failure.code === 'NO_NODE') knownParents(session).delete(parent);
              return failure;
            },
            (path) => {
              knownParents(session).add(parent);
              return path.slice(path.lastIndexOf('/') + 1);
            },
          ),
        );
    };
  }
}

/** Sends the request when invoked (not a microtask later, as through TE.map), so it can join a batch. */
const list =
  (session: ZkSession, parent: string): TE.TaskEither<ZkFailure, ChildrenListing> =>
  () =>
    session
      .getChildren(parent)()
      .then(
        E.map(({ children, stat }) => {
          knownParents(session).add(parent);
          return { children, parentCzxid: stat.czxid };
        }),
      );

/** See `LockPort.watchDeletion`; the watches themselves are the session's (`DeletionWatches`). */
const watchDeletion = (
  session: ZkSession,
  paths: ReadonlyArray<string>,
  onReport: (report: WatchReport) => void,
): TE.TaskEither<ZkFailure, () => void> => {
  const watches = deletionWatches(session);
  let armed = true;
  const listener = (report: WatchReport): void => {
    if (armed) onReport(report);
  };
  const disarm = (): void => {
    armed = false;
    for (const path of paths) watches.remove(path, listener);
  };
  // Every watch is armed in one batch of requests (those the session has already cost none).
  return async () => {
    const armed = await Promise.all(session.batch(() => paths.map((path) => watches.add(path, listener)())));
    const failed = armed.find(E.isLeft);
    if (failed === undefined) return E.right(disarm);
    disarm();
    return failed;
  };
};
