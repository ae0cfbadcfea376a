import type { AclMode, DigestAuth, LockKind, ParentNodes, ServerLocator } from '@zk-lock/core';

/** The options of the modern API (`createLocks`). */

/** `exclusive`: a mutex, or a semaphore with `maxConcurrentHolders` > 1; `read`/`write`: a read/write lock. */
export type { LockKind };

export interface LocksOptions {
  /**
   * Where ZooKeeper is: a connect string `'h1:2181,h2:2181'`, a list of `{ host, port }`, or a
   * zk-lock 2.x `serverLocator` (`() => Promise<{ host, port }>`).
   */
  readonly connect: ServerLocator;
  /** Segments between `/locks/` and the key: prefix `a/b` and key `k` lock `/locks/a/b/k`. */
  readonly pathPrefix?: string;
  /** Requested ZooKeeper session timeout in ms (default 15000); the server may adjust it. */
  readonly sessionTimeout?: number;
  /** Digest credentials added to the session. */
  readonly auth?: ReadonlyArray<DigestAuth>;
  /** `creator`: lock nodes are readable and deletable by their creator only; `open` (default): by anyone. */
  readonly acl?: AclMode;
  /**
   * How lock parents (`/locks/<pathPrefix>/<key>`) are created: `container` (default; ZooKeeper
   * 3.5.3+ deletes them once empty) or `persistent` (they stay, as zk-lock 2.x left them). Choose
   * `persistent` while zk-lock 2.x processes lock the same keys (see the migration guide).
   */
  readonly parentNodes?: ParentNodes;
}

export interface AcquireOptions {
  /** Give up with a `ZookeeperLockTimeoutError` after this many ms of waiting; 0 or absent waits forever. */
  readonly timeout?: number;
  /** Abort the wait: the promise rejects with an `AbortError` and no lock node is left behind. */
  readonly signal?: AbortSignal;
  /** Up to this many holders at once (a semaphore); default 1 (a mutex). Every contender must agree. */
  readonly maxConcurrentHolders?: number;
  /** Reject with `ZookeeperLockAlreadyLockedError` instead of waiting when the lock is taken. */
  readonly failImmediate?: boolean;
}

/** Read and write locks take no `maxConcurrentHolders`: the read/write rule decides. */
export type ReadWriteOptions = Omit<AcquireOptions, 'maxConcurrentHolders'>;

export interface WithLockOptions extends AcquireOptions {
  /** Which lock `withLock` takes; default `exclusive`. */
  readonly kind?: LockKind;
}

export interface CampaignOptions {
  /** Published in the leader's node for observers (e.g. this instance's address); at most 64 KiB of UTF-8. */
  readonly value?: string;
  /** Give up with a `ZookeeperLockTimeoutError` after this many ms of waiting; 0 or absent waits forever. */
  readonly timeout?: number;
  /** Abort the campaign: the promise rejects with an `AbortError` and no node is left behind. */
  readonly signal?: AbortSignal;
}

export interface ObserveLeaderOptions {
  /** Ends the observation: a pending `next()` rejects with an `AbortError`, as Node's `events.on`. */
  readonly signal?: AbortSignal;
}
