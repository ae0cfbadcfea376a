import { describeValue, type LockConfig } from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import { decodeConfiguration } from '../configuration.js';
import {
  ZookeeperLockArgumentError,
  ZookeeperLockConfigError,
  ZookeeperLockDestroyedError,
} from '../errors.js';
import { openLockPort, readLockNodes } from '../sessions.js';
import { acquireLock, type Track } from './acquisition.js';
import { campaign, campaignRequest } from './campaign.js';
import { asyncDispose } from './dispose.js';
import { classifyContenders, type Contender } from './contenders.js';
import type { Leader } from './leader.js';
import { LeaderObserver } from './leader-observer.js';
import { queryLeader } from './leader-query.js';
import type { Leadership } from './leadership.js';
import type { LockHandle } from './lock-handle.js';
import type {
  AcquireOptions,
  CampaignOptions,
  LockKind,
  LocksOptions,
  ObserveLeaderOptions,
  ReadWriteOptions,
  WithLockOptions,
} from './options.js';
import { abortSignalOption, acquireRequest, lockKind, parentPathOf } from './validate.js';

/**
 * The modern API's entry point: the locks of one ZooKeeper configuration. Every lock of it (and
 * of any other `Locks` with the same servers, session timeout and credentials) shares one
 * ZooKeeper session; it connects on first use.
 *
 * ```ts
 * const locks = createLocks({ connect: '127.0.0.1:2181' });
 * await using lock = await locks.acquire('reports');
 * ```
 */
export class Locks implements AsyncDisposable {
  readonly #config: LockConfig;
  readonly #live = new Set<() => Promise<unknown>>();
  #closed: Promise<void> | undefined;

  /** @internal Use `createLocks`. */
  constructor(config: LockConfig) {
    this.#config = config;
  }

  /**
   * Waits for the lock on `key` (a mutex, or a semaphore with `maxConcurrentHolders`) and
   * resolves with its handle. Rejects with `ZookeeperLockTimeoutError`,
   * `ZookeeperLockAlreadyLockedError` (`failImmediate`), an `AbortError` (`signal`),
   * `ZookeeperLockLostError` (session lost while waiting), `ZookeeperLockArgumentError` (bad key or
   * option) or `ZookeeperLockZooKeeperError`; in every case no lock node is left behind.
   */
  acquire(key: string, options?: AcquireOptions): Promise<LockHandle> {
    return this.#acquire(key, 'exclusive', options);
  }

  /** A shared read lock: held together with other readers, never with a writer. */
  readLock(key: string, options?: ReadWriteOptions): Promise<LockHandle> {
    return this.#acquire(key, 'read', options);
  }

  /**
   * An exclusive write lock: excludes readers and other writers. Readers that arrive after a
   * waiting writer queue behind it, so writers are not starved.
   */
  writeLock(key: string, options?: ReadWriteOptions): Promise<LockHandle> {
    return this.#acquire(key, 'write', options);
  }

  /**
   * Runs `fn` while holding the lock on `key` and releases it afterwards, also when `fn` throws
   * (then `fn`'s error is what rejects). `fn` gets the handle's `lostSignal`: it aborts if the lock
   * is lost while `fn` runs. `options.signal` only cancels the wait for the lock.
   */
  async withLock<T>(
    key: string,
    fn: (signal: AbortSignal, lock: LockHandle) => T | Promise<T>,
    options?: WithLockOptions,
  ): Promise<T> {
    if (typeof fn !== 'function')
      throw new ZookeeperLockArgumentError('fn', `fn: expected a function, got ${describeValue(fn)}`);
    const { kind, ...acquireOptions } = options ?? {};
    const lock = await this.#acquire(key, lockKind(kind), acquireOptions);
    let result: T;
    try {
      result = await fn(lock.lostSignal, lock);
    } catch (error) {
      // The caller needs fn's error; a failed release cannot change what went wrong first.
      await lock.release().catch(() => undefined);
      throw error;
    }
    await lock.release();
    return result;
  }

  /**
   * Who holds the lock on `key` and who waits for it: holders first, then waiters, in queue
   * order. `maxConcurrentHolders` tells holders from waiters of a semaphore (every contender uses
   * the same number, but it is not stored on the server); read/write locks need no hint.
   */
  async contenders(
    key: string,
    options?: { maxConcurrentHolders?: number },
  ): Promise<ReadonlyArray<Contender>> {
    const parentPath = parentPathOf(this.#config.pathPrefix, key);
    const { maxHolders } = acquireRequest(
      { maxConcurrentHolders: options?.maxConcurrentHolders },
      'exclusive',
    );
    this.#assertOpen();
    return classifyContenders(await readLockNodes(this.#config, parentPath), maxHolders);
  }

  /**
   * Campaigns to lead the election on `key` and resolves once this campaigner leads, with its
   * leadership: a mutex on `key` whose holder is the leader (same nodes as `acquire`). `value` is
   * published in the leader's node for `leader()` and `observeLeader()`. Rejects as `acquire`
   * does: `ZookeeperLockTimeoutError`, an `AbortError`, `ZookeeperLockLostError`,
   * `ZookeeperLockArgumentError` (bad key, value or option) or `ZookeeperLockZooKeeperError`; in
   * every case no node is left behind.
   */
  async campaign(key: string, options?: CampaignOptions): Promise<Leadership> {
    const parentPath = parentPathOf(this.#config.pathPrefix, key);
    const request = campaignRequest(options);
    this.#assertOpen();
    return campaign(() => openLockPort(this.#config), { key, parentPath }, request, this.#track);
  }

  /** The current leader of the election on `key` and its value, or `undefined` when nobody leads. */
  async leader(key: string): Promise<Leader | undefined> {
    const parentPath = parentPathOf(this.#config.pathPrefix, key);
    this.#assertOpen();
    return queryLeader(this.#config, key, parentPath);
  }

  /**
   * The leader of the election on `key` now, then each change (a new leader, a new value, or
   * `undefined` when nobody leads), driven by ZooKeeper watches:
   *
   * ```ts
   * for await (const leader of locks.observeLeader('scheduler')) console.log(leader?.value);
   * ```
   *
   * Leaders come in leadership order, each once (again only with a new value); docs/guarantees.md
   * says which short-lived leaders an observer can miss. Leaving the loop (or `return()`) ends the
   * observation and its watches; `options.signal` ends it with an `AbortError`. After the session
   * is lost the observation goes on over a new one; a ZooKeeper failure it cannot recover from
   * rejects `next()` with a `ZookeeperLockZooKeeperError`. Throws a `ZookeeperLockArgumentError`
   * for a malformed key.
   */
  observeLeader(key: string, options?: ObserveLeaderOptions): AsyncIterableIterator<Leader | undefined> {
    const parentPath = parentPathOf(this.#config.pathPrefix, key);
    const signal = abortSignalOption(options);
    this.#assertOpen();
    return new LeaderObserver(this.#config, key, parentPath, signal, this.#track);
  }

  /** The lock parent path of `key`, e.g. `/locks/<pathPrefix>/<key>`; throws for a malformed key. */
  pathOf(key: string): string {
    return parentPathOf(this.#config.pathPrefix, key);
  }

  /**
   * Releases every lock still held (resigning every leadership), abandons every pending
   * acquisition and campaign (they reject with `ZookeeperLockDestroyedError`), ends every leader
   * observation and lets go of the session. Later calls reject. Idempotent.
   */
  close(): Promise<void> {
    this.#closed ??= Promise.all([...this.#live].map((close) => close().catch(() => undefined))).then(
      () => undefined,
    );
    return this.#closed;
  }

  /** `await using locks = createLocks(...)` closes them at the end of the block. */
  [asyncDispose](): Promise<void> {
    return this.close();
  }

  #assertOpen(): void {
    if (this.#closed !== undefined) throw new ZookeeperLockDestroyedError('this Locks object is closed');
  }

  async #acquire(key: string, kind: LockKind, options: AcquireOptions | undefined): Promise<LockHandle> {
    const parentPath = parentPathOf(this.#config.pathPrefix, key);
    const request = acquireRequest(options, kind);
    this.#assertOpen();
    return acquireLock(() => openLockPort(this.#config), { key, kind, parentPath }, request, this.#track);
  }

  readonly #track: Track = (close) => {
    this.#live.add(close);
    return () => this.#live.delete(close);
  };
}

/**
 * The locks of one ZooKeeper configuration. Options are checked at once: a malformed one throws a
 * `ZookeeperLockConfigError` naming it. Nothing connects until the first lock.
 */
export const createLocks = (options: LocksOptions): Locks => {
  const { connect, ...rest } = options ?? ({} as LocksOptions);
  const config = decodeConfiguration({ ...rest, serverLocator: connect });
  if (E.isRight(config)) return new Locks(config.right);
  // The shared decoder knows the option by its 2.x name.
  const { field, message } = config.left;
  throw field === 'serverLocator'
    ? new ZookeeperLockConfigError('connect', message.replace(/^serverLocator/, 'connect'))
    : config.left;
};
