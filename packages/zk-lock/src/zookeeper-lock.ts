import { EventEmitter } from 'node:events';
import type { ZkLockPort } from '@zk-lock/zookeeper';
import { lockParentPath, wouldWait, type LockConfig, type LockOutcome } from '@zk-lock/core';
import type Bluebird from 'bluebird';
import * as E from 'fp-ts/lib/Either.js';
import type { Client } from '@zk-lock/node-zookeeper-client';
import { bluebird } from './bluebird.js';
import { decodeConfiguration, type ZookeeperLockConfiguration } from './configuration.js';
import {
  ZookeeperLockAlreadyLockedError,
  ZookeeperLockArgumentError,
  ZookeeperLockCancelledError,
  ZookeeperLockDestroyedError,
  ZookeeperLockLostError,
  ZookeeperLockTimeoutError,
  type ZookeeperLockError,
} from './errors.js';
import { LockDriver, type LockDriverListener } from './lock-driver.js';
import { zooKeeperError } from './outcome-errors.js';
import { locate, locatedNow, openLockPort, readLockChildren } from './sessions.js';
import { Signals, States, type ZookeeperLockState } from './states.js';
import { log, startTraceLog } from './trace-log.js';

export interface ZookeeperLockEvents {
  /** The session expired (or is presumed expired): the lock is no longer held. MUST be handled. */
  lost: [error: ZookeeperLockError];
  /** `lock(key, timeout)` gave up. */
  timeout: [error: ZookeeperLockTimeoutError];
  /** ZooKeeper went silent; the lock is lost in `lostInMs` unless the session comes back. */
  suspended: [lostInMs: number];
  /** The session is back; the lock was held all along. */
  reconnected: [];
}

/** The 2.x state a failed acquisition leaves the lock in. */
const stateAfter = (error: unknown): ZookeeperLockState | undefined => {
  if (error instanceof ZookeeperLockTimeoutError) return States.TIMEOUT;
  if (error instanceof ZookeeperLockAlreadyLockedError) return States.ALREADY_LOCKED;
  if (error instanceof ZookeeperLockLostError) return States.LOST;
  // Cancelled and destroyed attempts: whoever cancelled set the state.
  if (error instanceof ZookeeperLockDestroyedError || error instanceof ZookeeperLockCancelledError)
    return undefined;
  return States.ERROR;
};

/** `timeout` of `lock()`, `delay` of `connect()`: absent is 0. */
const validMs = (field: string, ms: unknown): E.Either<ZookeeperLockArgumentError, number> =>
  ms === undefined || ms === null
    ? E.right(0)
    : Number.isSafeInteger(ms) && (ms as number) >= 0
      ? E.right(ms as number)
      : E.left(
          new ZookeeperLockArgumentError(
            field,
            `${field}: expected a non-negative integer number of ms, got ${String(ms)}`,
          ),
        );

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Settle<T> = (value: T) => void;

/**
 * A `lock()` under way: its key, the promise it settles (Bluebird's or, for the static `lock`, a
 * native one) and those of later `lock(key)` calls that joined it meanwhile.
 */
interface Locking {
  readonly key: string;
  readonly resolve: Settle<ZookeeperLock>;
  readonly reject: Settle<unknown>;
  /** Its attempt, once started. */
  driver: LockDriver<ZookeeperLock> | undefined;
  joined: Array<{ readonly resolve: Settle<ZookeeperLock>; readonly reject: Settle<unknown> }> | undefined;
}

/** A release under way: its attempt, and who waits for it to end (an unlock, a `lock()` behind it, ...). */
interface Releasing {
  readonly driver: LockDriver<ZookeeperLock>;
  readonly then: Array<Settle<ZookeeperLockError | undefined>>;
}

/**
 * How the attempts of every 2.x lock report back to their lock: one object for all, so that an
 * attempt costs no closure or promise of its own for it. Made by the class on first use (its
 * functions reach the lock's private members); not in a static block, which would keep the class
 * in bundles of apps that never use it.
 */
let attemptListener: LockDriverListener<ZookeeperLock> | undefined;

/**
 * The configuration `ZookeeperLock.initialize` set, for the static helpers. It lives out here, not
 * in a static field, because the class body must not name its own class: a bundler (tsup's
 * esbuild) then renames the class, and the published `ZookeeperLock.name` read `_ZookeeperLock`.
 */
let initialized: ZookeeperLockConfiguration | undefined;

/** A new lock with the configuration of `initialize` (`lockFactory`, `lock` and `checkLock`). */
const lockFromInitialized = (): ZookeeperLock => new ZookeeperLock(initialized);

/**
 * A distributed lock on ZooKeeper with the zk-lock 2.x API: one object per lock, usable again
 * after `unlock(false)`. The lock itself is the 2.x `signal` emitter: it emits `lost` when the
 * session that held it is gone (which holders must handle), and `suspended` / `reconnected`.
 *
 * As in 2.x, every asynchronous method returns a Bluebird promise (filtered `.catch`, `.tap`,
 * `.timeout`, ...), and the instance methods are properties bound to their lock, so that
 * `promise.then(lock.unlock)` and `const { unlock } = lock` work.
 *
 * All recipe logic (paths, who holds, what to watch, recovery) is in `@zk-lock/core`; sessions and
 * ZooKeeper calls are in `@zk-lock/zookeeper`. This class maps the core lock machine's outcomes
 * to the 2.x states, errors and signals.
 */
export class ZookeeperLock extends EventEmitter<ZookeeperLockEvents> {
  static readonly Signals = Signals;
  static readonly States = States;

  readonly #config: E.Either<ZookeeperLockError, LockConfig>;
  #state: ZookeeperLockState = States.UNLOCKED;
  #path: string | undefined;
  #key: string | undefined;
  #fencingToken: bigint | undefined;
  /** The current acquisition attempt (pending, held, or being released). */
  #driver: LockDriver<ZookeeperLock> | undefined;
  /** Its final outcome, once it ended and its port let go of the session. */
  #driverEnded: LockOutcome | undefined;
  /** Its port while the attempt keeps a session. */
  #port: ZkLockPort | undefined;
  /** The port `connect()` opened, until `lock()` takes it or unlock/disconnect/destroy let go of it. */
  #connected: ZkLockPort | undefined;
  /** Bumped by unlock/disconnect/destroy: an acquisition still finding its servers then gives up. */
  #epoch = 0;
  #locking: Locking | undefined;
  /** The last key's checked lock parent: a lock object is mostly locked on one key, again and again. */
  #lastParent: { readonly key: string; readonly path: string } | undefined;
  #releasing: Releasing | undefined;
  /** The trace log of the current attempt, when `enableTraceLog` is on. */
  #traceLog: { readonly driver: LockDriver<ZookeeperLock>; readonly stop: () => void } | undefined;

  constructor(config?: ZookeeperLockConfiguration) {
    super();
    this.#config = decodeConfiguration(config);
    this.lock = this.#bluebirdLock.bind(this);
    this.unlock = this.#bluebirdUnlock.bind(this);
    this.disconnect = this.#bluebirdDisconnect.bind(this);
    this.destroy = this.#bluebirdDestroy.bind(this);
    this.connect = this.#bluebirdConnect.bind(this);
    this.checkLocked = this.#bluebirdCheckLocked.bind(this);
  }

  /** Sets the configuration `lockFactory`, `lock` and `checkLock` use. */
  static initialize(config: ZookeeperLockConfiguration): void {
    initialized = config;
  }

  /** A new lock with the configuration of `initialize`. */
  static lockFactory(): ZookeeperLock {
    return lockFromInitialized();
  }

  /** A new lock, locked on `key`; when locking fails the lock is destroyed and the error rethrown. */
  static lock(key: string, timeout?: number): Bluebird<ZookeeperLock> {
    const lock = lockFromInitialized();
    return bluebird().resolve(
      lock.#lock(key, timeout).catch(async (error: unknown) => {
        await lock.#destroy();
        throw error;
      }),
    );
  }

  /** Whether a new locker of `key` would have to wait now (as many holders or waiters as allowed, or more). */
  static checkLock(key: string): Bluebird<boolean> {
    const lock = lockFromInitialized();
    return bluebird().resolve(lock.#checkLocked(key).finally(() => lock.#destroy()));
  }

  /**
   * The sequence number in a lock node's name, read as 2.x reads it: the first `lock-` is removed
   * and the rest parsed as a decimal integer, as `parseInt` does. So `'lock-0000000007'` gives 7 and
   * `'lock-1'` gives 1, whatever the number of digits. Other names give their leading digits
   * (`'7'` gives 7, `'lock-12abc'` 12) or NaN when they start with anything else
   * (`'read-0000000003'`, `'something-else'`, `''`).
   */
  static getSequenceNumber(name: string): number {
    if (typeof name !== 'string')
      throw new ZookeeperLockArgumentError('name', `name: expected a lock node name, got a ${typeof name}`);
    return Number.parseInt(name.replace('lock-', ''), 10);
  }

  /** One of `ZookeeperLock.States`. */
  get state(): ZookeeperLockState {
    return this.#state;
  }

  /** The lock parent path, `/locks/<pathPrefix>/<key>`, once `lock()` was called (2.x). */
  get path(): string | undefined {
    return this.#path;
  }

  /** The lock node's name, `lock-<sequence>`, once acquired (2.x). */
  get key(): string | undefined {
    return this.#key;
  }

  /**
   * The raw ZooKeeper client while the lock keeps a session, else `null` (2.x): node-zookeeper-client's
   * API, from `@zk-lock/node-zookeeper-client` (its fixed fork, typed by its own declarations).
   */
  get client(): Client | null {
    return (this.#port ?? this.#connected)?.client() ?? null;
  }

  /**
   * A number that grows strictly with every acquisition of this lock path (it survives the
   * parent being deleted and recreated); pass it to the resources you guard so they can refuse
   * a stale holder. Set once the lock was acquired.
   */
  get fencingToken(): bigint | undefined {
    return this.#fencingToken;
  }

  /** The emitter of `lost` (2.x): the lock itself. */
  get signal(): this {
    return this;
  }

  /*
   * The 2.x methods: own properties bound to this lock, as 2.x defined them (arrow-function
   * fields there; bound in the constructor here, which takes less memory per lock), each returning
   * a Bluebird promise of what the private method of the same name resolves to.
   */

  /**
   * Waits until the lock on `key` is held (or `timeout` ms pass, 0 = forever) and resolves to
   * this lock. An already LOCKED lock resolves at once. Rejects with `ZookeeperLockTimeoutError`,
   * `ZookeeperLockAlreadyLockedError` (failImmediate), a config or argument error naming the field,
   * or another `ZookeeperLockError`.
   */
  lock: (key: string, timeout?: number) => Bluebird<ZookeeperLock>;

  /**
   * Releases the lock (removing its node) and lets go of the session. Unless `destroy` is false or
   * `autoDestroyOnUnlock` is off, the lock is then destroyed (listeners removed, no further use).
   * As in 2.x, any truthy `destroy` counts as true: `lock.lock(key).then(lock.unlock)` passes the
   * lock, and unlocks and destroys it.
   */
  unlock: (destroy?: unknown) => Bluebird<boolean>;

  /** Releases the lock if held (or abandons locking) and lets go of the session; the lock stays usable. */
  disconnect: () => Bluebird<boolean>;

  /** Releases the lock if held (or abandons locking), lets go of the session, removes every listener. */
  destroy: () => Bluebird<boolean>;

  /**
   * Opens the lock's session after `delay` ms (default 0), ahead of `lock()`, which then uses it;
   * `client` is set from then on. Resolves to true once connected, at once while a `lock()` attempt
   * has the session, and to false when disconnect or unlock(false) came first. Rejects with
   * `ZookeeperLockDestroyedError` when the lock is destroyed, before or meanwhile.
   */
  connect: (delay?: number) => Bluebird<boolean>;

  /** Whether a new locker of `key` would have to wait now (2.x `checkLocked`). */
  checkLocked: (key: string) => Bluebird<boolean>;

  /*
   * `lock` and `unlock` settle a Bluebird promise made for the call, from the attempt's report:
   * adopting a native promise (`Bluebird.resolve`) would cost a Bluebird promise, its two resolving
   * functions and a native promise derived from the adopted one on top of it, for every call.
   */

  #bluebirdLock(key: string, timeout?: number): Bluebird<ZookeeperLock> {
    return new (bluebird())<ZookeeperLock>((resolve, reject) =>
      this.#lockThen(key, timeout, resolve, reject),
    );
  }

  #bluebirdUnlock(destroy: unknown = true): Bluebird<boolean> {
    return new (bluebird())<boolean>((resolve, reject) =>
      this.#unlockThen(Boolean(destroy), resolve, reject),
    );
  }

  #bluebirdDisconnect(): Bluebird<boolean> {
    return bluebird().resolve(this.#disconnect());
  }

  #bluebirdDestroy(): Bluebird<boolean> {
    return bluebird().resolve(this.#destroy());
  }

  #bluebirdConnect(delay?: number): Bluebird<boolean> {
    return bluebird().resolve(this.#connect(delay));
  }

  #bluebirdCheckLocked(key: string): Bluebird<boolean> {
    return bluebird().resolve(this.#checkLocked(key));
  }

  #lock(key: string, timeout: number | undefined): Promise<ZookeeperLock> {
    return new Promise((resolve, reject) => this.#lockThen(key, timeout, resolve, reject));
  }

  /**
   * Locks on `key` and settles `resolve` / `reject` with the outcome. Once the servers are located
   * and no release is under way (so mostly), the attempt starts at once, without a promise.
   */
  #lockThen(
    key: string,
    timeout: number | undefined,
    resolve: Settle<ZookeeperLock>,
    reject: Settle<unknown>,
  ): void {
    if (this.#state === States.DESTROYED) return reject(new ZookeeperLockDestroyedError('lock destroyed'));
    if (this.#state === States.LOCKED) return resolve(this);
    const current = this.#locking;
    if (current !== undefined) {
      if (current.key !== key)
        return reject(
          new ZookeeperLockArgumentError('key', `key: this lock is already locking ${current.key}`),
        );
      (current.joined ??= []).push({ resolve, reject });
      return;
    }
    let config: LockConfig;
    let timeoutMs: number;
    let parentPath: string;
    try {
      config = this.#validConfig();
      const ms = validMs('timeout', timeout);
      if (E.isLeft(ms)) throw ms.left;
      timeoutMs = ms.right;
      parentPath = this.#parentPath(config, key);
    } catch (error) {
      return reject(error);
    }
    const locking: Locking = { key, resolve, reject, driver: undefined, joined: undefined };
    this.#locking = locking;
    const located = this.#releasing === undefined ? locatedNow(config) : undefined;
    if (located === undefined) {
      this.#acquireLater(locking, config, parentPath, timeoutMs, this.#epoch).catch((error: unknown) =>
        this.#settleLocking(locking, error),
      );
      return;
    }
    this.#path = parentPath;
    this.#state = States.LOCKING;
    this.#acquire(locking, located, parentPath, timeoutMs);
  }

  /**
   * What `#lockThen` cannot do at once: wait for a previous attempt still letting go of its node,
   * and locate the servers. `epoch`: the lock's epoch when `lock()` was called; unlock/disconnect/
   * destroy since then abandon this attempt.
   */
  async #acquireLater(
    locking: Locking,
    config: LockConfig,
    parentPath: string,
    timeoutMs: number,
    epoch: number,
  ): Promise<void> {
    if (this.#releasing !== undefined) {
      await this.#released();
      this.#checkEpoch(epoch, parentPath);
    }
    this.#path = parentPath;
    this.#state = States.LOCKING;
    const located =
      locatedNow(config) ??
      (await locate(config).catch((error: unknown) => {
        if (this.#epoch === epoch) this.#state = States.ERROR;
        throw error;
      }));
    this.#checkEpoch(epoch, parentPath);
    this.#acquire(locking, located, parentPath, timeoutMs);
  }

  /** Starts the attempt of `locking`; it reports to `#acquired`. */
  #acquire(locking: Locking, config: LockConfig, parentPath: string, timeoutMs: number): void {
    const port = this.#takeConnected() ?? openLockPort(config, this);
    const driver = new LockDriver<ZookeeperLock>({
      port,
      window: port.window(),
      parentPath,
      maxHolders: config.maxConcurrentHolders,
      failImmediate: config.failImmediate,
      timeoutMs,
      listener: this.#attemptListener(),
      owner: this,
    });
    locking.driver = driver;
    this.#attach(driver, port, config);
  }

  #attemptListener(): LockDriverListener<ZookeeperLock> {
    return (attemptListener ??= {
      acquired: (lock, driver, error) => lock.#acquired(driver, error),
      suspended: (lock, _driver, lostInMs) => lock.emit('suspended', lostInMs),
      reconnected: (lock) => lock.emit('reconnected'),
      lost: (lock, driver, error, wasHeld) => lock.#lost(driver, error, wasHeld),
      ended: (lock, driver, outcome) => lock.#ended(driver, outcome),
    });
  }

  /** The attempt of the `lock()` under way is held, or ended without holding (`error`). */
  #acquired(driver: LockDriver<ZookeeperLock>, error: ZookeeperLockError | undefined): void {
    const locking = this.#locking;
    if (locking?.driver !== driver) return;
    if (error !== undefined) {
      if (this.#driver === driver) {
        this.#state = stateAfter(error) ?? this.#state;
        if (error instanceof ZookeeperLockTimeoutError) this.emit(Signals.TIMEOUT, error);
      }
      this.#settleLocking(locking, error);
      return;
    }
    this.#key = driver.node;
    this.#fencingToken = driver.fencingToken;
    this.#state = States.LOCKED;
    this.#settleLocking(locking, undefined);
  }

  /** Settles the `lock()` calls of `locking`: with this lock, or rejected with `error`. */
  #settleLocking(locking: Locking, error: unknown): void {
    if (this.#locking === locking) this.#locking = undefined;
    if (error === undefined) locking.resolve(this);
    else locking.reject(error);
    for (const joined of locking.joined ?? []) {
      if (error === undefined) joined.resolve(this);
      else joined.reject(error);
    }
  }

  #lost(driver: LockDriver<ZookeeperLock>, error: ZookeeperLockError, wasHeld: boolean): void {
    if (this.#driver !== driver) return;
    this.#state = States.LOST;
    if (wasHeld) this.emit(Signals.LOST, error);
  }

  /** An attempt ended and its port let go of the session: a release waiting for that is done. */
  #ended(driver: LockDriver<ZookeeperLock>, outcome: LockOutcome): void {
    if (this.#driver === driver) {
      this.#port = undefined;
      this.#driverEnded = outcome;
    }
    if (this.#traceLog?.driver === driver) {
      this.#traceLog.stop();
      this.#traceLog = undefined;
    }
    const releasing = this.#releasing;
    if (releasing?.driver !== driver) return;
    this.#releasing = undefined;
    this.#finishRelease(driver, outcome, releasing.then);
  }

  #unlockThen(destroy: boolean, resolve: Settle<boolean>, reject: Settle<unknown>): void {
    const autoDestroy = E.isRight(this.#config) ? this.#config.right.autoDestroyOnUnlock : true;
    if (this.#state === States.DESTROYED) return resolve(true);
    this.#epoch += 1;
    this.#releaseThen(States.UNLOCKING, (released) =>
      this.#letGoOfConnectedThen(released, (failure) => {
        if (failure !== undefined) return reject(failure);
        if (destroy && autoDestroy) this.#becomeDestroyed();
        else this.#state = States.UNLOCKED;
        resolve(true);
      }),
    );
  }

  async #disconnect(): Promise<boolean> {
    if (this.#state === States.DESTROYED) return true;
    this.#epoch += 1;
    await this.#release(this.#state).catch((error: unknown) => log('disconnect: %s', String(error)));
    await this.#letGoOfConnected();
    this.#state = States.UNLOCKED;
    return true;
  }

  async #destroy(): Promise<boolean> {
    const driver = this.#driver;
    this.#epoch += 1;
    this.#becomeDestroyed();
    await Promise.all([driver?.destroy(), this.#letGoOfConnected()]);
    return true;
  }

  async #connect(delay: number | undefined): Promise<boolean> {
    if (this.#state === States.DESTROYED) throw new ZookeeperLockDestroyedError('lock destroyed');
    const config = this.#validConfig();
    const delayMs = validMs('delay', delay);
    if (E.isLeft(delayMs)) throw delayMs.left;
    const epoch = this.#epoch;
    if (delayMs.right > 0) await sleep(delayMs.right);
    if (!this.#stillConnecting(epoch)) return false;
    if (this.#port !== undefined) return true; // an attempt's session, which the attempt looks after
    const located = locatedNow(config) ?? (await locate(config));
    if (!this.#stillConnecting(epoch)) return false;
    if (this.#port !== undefined) return true;
    const port = (this.#connected ??= openLockPort(located, this));
    const session = await port.connect()();
    if (!this.#stillConnecting(epoch)) return false;
    if (E.isLeft(session)) {
      if (this.#connected === port) this.#connected = undefined;
      throw zooKeeperError(session.left, 'connecting');
    }
    return true;
  }

  async #checkLocked(key: string): Promise<boolean> {
    if (this.#state === States.DESTROYED) throw new ZookeeperLockDestroyedError('lock destroyed');
    const config = this.#validConfig();
    const children = await readLockChildren(config, this.#parentPath(config, key));
    return wouldWait(children, config.maxConcurrentHolders);
  }

  #validConfig(): LockConfig {
    if (E.isLeft(this.#config)) throw this.#config.left;
    return this.#config.right;
  }

  #parentPath(config: LockConfig, key: string): string {
    if (this.#lastParent?.key === key) return this.#lastParent.path;
    const path = lockParentPath(config.pathPrefix, key);
    if (E.isLeft(path)) throw new ZookeeperLockArgumentError(path.left.field, path.left.message);
    this.#lastParent = { key, path: path.right };
    return path.right;
  }

  #attach(driver: LockDriver<ZookeeperLock>, port: ZkLockPort, config: LockConfig): void {
    this.#driver = driver;
    this.#driverEnded = undefined;
    this.#port = port;
    if (!config.enableTraceLog) return;
    this.#traceLog?.stop();
    const stop = startTraceLog(
      {
        describe: () => (this.#key === undefined ? (this.#path ?? '') : `${this.#path}/${this.#key}`),
        state: () => this.#state,
        held: () => this.#state === States.LOCKED,
      },
      { refreshMs: config.traceLogRefresh, quietPeriodMs: config.traceLogQuietPeriod },
    );
    this.#traceLog = { driver, stop };
  }

  /**
   * Gives back the current attempt (held or pending); `then` runs once its session is let go, with
   * the error when ZooKeeper refused to remove a held lock's node.
   */
  #releaseThen(during: ZookeeperLockState, then: Settle<ZookeeperLockError | undefined>): void {
    const driver = this.#driver;
    if (driver === undefined) return then(undefined);
    this.#state = during;
    const ended = this.#driverEnded;
    if (ended !== undefined) return this.#finishRelease(driver, ended, [then]);
    const releasing = this.#releasing;
    if (releasing?.driver === driver) releasing.then.push(then);
    else this.#releasing = { driver, then: [then] };
    driver.requestRelease();
  }

  #release(during: ZookeeperLockState): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#releaseThen(during, (error) => (error === undefined ? resolve() : reject(error))),
    );
  }

  /** Resolves once the release under way (if any) is done, however it went. */
  #released(): Promise<void> {
    return new Promise((resolve) => {
      const releasing = this.#releasing;
      if (releasing === undefined) resolve();
      else releasing.then.push(() => resolve());
    });
  }

  #finishRelease(
    driver: LockDriver<ZookeeperLock>,
    outcome: LockOutcome,
    waiting: ReadonlyArray<Settle<ZookeeperLockError | undefined>>,
  ): void {
    const error = driver.releaseError(outcome);
    if (error !== undefined) this.#state = States.ERROR;
    // Late events of a finished attempt must not touch the lock's state.
    if (this.#driver === driver) this.#driver = undefined;
    for (const then of waiting) then(error);
  }

  /** The port `connect()` opened, now the attempt's: the lock no longer lets go of it itself. */
  #takeConnected(): ZkLockPort | undefined {
    const port = this.#connected;
    this.#connected = undefined;
    return port;
  }

  /** Lets go of the session `connect()` opened and no attempt took. */
  async #letGoOfConnected(): Promise<void> {
    await this.#takeConnected()?.disconnect();
  }

  /**
   * `#letGoOfConnected`, then `then` with the first failure: `failure` (what went before), else
   * the disconnect's. At once when `connect()` left no session.
   */
  #letGoOfConnectedThen(failure: unknown, then: Settle<unknown>): void {
    const connected = this.#takeConnected();
    if (connected === undefined) return then(failure);
    connected.disconnect().then(
      () => then(failure),
      (error: unknown) => then(error),
    );
  }

  /** Whether a `connect()` begun in `epoch` goes on; destroy meanwhile rejects it. */
  #stillConnecting(epoch: number): boolean {
    if (this.#state === States.DESTROYED)
      throw new ZookeeperLockDestroyedError('lock destroyed while connecting');
    return this.#epoch === epoch;
  }

  /** unlock(), disconnect() or destroy() came while this attempt had no machine running yet to end. */
  #checkEpoch(epoch: number, parentPath: string): void {
    if (this.#state === States.DESTROYED)
      throw new ZookeeperLockDestroyedError('lock destroyed while locking');
    if (this.#epoch !== epoch)
      throw new ZookeeperLockCancelledError(`locking ${parentPath} was cancelled`, parentPath);
  }

  #becomeDestroyed(): void {
    this.#state = States.DESTROYED;
    this.removeAllListeners();
  }
}
