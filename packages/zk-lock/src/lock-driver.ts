import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import {
  busyWithRequests,
  createLockRunner,
  encodeOwnerData,
  lockOutcome,
  type LockContext,
  type LockKind,
  type LockOutcome,
  type LockPort,
  type LockRunner,
  type RunnerObserver,
  type RunnerSnapshot,
  type SessionInfo,
} from '@zk-lock/core';
import type { SessionWindow, WindowTicket } from '@zk-lock/zookeeper';
import * as O from 'fp-ts/lib/Option.js';
import type { ZookeeperLockError } from './errors.js';
import { acquisitionError, lockErrorAsError } from './outcome-errors.js';

export interface LockDriverOptions {
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
}

export interface LockDriverEvents {
  /** Nothing heard from ZooKeeper for a while; the session is presumed lost in `lostInMs` unless it comes back. */
  suspended: [lostInMs: number];
  /** The session answers again, still the same one: nothing was lost. */
  reconnected: [];
  /** The session is gone (expired, or presumed expired by our own clock): the node is gone or going. */
  lost: [error: ZookeeperLockError, wasHeld: boolean];
}

type LockRunnerSnapshot = RunnerSnapshot<LockContext>;

/** What an attempt that has not started yet reports. */
const NOT_STARTED: LockOutcome = { _tag: 'Acquiring', suspended: false };

/** The first event of an attempt's machine: it acquires, or it ends before it ever started. */
type FirstEvent = 'ACQUIRE' | 'CANCEL' | 'TIMEOUT' | 'DESTROY';

/**
 * The host name in every node's owner data, read once: `os.hostname()` is a system call, and an
 * attempt made one per acquisition only to label its node.
 */
const HOSTNAME = hostname();

/**
 * The runner's observer with prototype methods. An object literal of two arrow functions measured
 * about 0.45 KB more per held lock (5.85 against 5.40 KB, heap snapshots of 2000 held locks under
 * tsx, whose `keepNames` names each property's closure), so the class stays.
 */
class SnapshotObserver implements RunnerObserver<LockRunnerSnapshot> {
  constructor(
    private readonly onSnapshot: (snapshot: LockRunnerSnapshot) => void,
    private readonly onEnd: () => void,
  ) {}

  next(snapshot: LockRunnerSnapshot): void {
    this.onSnapshot(snapshot);
  }

  complete(): void {
    this.onEnd();
  }
}

/**
 * Runs ONE acquisition attempt of one lock node: one actor of the core lock machine (on the core's
 * chart runner, see `@zk-lock/core`'s `createLockRunner`) over a port
 * from the adapter. It holds no recipe logic of its own; it turns the machine's snapshots into
 * promises, typed errors and events for a facade (the 2.x `ZookeeperLock`, the modern API).
 *
 * - `acquired` resolves when the lock is held and rejects with a typed error when the attempt
 *   ends without holding (`ZookeeperLockTimeoutError`, `...AlreadyLockedError`,
 *   `...CancelledError`, `...DestroyedError`, `...LostError`, `...ZooKeeperError`).
 * - `release()` gives a held lock back (or abandons a pending acquisition), `cancel()` abandons a
 *   pending acquisition, `destroy()` ends it from any state.
 * - `ended` resolves with the final outcome once the machine stopped and the port let go of its
 *   session (so a closed connection is visible to whoever awaits it). It never rejects.
 * - Events `suspended`, `reconnected`, `lost` (also while still acquiring: see `wasHeld`).
 *
 * A driver is single-use: to lock again, start a new one.
 */
export class LockDriver extends EventEmitter<LockDriverEvents> {
  /** Unique id of this attempt, stored in the node's data (finds the node after a lost create reply). */
  readonly lockId = randomUUID();
  readonly parentPath: string;
  readonly acquired: Promise<void>;
  readonly ended: Promise<LockOutcome>;
  readonly #port: LockPort;
  readonly #window: SessionWindow | undefined;
  /** The attempt's options until it starts (a held lock keeps no more than it needs). */
  #unstarted: LockDriverOptions | undefined;
  readonly #timeoutMs: number;
  /** The machine, once the attempt started (at once, or when its turn in the window came). */
  #actor: LockRunner | undefined;
  /** The attempt's place in the window while it acquires or releases (see `SessionWindow`). */
  #ticket: WindowTicket | undefined;
  /** While waiting for its turn to acquire with a lock timeout: the timer that ends it unstarted. */
  #deadline: NodeJS.Timeout | undefined;
  /** Set once a release went into the window, so it is asked for once. */
  #releaseAsked = false;
  /** Settles `acquired`; dropped once it has. */
  #acquiring: { resolve: () => void; reject: (error: ZookeeperLockError) => void } | undefined;
  #endedWith: ((outcome: LockOutcome) => void) | undefined;
  #suspended = false;
  #lostReported = false;

  constructor(options: LockDriverOptions) {
    super();
    this.parentPath = options.parentPath;
    this.#port = options.port;
    this.#window = options.window;
    this.#unstarted = options;
    this.#timeoutMs = options.timeoutMs ?? 0;
    this.acquired = new Promise((resolve, reject) => {
      this.#acquiring = { resolve, reject };
    });
    // A caller that only awaits `ended` (e.g. a destroy during acquisition) must not see an unhandled rejection.
    this.acquired.catch(() => undefined);
    this.ended = new Promise((resolve) => {
      this.#endedWith = resolve;
    });
    const window = options.window;
    if (window === undefined) {
      this.#start('ACQUIRE', this.#timeoutMs);
      return;
    }
    const enteredAt = this.#timeoutMs > 0 ? performance.now() : 0;
    this.#enter(window, () => this.#startInTurn(enteredAt));
    if (this.#actor === undefined && this.#timeoutMs > 0)
      this.#deadline = setTimeout(() => this.#endUnstarted('TIMEOUT'), this.#timeoutMs);
  }

  /** Where the attempt stands (held, released, timed out, ...). */
  get outcome(): LockOutcome {
    const actor = this.#actor;
    return actor === undefined ? NOT_STARTED : lockOutcome(actor.getSnapshot());
  }

  get held(): boolean {
    return this.outcome._tag === 'Held';
  }

  /** The node's name, `lock-0000000042`, once created. */
  get node(): string | undefined {
    return this.#actor?.getSnapshot().context.node;
  }

  get nodePath(): string | undefined {
    return this.#actor?.getSnapshot().context.nodePath;
  }

  get sequence(): number | undefined {
    return this.#actor?.getSnapshot().context.sequence;
  }

  /** Strictly increasing per lock path in acquisition order; set once held. */
  get fencingToken(): bigint | undefined {
    return this.#actor?.getSnapshot().context.fencingToken;
  }

  get session(): SessionInfo | undefined {
    return this.#actor?.getSnapshot().context.session;
  }

  /**
   * Gives a held lock back (removes its node), or abandons a pending acquisition. Resolves once
   * the node is gone (or the session that owned it is) and the session let go; rejects with a
   * `ZookeeperLockZooKeeperError` when ZooKeeper refused to remove the node. A release waits for
   * its turn in the session's window, as acquisitions do.
   */
  async release(): Promise<void> {
    const window = this.#window;
    if (!this.held) this.cancel();
    else if (window === undefined) this.#send('RELEASE');
    else if (!this.#releaseAsked) {
      this.#releaseAsked = true;
      this.#enter(window, () => this.#send('RELEASE'));
    }
    const outcome = await this.ended;
    if (outcome._tag === 'Failed' && this.#wasHeld()) throw lockErrorAsError(outcome.error, this.parentPath);
  }

  /** Abandons a pending acquisition: `acquired` rejects with `ZookeeperLockCancelledError`. No effect once held. */
  cancel(): void {
    if (this.#actor === undefined) this.#endUnstarted('CANCEL');
    else this.#send('CANCEL');
  }

  /** Ends the attempt from any state, removing the node unless the session is lost. Never rejects. */
  async destroy(): Promise<LockOutcome> {
    if (this.#actor === undefined) this.#endUnstarted('DESTROY');
    else {
      // Ends now, not in turn: whatever place the attempt has in the window (a release still in
      // line, an acquisition busy with its requests) is given up.
      this.#leaveWindow();
      this.#send('DESTROY');
    }
    return this.ended;
  }

  /** Commands to a machine that already ended are moot (and xstate would warn about them). */
  #send(type: 'RELEASE' | 'CANCEL' | 'DESTROY'): void {
    const actor = this.#actor;
    if (actor !== undefined && actor.getSnapshot().status === 'active') actor.send({ type });
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
    const actor = createLockRunner({
      port: options.port,
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
    });
    this.#actor = actor;
    // One observer for every snapshot (each is read once), and the end.
    actor.subscribe(
      new SnapshotObserver(
        (snapshot) => this.#observe(snapshot),
        () => this.#end(),
      ),
    );
    actor.start();
    // On a warm pool the port has its session at once, and the machine skips `connecting`.
    if (first === 'ACQUIRE')
      actor.send({ type: 'ACQUIRE', session: O.toUndefined(options.port.connectNow()) });
    else actor.send({ type: first });
  }

  #end(): void {
    this.#leaveWindow();
    const outcome = this.outcome;
    const resolve = this.#endedWith;
    this.#endedWith = undefined;
    // The machine let go of the port on entering its final state without waiting; wait here.
    void this.#port
      .disconnect()
      .catch(() => undefined)
      .then(() => resolve?.(outcome));
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

  #observe(snapshot: LockRunnerSnapshot): void {
    if (this.#ticket?.inside === true && !busyWithRequests(snapshot)) this.#leaveWindow();
    const outcome = lockOutcome(snapshot);
    this.#settleAcquired(outcome);
    this.#signal(outcome, snapshot.context.lostInMs);
  }

  #settleAcquired(outcome: LockOutcome): void {
    if (this.#acquiring === undefined) return;
    if (outcome._tag === 'Held') this.#acquiring.resolve();
    else {
      const failure = acquisitionError(outcome, this.parentPath, this.#timeoutMs);
      if (failure === undefined) return;
      this.#acquiring.reject(failure);
    }
    this.#acquiring = undefined;
  }

  #signal(outcome: LockOutcome, lostInMs: number): void {
    const suspended = (outcome._tag === 'Held' || outcome._tag === 'Acquiring') && outcome.suspended;
    const live = outcome._tag === 'Held' || outcome._tag === 'Acquiring';
    if (suspended && !this.#suspended) this.emit('suspended', lostInMs);
    if (!suspended && this.#suspended && live) this.emit('reconnected');
    this.#suspended = suspended;
    if (outcome._tag === 'Lost' && !this.#lostReported) {
      this.#lostReported = true;
      this.emit('lost', lockErrorAsError(outcome.error, this.parentPath), outcome.wasHeld);
    }
  }
}
