import type { LockConfig, ZkFailure } from '@zk-lock/core';
import {
  childNodes,
  defaultPool,
  createLockPort,
  resolveServers,
  withSession,
  type ChildNode,
  type LockPortOptions,
  type SessionLease,
  type ZkLockPort,
} from '@zk-lock/zookeeper';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { ZookeeperLockLocatorError, type ZookeeperLockError } from './errors.js';
import { zooKeeperError } from './outcome-errors.js';

/**
 * The facade's only door to `@zk-lock/zookeeper`: ports for lock attempts and sessions for reads
 * outside the lock machine, all from the shared session pool (or unshared sessions with
 * `connectionPerLock`). Configurations come decoded (`decodeConfiguration`).
 */

/**
 * The adapter's options are the configuration's own names. (`retries` has no say: the liveness
 * clock decides.) One literal with every field, `sessionOwner` included: a spread followed by
 * another field gives each object a hidden class of its own, and every held lock keeps its port's.
 */
const portOptions = (config: LockConfig, sessionOwner?: object): LockPortOptions => ({
  serverLocator: config.serverLocator,
  sessionTimeout: config.sessionTimeout,
  spinDelay: config.spinDelay,
  auth: config.auth,
  connectionPerLock: config.connectionPerLock,
  sessionLingerMs: config.sessionLingerMs,
  acl: config.acl,
  parentNodes: config.parentNodes,
  sessionOwner,
});

/**
 * Located configurations of static locators (a connect string or a list), per configuration:
 * parsed once, and every attempt of a lock object gets the same object (see `openLockPort`).
 */
const locatedStatically = new WeakMap<LockConfig, LockConfig>();

/** The located configuration when it is known already (a static locator seen before), at once. */
export const locatedNow = (config: LockConfig): LockConfig | undefined => locatedStatically.get(config);

/**
 * Asks the configuration's `serverLocator` where ZooKeeper is (a 2.x locator function is called
 * now, as 2.x called it for each connection) and returns the configuration with the checked
 * connect string in its place. Rejects with `ZookeeperLockLocatorError` naming what was wrong.
 */
export const locate = async (config: LockConfig): Promise<LockConfig> => {
  const known = locatedNow(config);
  if (known !== undefined) return known;
  const servers = await resolveServers(config.serverLocator)();
  if (E.isLeft(servers))
    throw new ZookeeperLockLocatorError(servers.left.message, servers.left.field, servers.left.problem);
  const located = { ...config, serverLocator: servers.right.connectString };
  if (typeof config.serverLocator !== 'function') locatedStatically.set(config, located);
  return located;
};

/**
 * The port options of each (located configuration, lock object), and of each configuration
 * without an owner: one object for all attempts (an owner-less `connectionPerLock` lease still
 * opens a session of its own each time: the pool keys those by lease, not by options).
 */
const optionsByOwner = new WeakMap<LockConfig, WeakMap<object, LockPortOptions>>();
const optionsWithoutOwner = new WeakMap<LockConfig, LockPortOptions>();

const portOptionsOf = (config: LockConfig, owner: object | undefined): LockPortOptions => {
  // The owner keys a session only under `connectionPerLock`; shared sessions ignore it.
  if (owner === undefined || !config.connectionPerLock) {
    let options = optionsWithoutOwner.get(config);
    if (options === undefined) optionsWithoutOwner.set(config, (options = portOptions(config)));
    return options;
  }
  let byOwner = optionsByOwner.get(config);
  if (byOwner === undefined) optionsByOwner.set(config, (byOwner = new WeakMap()));
  let options = byOwner.get(owner);
  if (options === undefined) byOwner.set(owner, (options = portOptions(config, owner)));
  return options;
};

/**
 * The port one lock attempt runs on; it leases its session on `connect` and lets go on
 * `disconnect` (the session lingers a moment for the next attempt). `owner` (the lock object) keeps
 * one private session across its attempts under `connectionPerLock`, and one options object, which
 * the pool checks only once. `client()` is the raw node-zookeeper-client client while it has a
 * session.
 */
export const openLockPort = (config: LockConfig, owner?: object): ZkLockPort =>
  createLockPort(portOptionsOf(config, owner));

/**
 * Runs `use` on a session leased for the occasion (`absent` when it fails with NO_NODE); rejects
 * with a `ZookeeperLockZooKeeperError` naming `parentPath` otherwise.
 */
export const read = async <A>(
  config: LockConfig,
  parentPath: string,
  use: Parameters<typeof withSession<A>>[1],
  absent: A,
): Promise<A> => {
  const located = await locate(config);
  const result = await pipe(
    withSession(portOptions(located), use),
    TE.orElse((failure: ZkFailure) => (failure.code === 'NO_NODE' ? TE.right(absent) : TE.left(failure))),
  )();
  if (E.isLeft(result)) throw zooKeeperError(result.left, `reading ${parentPath}`) as ZookeeperLockError;
  return result.right;
};

/** The children names of a lock parent; `[]` when it does not exist. One request. */
export const readLockChildren = (config: LockConfig, parentPath: string): Promise<ReadonlyArray<string>> =>
  read(
    config,
    parentPath,
    (session) =>
      pipe(
        session.getChildren(parentPath),
        TE.map(({ children }) => children),
      ),
    [],
  );

/** The children of a lock parent with data, czxid and owner; `[]` when it does not exist. */
export const readLockNodes = (config: LockConfig, parentPath: string): Promise<ReadonlyArray<ChildNode>> =>
  read(config, parentPath, (session) => childNodes(session, parentPath), []);

/**
 * A lease of the configuration's shared session, for a reader that stays (an election observer);
 * release it when done. Rejects with `ZookeeperLockLocatorError` or `ZookeeperLockZooKeeperError`.
 */
export const leaseSession = async (config: LockConfig): Promise<SessionLease> => {
  const located = await locate(config);
  const lease = await defaultPool.lease(portOptionsOf(located, undefined))();
  if (E.isLeft(lease)) throw zooKeeperError(lease.left, 'opening a ZooKeeper session') as ZookeeperLockError;
  return lease.right;
};
