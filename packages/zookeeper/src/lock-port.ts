import {
  zkFailure,
  type AclMode,
  type ChildrenListing,
  type ConnectionEvent,
  type LockPort,
  type SessionInfo,
  type ZkFailure,
} from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type zookeeper from 'node-zookeeper-client';
import { knownParents } from './known-parents.js';
import { childNodes } from './nodes.js';
import type { SessionOptions } from './options.js';
import { defaultPool, type SessionLease, type SessionPool } from './pool.js';
import type { ZkSession } from './session.js';

export interface LockPortOptions extends SessionOptions {
  /**
   * `open` (default, as 2.x): OPEN_ACL_UNSAFE. `creator` (needs `auth`): CREATOR_ALL_ACL on the lock
   * nodes and on the lock parent it creates, since ZooKeeper checks a node's deletion against its
   * parent's ACL; the shared ancestors (`/locks`, prefixes) stay open.
   */
  readonly acl?: AclMode;
  /** Default: the process-wide `defaultPool`. */
  readonly pool?: SessionPool;
}

/** The `LockPort` over a leased session, plus the raw client for the facade's `lock.client`. */
export interface ZkLockPort extends LockPort {
  /** The leased session, while connected. */
  readonly session: () => ZkSession | undefined;
  /** Its raw node-zookeeper-client client, or null while not connected. */
  readonly client: () => zookeeper.Client | null;
}

const notConnected = (path: string): ZkFailure => zkFailure('CLOSED', `not connected (${path})`, path);

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
export const createLockPort = (options: LockPortOptions): ZkLockPort => {
  const pool = options.pool ?? defaultPool;
  const listeners = new Set<(event: ConnectionEvent) => void>();
  let lease: SessionLease | undefined;
  let unsubscribe: (() => void) | undefined;
  let connecting: Promise<E.Either<ZkFailure, SessionInfo>> | undefined;
  /** Bumped by `disconnect`, so a connect that was in flight lets go of what it got. */
  let epoch = 0;

  const forward = (event: ConnectionEvent): void => {
    for (const listener of [...listeners]) listener(event);
  };

  const letGo = (): Promise<void> => {
    const current = lease;
    lease = undefined;
    unsubscribe?.();
    unsubscribe = undefined;
    return current?.release() ?? Promise.resolve();
  };

  const leaseSession = async (): Promise<E.Either<ZkFailure, SessionInfo>> => {
    const started = epoch;
    await letGo(); // a lost session's lease, if any
    const acl = checkAcl(options);
    if (E.isLeft(acl)) return acl;
    const leased = await pool.lease(options)();
    if (E.isLeft(leased)) return leased;
    if (epoch !== started) {
      await leased.right.release();
      return E.left(zkFailure('CLOSED', 'disconnected while connecting'));
    }
    lease = leased.right;
    unsubscribe = lease.session.subscribe(forward);
    return E.right(lease.session.info);
  };

  const connect = (): TE.TaskEither<ZkFailure, SessionInfo> => () => {
    const state = lease?.session.state;
    if (lease !== undefined && (state === 'live' || state === 'suspended'))
      return Promise.resolve(E.right(lease.session.info));
    connecting ??= leaseSession().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const onSession =
    <A>(
      path: string,
      use: (session: ZkSession) => TE.TaskEither<ZkFailure, A>,
    ): TE.TaskEither<ZkFailure, A> =>
    () =>
      lease === undefined ? Promise.resolve(E.left(notConnected(path))) : use(lease.session)();

  const acl = (): AclMode => (options.acl === 'creator' ? 'creator' : 'open');

  /** Creates the lock node `${parent}/${prefix}<seq>` on `session`; resolves to its name. */
  const createNode =
    (session: ZkSession, parent: string, prefix: string, data: string): TE.TaskEither<ZkFailure, string> =>
    () => {
      const known = knownParents(session);
      // Transport-level pipelining: for a parent this session has not seen, send a create of the
      // parent right before the node's create, without waiting for it. ZooKeeper answers a
      // session's requests in order, so the node's create finds the parent (NODE_EXISTS or not,
      // the parent's own result does not matter); a missing grandparent still fails the node's
      // create with NO_NODE, and the machine creates the parents as before.
      if (!known.has(parent)) void session.create(parent, { acl: acl() })();
      return pipe(
        session.create(`${parent}/${prefix}`, { data, mode: 'ephemeral-sequential', acl: acl() }),
        TE.bimap(
          (failure) => {
            if (failure.code === 'NO_NODE') known.delete(parent);
            return failure;
          },
          (path) => {
            known.add(parent);
            return path.slice(path.lastIndexOf('/') + 1);
          },
        ),
      )();
    };

  const list = (session: ZkSession, parent: string): TE.TaskEither<ZkFailure, ChildrenListing> =>
    pipe(
      session.getChildren(parent),
      TE.map(({ children, stat }) => {
        knownParents(session).add(parent);
        return { children, parentCzxid: stat.czxid };
      }),
    );

  return {
    connect,

    createSequential: (parent, prefix, data) =>
      onSession(parent, (session) => createNode(session, parent, prefix, data)),

    createSequentialAndList: (parent, prefix, data) =>
      onSession(parent, (session) => async () => {
        // Both requests leave before either answer is awaited (one round trip): ZooKeeper answers
        // a session's requests in order, so the listing is taken after the create and names it.
        const created = createNode(session, parent, prefix, data)();
        const listed = list(session, parent)();
        const node = await created;
        return E.isLeft(node) ? node : E.right({ node: node.right, listing: await listed });
      }),

    createParents: (path) =>
      onSession(path, (session) =>
        pipe(
          session.mkdirp(path, { acl: acl() }),
          TE.map(() => knownParents(session).add(path)),
        ),
      ),

    listChildren: (parent) => onSession(parent, (session) => list(session, parent)),

    listChildrenWithOwners: (parent) =>
      onSession(parent, (session) =>
        pipe(
          childNodes(session, parent),
          TE.map((nodes) => nodes.map(({ name, data, ephemeralOwner }) => ({ name, data, ephemeralOwner }))),
        ),
      ),

    watchDeletion: (paths, onGone) =>
      onSession(paths[0] ?? '/', (session) => {
        let armed = true;
        const gone = (): void => {
          if (!armed) return;
          armed = false;
          onGone();
        };
        // A getData watch, not an exists watch: on a missing node it leaves no watch behind on the
        // server (an exists watch would stay registered for a name that never comes back).
        const arm = (path: string): TE.TaskEither<ZkFailure, void> =>
          pipe(
            session.getData(path, (event) => {
              if (event.type === 'deleted') gone();
              // The data changed but the node is still there: keep watching. If the watch cannot be
              // re-armed, wake the waiter anyway: it re-reads the children, so a spurious wake is safe.
              else if (armed) void pipe(arm(path), TE.mapLeft(gone))();
            }),
            TE.map(() => undefined),
            TE.orElse((failure) => {
              if (failure.code !== 'NO_NODE') return TE.left(failure);
              gone();
              return TE.right(undefined);
            }),
          );
        return pipe(
          paths,
          TE.traverseArray(arm),
          TE.bimap(
            (failure) => {
              armed = false;
              return failure;
            },
            () => () => {
              armed = false;
            },
          ),
        );
      }),

    remove: (path) =>
      onSession(path, (session) =>
        pipe(
          session.remove(path),
          TE.orElse((failure) => (failure.code === 'NO_NODE' ? TE.right(undefined) : TE.left(failure))),
        ),
      ),

    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    disconnect: () => {
      epoch += 1;
      return letGo();
    },

    session: () => lease?.session,
    client: () => lease?.session.client ?? null,
  };
};
