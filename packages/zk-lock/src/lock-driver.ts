import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import {
  busyWithRequests,
  decodeOwnerData,
  encodeOwnerData,
  LockEngine,
  lockOutcome,
  type LockAttempt,
  type LockClock,
  type LockKind,
  type LockObserver,
  type LockOutcome,
  type LockPort,
  type LockSnapshot,
  type OwnerData,
  type SessionInfo,
} from '@zk-lock/core';
import type { SessionWindow, WindowTicket } from '@zk-lock/zookeeper';
import * as O from 'fp-ts/lib/Option.js';
import type { ZookeeperLockError } from './errors.js';
import { acquisitionError, lockErrorAsError } from './outcome-errors.js';

export interface LockDriverOptions<Owner = unknown> {
  /** The effects, from `@zk-lock/zookeeper`'s `createLockPort`; the driver lets go of it when it ends. */
  readonly port: LockPort;
  /** A validated lock parent (`lockParentPath` of `@zk-lock/core`), e.g. `/locks/jobs/nightly`. */
  readonly parentPath: string;
  /** Default `'exclusive'` (mutex, or semaphore with `maxHolders` > 1). */
  readonly kind?: LockKind;
  /** Default 1. */
  readonly maxHolders?: number;
  /** Reject with `ZookeeperLockAlreadyLockedError` instead of waiting (default false). */
  readonly failImmediate?: boolean;
  /** Give up after this many ms (default 0: wait forever). */
  readonly timeoutMs?: number;
  /**
   * The shared session's window (`ZkLockPort.window()`): the acquisition, and later the release,
   * wait for their turn in it. Without one, they start at once.
   */
  readonly window?: SessionWindow;
  /** What a leader publishes in its node's data (see `encodeOwnerData`); none for a plain lock. */
  readonly value?: string;
  /**
   * Told of the attempt's progress as it happens, beside `acquired`, `ended` and the events (which
   * work as ever): a facade that settles promises of its own (2.x's Bluebird ones) needs no
   * promise and no listener of the driver's per attempt. One object serves all attempts; each
   * call names the `owner` the attempt was started with.
   */
  readonly listener?: LockDriverListener<Owner>;
  /** What the listener is told about (required with `listener`). */
  readonly owner?: Owner;
}

/** What a `listener` of `LockDriverOptions` hears, in the order it happens. */
export interface LockDriverListener<Owner> {
  /** Once: the lock is held (`error` undefined), or the attempt ended without holding it. */
  acquired(owner: Owner, driver: LockDriver<Owner>, error: ZookeeperLockError | undefined): void;
  /** The `suspended` event. */
  suspended(owner: Owner, driver: LockDriver<Owner>, lostInMs: number): void;
  /** The `reconnected` event. */
  reconnected(owner: Owner, driver: LockDriver<Owner>): void;
  /** The `lost` event. */
  lost(owner: Owner, driver: LockDriver<Owner>, error: ZookeeperLockError, wasHeld: boolean): void;
  /** Once: the attempt ended and its port let go of the session (`ended` resolves with `outcome`). */
  ended(owner: Owner, driver: LockDriver<Owner>, outcome: LockOutcome): void;
}

export interface LockDriverEvents {
  /** Nothing heard from ZooKeeper for a while; the session is presumed lost in `lostInMs` unless it comes back. */
  suspended: [lostInMs: number];
  /** The session answers again, still the same one: nothing was lost. */
  reconnected: [];
  /** The session is gone (expired, or presumed expired by our own clock): the node is gone or going. */
  lost: [error: ZookeeperLockError, wasHeld: boolean];
}

/** What an attempt that has not started yet reports. */
const NOT_STARTED: LockOutcome = { _tag: 'Acquiring', suspended: false };

/** The first event of an attempt's machine: it acquires, or it ends before it ever started. */
type FirstEvent = 'ACQUIRE' | 'CANCEL' | 'TIMEOUT' | 'DESTROY';

/**
 * The host name in every node's owner data, read once: `os.hostname()` is a system call, and an
 * attempt made one per acquisition only to label its node.
 */
const HOSTNAME = hostname();

/** The machine's delays run on the process's timers. */
const SYSTEM_CLOCK: LockClock = {
  setTimeout: (fire, ms) => setTimeout(fire, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/** What a driver does with its engine's reports: its own private handling, reached from its observer. */
interface SnapshotHandling {
  observe(driver: LockDriver<unknown>, snapshot: LockSnapshot): void;
  end(driver: LockDriver<unknown>): void;
}

/** Made by the driver class on first use, so that its functions reach the drivers' private members. */
let snapshotHandling: SnapshotHandling | undefined;

/**
 * The engine's observer of one driver: the driver and the one handling of all drivers, so that an
 * attempt keeps no closure for it (two closures and their context measured 0.2 KB per held lock).
 */
class SnapshotObserver implements LockObserver {
  constructor(
    private readonly driver: LockDriver<unknown>,
    private readonly handling: SnapshotHandling,
  ) {}

  next(snapshot: LockSnapshot): void {
    this.handling.observe(this.driver, snapshot);
  }

  complete(): void {
    this.handling.end(this.driver);
  }
}

/** Where the acquisition stands: not settled yet, held, or the error it ended with. */
type Acquisition = 'pending' | 'held' | ZookeeperLockError;

const ignore = (): undefined => undefined;

/**
 * Runs ONE acquisition attempt of one lock node: the core's lock machine on a `LockEngine` (xstate's
 * `transition`, its actions executed over a port from the adapter and the process's timers). It
 * holds no recipe logic of its own; it turns the machine's snapshots into promises, typed errors
 * and events for a facade (the 2.x `ZookeeperLock`, the modern API).
 *
 * - `acquired` resolves when the lock is held and rejects with a typed error when the attempt
 *   ends without holding (`ZookeeperLockTimeoutError`, `...AlreadyLockedError`,
 *   `...CancelledError`, `...DestroyedError`, `...LostError`, `...ZooKeeperError`).
 * - `release()` gives a held lock back (or abandons a pending acquisition), `cancel()` abandons a
 *   pending acquisition, `destroy()` ends it from any state.
 * - `ended` resolves with the final outcome once the machine stopped and the port let go of its
 *   session (so a closed connection is visible to whoever awaits it). It never rejects.
 * - Events `suspended`, `reconnected`, `lost` (also while still acquiring: see `wasHeld`).
 * - A `listener` (see `LockDriverOptions`) hears all of it as it happens, without promises.
 *
 * `acquired` and `ended` are made when first asked for: an attempt whose facade listens keeps
 * no promise. A driver is single-use: to lock again, start a new one.
 */
export class LockDriver<Owner = unknown> extends EventEmitter<LockDriverEvents> {
  /** Unique id of this attempt, stored in the node's data (finds the node after a lost create reply). */
  readonly lockId = randomUUID();
  readonly parentPath: string;
  readonly #port: LockPort;
  readonly #window: SessionWindow | undefined;
  readonly #listener: LockDriverListener<Owner> | undefined;
  readonly #owner: Owner | undefined;
  /** The attempt's options until it starts (a held lock keeps no more than it needs). */
  #unstarted: LockDriverOptions<Owner> | undefined;
  readonly #timeoutMs: number;
  /** The machine, once the attempt started (at once, or when its turn in the window came). */
  #engine: LockEngine | undefined;
  /** The attempt's place in the window while it acquires or releases (see `SessionWindow`). */
  #ticket: WindowTicket | undefined;
  /** While waiting for its turn to acquire with a lock timeout: the timer that ends it unstarted. */
  #deadline: NodeJS.Timeout | undefined;
  /** Set once a release went into the window, so it is asked for once. */
  #releaseAsked = false;
  #acquisition: Acquisition = 'pending';
  /** `acquired`, once asked for. */
  #acquiredPromise: Promise<void> | undefined;
  /** Settles `acquired` while it is pending and someone asked for it. */
  #acquiring: { resolve: () => void; reject: (error: ZookeeperLockError) => void } | undefined;
  /** The final outcome, once the port let go of the session. */
  #endedWith: LockOutcome | undefined;
  /** `ended`, once asked for. */
  #endedPromise: Promise<LockOutcome> | undefined;
  #resolveEnded: ((outcome: LockOutcome) => void) | undefined;
  #suspended = false;
  #lostReported = false;

  constructor(options: LockDriverOptions<Owner>) {
    super();
    this.parentPath = options.parentPath;
    this.#port = options.port;
    this.#window = options.window;
    this.#listener = options.listener;
    this.#owner = options.owner;
    this.#unstarted = options;
    this.#timeoutMs = options.timeoutMs ?? 0;
    const window = options.window;
    if (window === undefined) {
      this.#start('ACQUIRE', this.#timeoutMs);
      return;
    }
    const enteredAt = this.#timeoutMs > 0 ? performance.now() : 0;
    this.#enter(window, () => this.#startInTurn(enteredAt));
    if (this.#engine === undefined && this.#timeoutMs > 0)
      this.#deadline = setTimeout(() => this.#endUnstarted('TIMEOUT'), this.#timeoutMs);
  }

  /**
   * Resolves when the lock is held; rejects with a typed error when the attempt ended without
   * holding it. A rejection nobody handles is not reported as unhandled.
   */
  get acquired(): Promise<void> {
    return (this.#acquiredPromise ??= this.#promiseAcquired());
  }

  /** Resolves with the final outcome once the attempt ended and its port let go of the session. */
  get ended(): Promise<LockOutcome> {
    return (this.#endedPromise ??= this.#promiseEnded());
  }

  /** Where the attempt stands (held, released, timed out, ...). */
  get outcome(): LockOutcome {
    const engine = this.#engine;
    return engine === undefined ? NOT_STARTED : lockOutcome(engine.snapshot);
  }

  get held(): boolean {
    return this.outcome._tag === 'Held';
  }

  /** The node's name, `lock-0000000042`, once created. */
  get node(): string | undefined {
    return this.#engine?.snapshot.context.node;
  }

  /** What its node's data says of its owner (see `encodeOwnerData`), once the attempt started. */
  get ownerData(): OwnerData | undefined {
    const data = this.#engine?.snapshot.context.attempt.nodeData;
    return data === undefined ? undefined : O.toUndefined(decodeOwnerData(data));
  }

  get nodePath(): string | undefined {
    return this.#engine?.snapshot.context.nodePath;
  }

  get sequence(): number | undefined {
    return this.#engine?.snapshot.context.sequence;
  }

  /** Strictly increasing per lock path in acquisition order; set once held. */
  get fencingToken(): bigint | undefined {
    return this.#engine?.snapshot.context.fencingToken;
  }

  get session(): SessionInfo | undefined {
    return this.#engine?.snapshot.context.session;
  }

  /**
   * Gives a held lock back (removes its node), or abandons a pending acquisition. Resolves once
   * the node is gone (or the session that owned it is) and the session let go; rejects with a
   * `ZookeeperLockZooKeeperError` when ZooKeeper refused to remove the node. A release waits for
   * its turn in the session's window, as acquisitions do.
   */
  async release(): Promise<void> {
    this.requestRelease();
    const error = this.releaseError(await this.ended);
    if (error !== undefined) throw error;
  }

  /**
   * `release()` without a promise: what it asks for, at once. A listener hears the end (`ended`),
   * and `releaseError` tells whether the release failed.
   */
  requestRelease(): void {
    const window = this.#window;
    if (!this.held) this.cancel();
    else if (window === undefined) this.#send('RELEASE');
    else if (!this.#releaseAsked) {
      this.#releaseAsked = true;
      this.#enter(window, () => this.#send('RELEASE'));
    }
  }

  /**
   * The error `release()` rejects with for the attempt's final `outcome`: ZooKeeper refused to
   * remove the node of a lock that was held. `undefined` otherwise.
   */
  releaseError(outcome: LockOutcome): ZookeeperLockError | undefined {
    return outcome._tag === 'Failed' && this.#wasHeld()
      ? lockErrorAsError(outcome.error, this.parentPath)
      : undefined;
  }

  /** Abandons a pending acquisition: `acquired` rejects with `ZookeeperLockCancelledError`. No effect once held. */
  cancel(): void {
    if (this.#engine === undefined) this.#endUnstarted('CANCEL');
    else this.#send('CANCEL');
  }

  /** Ends the attempt from any state, removing the node unless the session is lost. Never rejects. */
  destroy(): Promise<LockOutcome> {
    if (this.#engine === undefined) this.#endUnstarted('DESTROY');
    else {
      // Ends now, not in turn: whatever place the attempt has in the window (a release still in
      // line, an acquisition busy with its requests) is given up.
      this.#leaveWindow();
      this.#send('DESTROY');
    }
    return this.ended;
  }

  #promiseAcquired(): Promise<void> {
    const acquisition = this.#acquisition;
    const promise =
      acquisition === 'held'
        ? Promise.resolve()
        : acquisition === 'pending'
          ? new Promise<void>((resolve, reject) => {
              this.#acquiring = { resolve, reject };
            })
          : Promise.reject(acquisition);
    // A caller that only awaits `ended` (e.g. a destroy during acquisition) must not see an unhandled rejection.
    promise.catch(ignore);
    return promise;
  }

  #promiseEnded(): Promise<LockOutcome> {
    const outcome = this.#endedWith;
    if (outcome !== undefined) return Promise.resolve(outcome);
    return new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  /** Commands to a machine that already ended are moot: the engine ignores them. */
  #send(type: 'RELEASE' | 'CANCEL' | 'DESTROY'): void {
    this.#engine?.send({ type });
  }

  /** Its turn in the window came: the lock timeout counts from the call, not from the turn. */
  #startInTurn(enteredAt: number): void {
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
    const timeoutMs =
      this.#timeoutMs > 0 ? Math.max(1, this.#timeoutMs - (performance.now() - enteredAt)) : 0;
    this.#start('ACQUIRE', timeoutMs);
  }

  /**
   * Ends an attempt still waiting for its turn: it leaves the line, and its machine, started only
   * now, ends on `first` without a request.
   */
  #endUnstarted(first: Exclude<FirstEvent, 'ACQUIRE'>): void {
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
    this.#leaveWindow();
    this.#start(first, this.#timeoutMs);
  }

  #start(first: FirstEvent, timeoutMs: number): void {
    const options = this.#unstarted;
    if (options === undefined) return;
    this.#unstarted = undefined;
    // On a warm pool the port has its session at once: the machine starts creating its node, and
    // the session's hint about the parent is known.
    const session = first === 'ACQUIRE' ? O.toUndefined(options.port.connectNow()) : undefined;
    const attempt: LockAttempt = {
      parentPath: options.parentPath,
      kind: options.kind ?? 'exclusive',
      maxHolders: options.maxHolders ?? 1,
      failImmediate: options.failImmediate ?? false,
      timeoutMs,
      lockId: this.lockId,
      nodeData: encodeOwnerData({
        lockId: this.lockId,
        hostname: HOSTNAME,
        pid: process.pid,
        createdAt: Date.now(),
        value: options.value,
      }),
      parent: options.port.parentHint(options.parentPath),
    };
    // One observer for every new snapshot (each is read once), and the end.
    const engine = new LockEngine({
      port: options.port,
      clock: SYSTEM_CLOCK,
      observer: new SnapshotObserver(this, this.#snapshotHandling()),
    });
    this.#engine = engine;
    if (first !== 'ACQUIRE') {
      engine.start({ attempt });
      engine.send({ type: first });
      return;
    }
    engine.start(session === undefined ? { attempt } : { attempt, session });
    if (session === undefined) engine.send({ type: 'ACQUIRE' });
  }

  #snapshotHandling(): SnapshotHandling {
    return (snapshotHandling ??= {
      observe: (driver, snapshot) => driver.#observe(snapshot),
      end: (driver) => driver.#end(),
    });
  }

  #end(): void {
    this.#leaveWindow();
    const outcome = this.outcome;
    // The machine let go of the port on entering its final state without waiting; wait here.
    const ended = (): void => this.#ended(outcome);
    this.#port.disconnect().then(ended, ended);
  }

  #ended(outcome: LockOutcome): void {
    this.#endedWith = outcome;
    const resolve = this.#resolveEnded;
    this.#resolveEnded = undefined;
    resolve?.(outcome);
    this.#listener?.ended(this.#owner as Owner, this, outcome);
  }

  /** Takes a place in the window for `start` (run at once when there is room). */
  #enter(window: SessionWindow, start: () => void): void {
    this.#leaveWindow();
    const ticket = window.ticket(start);
    this.#ticket = ticket;
    ticket.enter();
  }

  #leaveWindow(): void {
    this.#ticket?.leave();
    this.#ticket = undefined;
  }

  #wasHeld(): boolean {
    return this.fencingToken !== undefined;
  }

  #observe(snapshot: LockSnapshot): void {
    if (this.#ticket?.inside === true && !busyWithRequests(snapshot)) this.#leaveWindow();
    const outcome = lockOutcome(snapshot);
    this.#settleAcquired(outcome);
    this.#signal(outcome, snapshot.context.lostInMs);
  }

  #settleAcquired(outcome: LockOutcome): void {
    if (this.#acquisition !== 'pending') return;
    let error: ZookeeperLockError | undefined;
    if (outcome._tag !== 'Held') {
      error = acquisitionError(outcome, this.parentPath, this.#timeoutMs);
      if (error === undefined) return;
    }
    this.#acquisition = error ?? 'held';
    const acquiring = this.#acquiring;
    this.#acquiring = undefined;
    if (error === undefined) acquiring?.resolve();
    else acquiring?.reject(error);
    this.#listener?.acquired(this.#owner as Owner, this, error);
  }

  #signal(outcome: LockOutcome, lostInMs: number): void {
    const suspended = (outcome._tag === 'Held' || outcome._tag === 'Acquiring') && outcome.suspended;
    const live = outcome._tag === 'Held' || outcome._tag === 'Acquiring';
    if (suspended && !this.#suspended) {
      this.emit('suspended', lostInMs);
      this.#listener?.suspended(this.#owner as Owner, this, lostInMs);
    }
    if (!suspended && this.#suspended && live) {
      this.emit('reconnected');
      this.#listener?.reconnected(this.#owner as Owner, this);
    }
    this.#suspended = suspended;
    if (outcome._tag === 'Lost' && !this.#lostReported) {
      this.#lostReported = true;
      const error = lockErrorAsError(outcome.error, this.parentPath);
      this.emit('lost', error, outcome.wasHeld);
      this.#listener?.lost(this.#owner as Owner, this, error, outcome.wasHeld);
    }
  }
}
