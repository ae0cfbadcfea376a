import { checkLeaderValue, decodeOwnerData, encodeOwnerData, type OwnerData } from '@zk-lock/core';
import type { ZkSession } from '@zk-lock/zookeeper';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import {
  ZookeeperLockArgumentError,
  ZookeeperLockLostError,
  ZookeeperLockNotLeaderError,
  ZookeeperLockVersionMismatchError,
} from '../errors.js';
import { zooKeeperError } from '../outcome-errors.js';
import { asyncDispose } from './dispose.js';
import type { Track } from './acquisition.js';
import type { LockHandle } from './lock-handle.js';
import { guardAgainstPauses } from './pause-guard.js';

/**
 * The leadership of an election won by `Locks.campaign`: the lock on the election's key, held.
 * Give it up with `resign()` or let `await using` do it:
 *
 * ```ts
 * await using leadership = await locks.campaign('scheduler', { value: myAddress });
 * await runScheduler(leadership.lostSignal, leadership.fencingToken);
 * ```
 *
 * `lostSignal` aborts when the ZooKeeper session behind it is lost (see docs/guarantees.md); while
 * the process leads, that is heard before other callbacks of the process run, also when the
 * process was paused past its session's deadline. `isLeading` reads the clock: check it before an
 * action that must not outlive the leadership.
 */
export class Leadership implements AsyncDisposable {
  /** The election's key as passed to `campaign`. */
  readonly key: string;
  /** The leader node's full path, e.g. `/locks/jobs/scheduler/lock-0000000042`. */
  readonly path: string;
  /** The leader node's name, e.g. `lock-0000000042`. */
  readonly node: string;
  /** Strictly increasing per key in leadership order; send it with every write the leader makes. */
  readonly fencingToken: bigint;
  /** The ZooKeeper session that holds the leadership (16 hex digits), as server logs name it. */
  readonly sessionId: string;
  /** Aborts (reason: a `ZookeeperLockLostError`) when the leadership is lost; never after `resign()`. */
  readonly lostSignal: AbortSignal;
  readonly #lock: LockHandle;
  readonly #session: ZkSession;
  readonly #parentPath: string;
  readonly #lost = new AbortController();
  readonly #unguard: () => void;
  /** Forgets this leadership in `Locks.close()`'s list, once it ended. */
  readonly #untrack: () => void;
  #value: string | undefined;
  /** The owner data of the node: as the driver wrote it, then as read back after a lost write reply. */
  #owner: OwnerData | undefined;
  /** The node's data version as this leader last wrote it (0: as created); unknown after a lost reply. */
  #version: number | undefined = 0;
  /** Proclaims run one after another: each is conditional on the version the previous one left. */
  #proclaims: Promise<unknown> = Promise.resolve();
  #resigned: Promise<void> | undefined;

  /** @internal Leaderships come from `Locks.campaign`. */
  constructor(
    lock: LockHandle,
    session: ZkSession,
    parentPath: string,
    value: string | undefined,
    track: Track,
  ) {
    this.#lock = lock;
    this.#session = session;
    this.#parentPath = parentPath;
    this.key = lock.key;
    this.path = lock.path;
    this.node = lock.node;
    this.fencingToken = lock.fencingToken;
    this.sessionId = session.sessionId;
    this.lostSignal = this.#lost.signal;
    this.#value = value;
    // Every proclaim writes the whole owner JSON; the first needs no read of what this process wrote.
    this.#owner = lock.owner;
    const onLockLost = (): void => this.#lose(lock.lostSignal.reason);
    this.#unguard = guardAgainstPauses({
      deadline: () => this.#deadline(),
      lost: () => {
        this.#lose(
          new ZookeeperLockLostError(`ZooKeeper session lost (timeout) on ${parentPath}`, parentPath),
        );
        // The session's own timer ends it next, and its node with it. Should an answer that came in
        // meanwhile have kept it alive, the node goes here: nobody leads through it any more.
        lock.lostSignal.removeEventListener('abort', onLockLost);
        void lock.release().catch(() => undefined);
      },
    });
    // `Locks.close()` resigns, which also ends the pause guard (a plain release of the lock would not).
    this.#untrack = track(() => this.resign());
    if (lock.lostSignal.aborted) onLockLost();
    else lock.lostSignal.addEventListener('abort', onLockLost, { once: true });
  }

  /**
   * Whether this process still leads, from the monotonic clock itself: false once resigned or lost,
   * and false as soon as the session's deadline has passed, even before `lostSignal` aborted
   * (after a pause, inside the first overdue timer).
   */
  get isLeading(): boolean {
    return this.#resigned === undefined && !this.lostSignal.aborted && performance.now() < this.#deadline();
  }

  /** After this moment (`performance.now()` base) the session may have expired on the server. */
  #deadline(): number {
    return this.#session.confirmedAliveAt + this.#session.sessionTimeoutMs;
  }

  /** What this leader publishes: `campaign`'s `value`, then each successful `proclaim`'s. */
  get value(): string | undefined {
    return this.#value;
  }

  /**
   * Publishes a new value in the leader's node, with a write conditional on the version this
   * leader wrote last. Rejects with `ZookeeperLockNotLeaderError` once the leadership ended,
   * `ZookeeperLockVersionMismatchError` when someone else changed the node's data (nothing is
   * written then), `ZookeeperLockArgumentError` for a value that is not a string of at most 64 KiB,
   * or `ZookeeperLockZooKeeperError`. Calls made together write in call order.
   */
  proclaim(value: string): Promise<void> {
    const checked = checkLeaderValue(value);
    if (E.isLeft(checked))
      return Promise.reject(new ZookeeperLockArgumentError('value', checked.left.message));
    const written = this.#proclaims.then(
      () => this.#write(checked.right),
      () => this.#write(checked.right),
    );
    this.#proclaims = written;
    return written;
  }

  /**
   * Gives the leadership up: resolves once the node is deleted, so the next campaigner leads at
   * once. Idempotent; after a loss there is nothing to give up and it resolves at once.
   */
  resign(): Promise<void> {
    this.#resigned ??= (() => {
      this.#unguard();
      this.#untrack();
      return this.#lock.release();
    })();
    return this.#resigned;
  }

  /** `await using` calls this: the same as `resign()`. */
  [asyncDispose](): Promise<void> {
    return this.resign();
  }

  #lose(reason: unknown): void {
    this.#unguard();
    this.#untrack();
    if (this.#resigned === undefined) this.#lost.abort(reason);
  }

  #notLeader(): ZookeeperLockNotLeaderError {
    const why = this.#resigned === undefined ? 'was lost' : 'was given up';
    return new ZookeeperLockNotLeaderError(
      `the leadership of '${this.key}' (${this.path}) ${why}: nothing was proclaimed`,
      this.#parentPath,
    );
  }

  #mismatch(expected: number, found?: number): ZookeeperLockVersionMismatchError {
    const seen = found === undefined ? '' : ` (found version ${found})`;
    return new ZookeeperLockVersionMismatchError(
      `${this.path} is no longer at version ${expected}${seen}: someone else changed the leader's node; nothing was proclaimed`,
      this.path,
      expected,
    );
  }

  async #write(value: string): Promise<void> {
    if (this.#resigned !== undefined || this.lostSignal.aborted) throw this.#notLeader();
    const { owner, version: expected } =
      this.#owner !== undefined && this.#version !== undefined
        ? { owner: this.#owner, version: this.#version }
        : await this.#readOwner();
    const written = await this.#session.setData(this.path, encodeOwnerData({ ...owner, value }), expected)();
    if (E.isRight(written)) {
      this.#version = written.right.version;
      this.#value = value;
      return;
    }
    const failure = written.left;
    if (failure.code === 'BAD_VERSION') throw this.#mismatch(expected);
    if (failure.code === 'NO_NODE' || failure.code === 'SESSION_EXPIRED' || failure.code === 'CLOSED')
      throw this.#notLeader();
    // The write may or may not have been applied: the next one reads the version first.
    if (failure.code === 'CONNECTION_LOSS') this.#version = undefined;
    throw zooKeeperError(failure, `proclaiming on ${this.path}`);
  }

  /**
   * The node's owner data and version, read before the first write (the owner JSON keeps the
   * creation time the driver stamped) and after a write whose reply was lost. A version other than
   * the one this leader wrote last means someone else wrote.
   */
  async #readOwner(): Promise<{ readonly owner: OwnerData; readonly version: number }> {
    const read = await this.#session.getData(this.path)();
    if (E.isLeft(read)) {
      const code = read.left.code;
      if (code === 'NO_NODE' || code === 'SESSION_EXPIRED' || code === 'CLOSED') throw this.#notLeader();
      throw zooKeeperError(read.left, `reading ${this.path}`);
    }
    const { version } = read.right.stat;
    const data = decodeOwnerData(read.right.data.toString('utf8'));
    const expected = this.#version;
    if ((expected !== undefined && version !== expected) || O.isNone(data))
      throw this.#mismatch(expected ?? 0, version);
    this.#owner = data.value;
    this.#version = version;
    return { owner: data.value, version };
  }
}
