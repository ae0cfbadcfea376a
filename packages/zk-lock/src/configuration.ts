import {
  decodeConfig,
  type AclMode,
  type DigestAuth,
  type LockConfig,
  type ServerLocator,
} from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { ZookeeperLockConfigError } from './errors.js';

/**
 * The options of a `ZookeeperLock`: every zk-lock 2.x option with its 2.x default, plus
 * `connectionPerLock`, `auth` and `acl`. All are optional except `serverLocator`.
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
}

/**
 * Checks a configuration and fills in the defaults. 2.x accepted a missing configuration (and then
 * failed on use), so a missing one reads as `{}`: the error then names `serverLocator`.
 */
export const decodeConfiguration = (config: unknown): E.Either<ZookeeperLockConfigError, LockConfig> =>
  pipe(
    decodeConfig(config ?? {}),
    E.mapLeft((error) => new ZookeeperLockConfigError(error.field, error.message)),
  );
