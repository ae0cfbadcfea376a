import {
  decodeConfig,
  type AclMode,
  type DigestAuth,
  type LockConfig,
  type ParentNodes,
  type ServerLocator,
} from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import { ZookeeperLockConfigError } from './errors.js';

/**
 * The options of a `ZookeeperLock`: every zk-lock 2.x option with its 2.x default, plus
 * `connectionPerLock`, `sessionLingerMs`, `auth`, `acl` and `parentNodes`. All are optional except
 * `serverLocator`.
 */
export interface ZookeeperLockConfiguration {
  /**
   * Where ZooKeeper is: a 2.x locator (`() => Promise<{ host, port }>`, e.g. from `locators`), a
   * connect string `'h1:2181,h2:2181'`, or a list of `{ host, port }`.
   */
  serverLocator?: ServerLocator;
  /** Put between `/locks/` and the key: prefix `foo/bar`, key `baz` → `/locks/foo/bar/baz`. */
  pathPrefix?: string;
  /** ZooKeeper session timeout in ms (default 15000); the server may negotiate it into its bounds. */
  sessionTimeout?: number;
  /** node-zookeeper-client `spinDelay`: ms between connection attempts (default 0). */
  spinDelay?: number;
  /** node-zookeeper-client `retries` (default 0). */
  retries?: number;
  /** Reject with `ZookeeperLockAlreadyLockedError` instead of waiting (default false). */
  failImmediate?: boolean;
  /** How many may hold the lock at once (default 1: a mutex; more: a semaphore). */
  maxConcurrentHolders?: number;
  /** `unlock()` also destroys the lock, removing its listeners (default true). */
  autoDestroyOnUnlock?: boolean;
  /** Log long-held locks and leaked connections on `NODE_DEBUG=zk-lock` (default false). */
  enableTraceLog?: boolean;
  /** How often the trace log reports, in ms (default 10000). */
  traceLogRefresh?: number;
  /** After this many ms a held lock is "long held" and a connected idle lock "a potential leak" (default 30000). */
  traceLogQuietPeriod?: number;
  /** One ZooKeeper session per lock, as 2.x did (default false: locks share one pooled session). */
  connectionPerLock?: boolean;
  /** How long a released session stays open for the next lock, in ms (default 1000; 0 closes at once). Never keeps the process alive. */
  sessionLingerMs?: number;
  /** Credentials added to the session, e.g. `[{ scheme: 'digest', id: 'user:password' }]`. */
  auth?: ReadonlyArray<DigestAuth>;
  /** ACL of the lock nodes: `'open'` (default, as 2.x) or `'creator'` (only the creating identity). */
  acl?: AclMode;
  /**
   * How lock parents (`/locks/<pathPrefix>/<key>`) are created: `'container'` (default; ZooKeeper
   * 3.5.3+ deletes them once empty, so keys used once leave nothing behind) or `'persistent'` (as
   * 2.x: they stay). Choose `'persistent'` while 2.x processes lock the same keys (see the
   * migration guide).
   */
  parentNodes?: ParentNodes;
}

/**
 * Checks a configuration and fills in the defaults. 2.x accepted a missing configuration (and then
 * failed on use), so a missing one reads as `{}`: the error then names `serverLocator`.
 */
export const decodeConfiguration = (config: unknown): E.Either<ZookeeperLockConfigError, LockConfig> => {
  const given = givenKey(config);
  const known = given === undefined ? undefined : decodedByGiven.get(given);
  if (known !== undefined) return known;
  const decoded = decodeConfig(config ?? {});
  if (E.isLeft(decoded))
    return E.left(new ZookeeperLockConfigError(decoded.left.field, decoded.left.message));
  const shared = intern(decoded);
  if (given !== undefined) remember(decodedByGiven, given, shared);
  return shared;
};

/**
 * Decoded configurations by the plain data they were given as: a lock object made from the same
 * literal as an earlier one (the 2.x way: `new ZookeeperLock({...})` or `ZookeeperLock.lock(key)`
 * for every acquisition) gets the earlier result without decoding again (15 us and about 6 KB of
 * garbage each). Decoding is a function of that data, so this changes no result; a configuration
 * that fails to decode is decoded again, each time with an error of its own.
 */
const decodedByGiven = new Map<string, E.Right<LockConfig>>();

/** Numbers by their exact value: JSON writes NaN and Infinity as `null` and -0 as `0`. */
const exactly = (value: unknown): unknown =>
  typeof value === 'number' ? (Object.is(value, -0) ? '-0' : String(value)) : value;

/** Fields with their types and exact values, as one string: equal strings, equal fields. */
const keyOf = (fields: ReadonlyArray<readonly [string, unknown]>): string =>
  JSON.stringify(fields.map(([field, value]) => [field, typeof value, exactly(value)]));

/**
 * The given configuration as one string, when it is a plain object of plain values (or none);
 * none for anything else (a locator function, credentials, a list of servers, a class instance).
 */
const givenKey = (config: unknown): string | undefined => {
  if (config === undefined || config === null) return '';
  if (typeof config !== 'object') return undefined;
  const prototype: unknown = Object.getPrototypeOf(config);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const fields = Object.entries(config);
  for (const [, value] of fields)
    if (typeof value === 'object' || typeof value === 'function') return undefined;
  return keyOf(fields);
};

const remember = <A>(cache: Map<string, A>, key: string, value: A): void => {
  if (cache.size >= INTERNED_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
};

/**
 * Decoded configurations of plain data (no locator function, no credentials) by content: lock
 * objects made from equal configurations share one, and with it what is cached per configuration
 * (its located copy and port options, `sessions.ts`). Five thousand lock objects made from equal
 * literals (benchmark W3) each kept their own copies before. At most `INTERNED_MAX`, oldest out.
 */
const interned = new Map<string, E.Right<LockConfig>>();
const INTERNED_MAX = 64;

const intern = (decoded: E.Right<LockConfig>): E.Right<LockConfig> => {
  const key = contentKey(decoded.right);
  if (key === undefined) return decoded;
  const known = interned.get(key);
  if (known !== undefined) return known;
  remember(interned, key, decoded);
  return decoded;
};

/**
 * Every field with its type and value, as one string; none when a field is a function or holds
 * data (credentials, a list of servers): those are not shared.
 */
const contentKey = (config: LockConfig): string | undefined => {
  const fields = Object.entries(config);
  for (const [, value] of fields) {
    const empty = Array.isArray(value) && value.length === 0;
    if (!empty && (typeof value === 'function' || (typeof value === 'object' && value !== null)))
      return undefined;
  }
  return keyOf(fields);
};
