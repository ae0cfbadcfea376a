import type { LockPort } from '../port.js';
import { LockEffects, type LockClock } from './lock-effects.js';
import { initialStep, nextStep } from './lock-steps.js';
import type { LockSnapshot } from './outcome.js';
import type { LockEvent, LockMachineInput } from './types.js';

/** Hears every new snapshot of an attempt, then its end. */
export interface LockObserver {
  next(snapshot: LockSnapshot): void;
  /** The attempt reached its final state (after `next` with that state). */
  complete(): void;
}

export interface LockEngineOptions {
  readonly port: LockPort;
  readonly clock: LockClock;
  readonly observer?: LockObserver;
}

/**
 * Runs ONE acquisition attempt: holds the machine's current snapshot, steps it as xstate's pure
 * `initialTransition` / `transition` do (`lock-steps.ts`), has the actions those return executed (`LockEffects`) and
 * tells its observer of each new snapshot. Events that arrive while a step is being taken (a port
 * that answers at once, an observer that sends) wait until it is done, and are then taken in order:
 * xstate's macrostep, never re-entered. Once the machine is done it ignores events, lets go of
 * whatever the attempt still had (subscription, watch, timers) and keeps its final snapshot.
 *
 * The same engine runs every lock of the shells (`LockDriver`) and the core's model tests.
 */
export class LockEngine {
  #snapshot: LockSnapshot | undefined;
  readonly #effects: LockEffects;
  readonly #observer: LockObserver | undefined;
  /** Events that arrived during a step; created when the first one does. */
  #queue: LockEvent[] | undefined;
  #stepping = false;
  #stopped = false;

  constructor(options: LockEngineOptions) {
    this.#effects = new LockEffects(options.port, options.clock, this);
    this.#observer = options.observer;
  }

  /** The current snapshot (after `start`). */
  get snapshot(): LockSnapshot {
    const snapshot = this.#snapshot;
    if (snapshot === undefined) throw new Error('LockEngine: not started');
    return snapshot;
  }

  /** Starts the attempt: `idle`, or creating its node when `input` has the session. Once. */
  start(input: LockMachineInput): this {
    if (this.#snapshot !== undefined) throw new Error('LockEngine: started twice');
    const [snapshot, effects] = initialStep(input);
    this.#run(() => this.#take(snapshot, effects, true));
    return this;
  }

  /** Sends an event; ignored before `start`, after the end and after `stop`. */
  send(event: LockEvent): void {
    if (this.#stopped || this.#snapshot?.status !== 'active') return;
    if (this.#stepping) {
      (this.#queue ??= []).push(event);
      return;
    }
    this.#run(() => this.#step(event));
  }

  /**
   * Stops the attempt where it is, without its final state's actions: the subscription, the watch
   * and the timers are let go, later answers and events ignored. Its node (if any) is left to the
   * session. Shells end attempts with events instead; this is for a test or a process shutting down.
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#queue = undefined;
    this.#effects.end();
  }

  /** Runs `first`, then the events queued meanwhile, with no step inside another. */
  #run(first: () => void): void {
    this.#stepping = true;
    try {
      first();
      let next: LockEvent | undefined;
      while ((next = this.#queue?.shift()) !== undefined) this.#step(next);
    } finally {
      this.#stepping = false;
      this.#queue = undefined;
    }
  }

  #step(event: LockEvent): void {
    const current = this.#snapshot;
    if (this.#stopped || current?.status !== 'active') return;
    const [snapshot, effects] = nextStep(current, event);
    this.#take(snapshot, effects, snapshot !== current);
  }

  #take(snapshot: LockSnapshot, effects: ReadonlyArray<unknown>, changed: boolean): void {
    this.#snapshot = snapshot;
    for (let i = 0; i < effects.length; i += 2) this.#effects.execute(effects[i] as string, effects[i + 1]);
    const ended = snapshot.status !== 'active';
    if (ended) {
      this.#queue = undefined;
      this.#effects.end();
    }
    if (changed) this.#observer?.next(snapshot);
    if (ended) this.#observer?.complete();
  }
}
