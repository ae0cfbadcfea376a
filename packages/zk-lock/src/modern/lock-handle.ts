import type { OwnerData } from '@zk-lock/core';
import type { LockDriver } from '../lock-driver.js';
import { lockErrorAsError } from '../outcome-errors.js';
import { publish, type LockDiagnostic } from './diagnostics.js';
import { asyncDispose } from './dispose.js';
import type { LockKind } from './options.js';

/**
 * A held lock of the modern API. Release it with `release()` or let `await using` do it:
 *
 * ```ts
 * await using lock = await locks.acquire('reports');
 * ```
 *
 * When the ZooKeeper session is lost, `lostSignal` aborts with a `ZookeeperLockLostError` as
 * its reason (see docs/guarantees.md for what that does and does not promise).
 */
export class LockHandle implements AsyncDisposable {
  /** The key as passed to `acquire`. */
  readonly key: string;
  readonly kind: LockKind;
  /** The lock node's full path, e.g. `/locks/reports/lock-0000000042`. */
  readonly path: string;
  /** The lock node's name, e.g. `lock-0000000042`. */
  readonly node: string;
  /** Strictly increasing per key in acquisition order; send it with every write the lock protects. */
  readonly fencingToken: bigint;
  /** Aborts (reason: a `ZookeeperLockLostError`) when the lock is lost; never after a release. */
  readonly lostSignal: AbortSignal;
  readonly #driver: LockDriver;
  readonly #diagnostic: LockDiagnostic;
  readonly #acquiredAt = performance.now();
  #released: Promise<void> | undefined;

  /** What the lock node's data says of its owner (this process), as `Locks.contenders` shows it. */
  get owner(): OwnerData {
    return this.#driver.ownerData as OwnerData;
  }

  /** @internal Handles come from `Locks.acquire`, `readLock`, `writeLock` and `withLock`. */
  constructor(driver: LockDriver, key: string, kind: LockKind) {
    const { nodePath, node, fencingToken } = driver;
    if (nodePath === undefined || node === undefined || fencingToken === undefined)
      throw new Error(`LockHandle: the lock on ${driver.parentPath} is not held`);
    this.#driver = driver;
    this.key = key;
    this.kind = kind;
    this.path = nodePath;
    this.node = node;
    this.fencingToken = fencingToken;
    this.#diagnostic = { key, path: driver.parentPath, kind, lockId: driver.lockId };
    const lost = new AbortController();
    this.lostSignal = lost.signal;
    const onLost = (error: Error) => {
      lost.abort(error);
      publish('lost', () => ({
        ...this.#diagnostic,
        node,
        fencingToken,
        heldMs: performance.now() - this.#acquiredAt,
        error,
      }));
    };
    const outcome = driver.outcome;
    // The loss may have come between the driver's `acquired` and this handle.
    if (outcome._tag === 'Lost') onLost(lockErrorAsError(outcome.error, driver.parentPath));
    else driver.once('lost', onLost);
  }

  /**
   * Gives the lock back: resolves once its node is deleted. Idempotent; after a loss there is
   * nothing to give back and it resolves at once. Rejects with a `ZookeeperLockZooKeeperError`
   * if ZooKeeper refused to delete the node.
   */
  release(): Promise<void> {
    this.#released ??= this.#release();
    return this.#released;
  }

  /** `await using` calls this: the same as `release()`. */
  [asyncDispose](): Promise<void> {
    return this.release();
  }

  async #release(): Promise<void> {
    const wasLost = this.lostSignal.aborted;
    await this.#driver.release();
    if (wasLost || this.lostSignal.aborted) return;
    publish('released', () => ({
      ...this.#diagnostic,
      node: this.node,
      fencingToken: this.fencingToken,
      heldMs: performance.now() - this.#acquiredAt,
    }));
  }
}
