import {
  encodeOwnerData,
  parentHint,
  LockEngine,
  type LockAttempt,
  type LockClock,
  type LockEvent,
  type LockPort,
  type LockSnapshot,
  type SessionInfo,
} from '@zk-lock/core';

let attempt = 0;

/** What an attempt is about. */
export type AttemptInput = LockAttempt;

/**
 * Input for one attempt on `parentPath` with a fresh lock id. Its parent hint says by default that
 * the session has seen the parent (no parent create ahead of the node's); tests of the parents
 * give theirs.
 */
export const lockInput = (parentPath: string, overrides: Partial<AttemptInput> = {}): AttemptInput => {
  attempt++;
  const lockId = `lock-id-${attempt}`;
  return {
    parentPath,
    kind: 'exclusive',
    maxHolders: 1,
    failImmediate: false,
    timeoutMs: 0,
    lockId,
    nodeData: encodeOwnerData({ lockId, hostname: 'test-host', pid: 1, createdAt: 0 }),
    parent: parentHint('container', true),
    ...overrides,
  };
};

/** The process's timers (tests that control time pass xstate's `SimulatedClock`). */
export const systemClock: LockClock = {
  setTimeout: (fire, ms) => setTimeout(fire, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

type Listener = (snapshot: LockSnapshot) => void;

/**
 * One attempt on the engine the shells run (`LockEngine`), with what the tests need around it:
 * several listeners (the engine has one observer), and the snapshot also before the start.
 */
export class TestLock {
  readonly engine: LockEngine;
  #listeners: ReadonlyArray<Listener> = [];

  constructor(
    port: LockPort,
    readonly attempt: AttemptInput,
    clock: LockClock = systemClock,
  ) {
    this.engine = new LockEngine({
      port,
      clock,
      observer: {
        next: (snapshot) => {
          for (const listener of this.#listeners) listener(snapshot);
        },
        complete: () => undefined,
      },
    });
  }

  /** Starts in `idle`, or creating its node at once when `session` is given (a warm port). */
  start(session?: SessionInfo): this {
    this.engine.start(session === undefined ? { attempt: this.attempt } : { attempt: this.attempt, session });
    return this;
  }

  send(event: LockEvent): void {
    this.engine.send(event);
  }

  stop(): void {
    this.engine.stop();
  }

  getSnapshot(): LockSnapshot {
    return this.engine.snapshot;
  }

  /** Hears every new snapshot; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }
}

/** An attempt over `port`, not started. */
export const lockActor = (port: LockPort, input: AttemptInput, clock?: LockClock): TestLock =>
  new TestLock(port, input, clock);

/** Starts an attempt over `port` in `idle` and sends ACQUIRE. */
export const startLock = (port: LockPort, input: AttemptInput, clock?: LockClock): TestLock => {
  const lock = lockActor(port, input, clock).start();
  lock.send({ type: 'ACQUIRE' });
  return lock;
};

export type LockActor = TestLock;

/** Resolves with the first snapshot (the current one included) that satisfies `predicate`. */
export const waitFor = (lock: TestLock, predicate: (s: LockSnapshot) => boolean): Promise<LockSnapshot> =>
  new Promise((resolve) => {
    const now = lock.getSnapshot();
    if (predicate(now)) {
      resolve(now);
      return;
    }
    const unsubscribe = lock.subscribe((snapshot) => {
      if (!predicate(snapshot)) return;
      unsubscribe();
      resolve(snapshot);
    });
  });

/** Resolves when the attempt is held or has ended. */
export const settled = (lock: TestLock): Promise<LockSnapshot> =>
  waitFor(lock, (s) => s.hasTag('held') || s.status === 'done');

/** Lets every pending reply and watch notification of the fake store arrive. */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
