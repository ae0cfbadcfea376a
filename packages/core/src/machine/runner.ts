import type { StateValue } from 'xstate';
import { implementationOf, type Chart, type ChartNode, type ChartTransition, type Step } from './chart.js';

/**
 * Runs a compiled chart (`chart.ts`) as an actor with the part of xstate's actor interface the lock
 * machine, its shell and its tests use: `start`, `send`, `getSnapshot`, `subscribe`, `stop`, and
 * snapshots with `value`, `status`, `context`, `matches`. It follows xstate's macrostep: the
 * event's transition, then eventless transitions and internal events until the state is stable;
 * custom actions run as they are reached, delayed events are scheduled and cancelled after the
 * step, observers hear every processed event, and events sent meanwhile wait their turn.
 */

/** `setTimeout` and `clearTimeout`, as xstate's `clock` option (its SimulatedClock fits). */
export interface RunnerClock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

export interface RunnerObserver<S> {
  next?: (snapshot: S) => void;
  error?: (error: unknown) => void;
  complete?: () => void;
}

type AnyEvent = { readonly type: string };
type Status = 'active' | 'done' | 'error' | 'stopped';
type Implementations = Record<string, unknown>;

const realClock: RunnerClock = {
  setTimeout: (fn, timeout) => setTimeout(fn, timeout),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/** The path a `matches` argument names: `'held'`, `'held.live'` or `{ held: 'live' }`. */
const pathOf = (value: StateValue): ReadonlyArray<string> => {
  if (typeof value === 'string') return value.split('.');
  const keys = Object.keys(value);
  const [key] = keys;
  if (key === undefined || keys.length !== 1) return [];
  const inner = value[key];
  return inner === undefined ? [key] : [key, ...pathOf(inner as StateValue)];
};

export class RunnerSnapshot<C> {
  constructor(
    readonly value: StateValue,
    readonly status: Status,
    readonly context: C,
    private readonly leaf: ChartNode,
    readonly error?: unknown,
  ) {}

  /** xstate's `matches`: whether the state value is or is inside `value`. */
  matches(value: StateValue): boolean {
    const path = pathOf(value);
    return path.length > 0 && path.every((key, i) => this.leaf.path[i] === key);
  }
}

/** A delayed event's timer operation, applied once the step is done (as xstate defers them). */
type TimerOp =
  | { readonly op: 'schedule'; readonly id: string; readonly event: AnyEvent; readonly delay: number }
  | { readonly op: 'cancel'; readonly id: string };

let anonymousDelays = 0;

export class MachineRunner<C extends object, E extends AnyEvent> {
  #snapshot: RunnerSnapshot<C>;
  #leaf: ChartNode;
  #context: C;
  #status: Status = 'active';
  #started = false;
  #processing = false;
  readonly #mailbox: E[] = [];
  /** Events raised without a delay and done events, during one macrostep. */
  readonly #internal: AnyEvent[] = [];
  /**
   * Replaced, never changed in place: a notification iterates the array it started with, so an
   * observer that unsubscribes meanwhile costs no copy per step. (An array of one observer is also
   * about 150 bytes less per held lock than a Set.)
   */
  #observers: ReadonlyArray<RunnerObserver<RunnerSnapshot<C>>> = [];
  /** Delayed events by id; created with the first (most locks never schedule one). */
  #timers: Map<string, unknown> | undefined;
  readonly #clock: RunnerClock;
  readonly #actions: Implementations;
  readonly #guards: Implementations;
  readonly #delays: Implementations;
  /** Actions of the initial step wait for `start`, as xstate's do. */
  #deferred: (() => void) | undefined;

  constructor(
    private readonly chart: Chart,
    options: { readonly input?: unknown; readonly clock?: RunnerClock } = {},
  ) {
    const { implementations, config } = chart.machine;
    this.#actions = implementations.actions as Implementations;
    this.#guards = implementations.guards as Implementations;
    this.#delays = implementations.delays as Implementations;
    this.#clock = options.clock ?? realClock;
    const context: unknown = config.context;
    this.#context = (
      typeof context === 'function' ? context({ input: options.input, self: this, spawn: noSpawn }) : context
    ) as C;
    this.#leaf = chart.root;
    const init = { type: 'xstate.init', input: options.input } as unknown as E;
    const ops: TimerOp[] = [];
    const customs: (() => void)[] = [];
    this.#enter(chart.initialStep, init, ops, customs);
    this.#settle(init, ops, customs);
    this.#snapshot = this.#freeze();
    this.#deferred = () => {
      for (const run of customs) run();
      this.#applyTimers(ops);
    };
  }

  getSnapshot(): RunnerSnapshot<C> {
    return this.#snapshot;
  }

  start(): this {
    if (this.#started) return this;
    this.#started = true;
    const deferred = this.#deferred;
    this.#deferred = undefined;
    // Events the initial actions or observers send wait until every observer has the first snapshot.
    this.#processing = true;
    try {
      deferred?.();
      this.#publish();
    } finally {
      this.#processing = false;
    }
    this.#drain();
    return this;
  }

  send(event: E): void {
    if (this.#status !== 'active') return;
    this.#mailbox.push(event);
    if (this.#started && !this.#processing) this.#drain();
  }

  subscribe(observer: RunnerObserver<RunnerSnapshot<C>> | ((snapshot: RunnerSnapshot<C>) => void)): {
    unsubscribe: () => void;
  } {
    const entry = typeof observer === 'function' ? { next: observer } : observer;
    // `[entry]`, not `[...[], entry]`: a spread reserves room for more (180 bytes per held lock).
    this.#observers = this.#observers.length === 0 ? [entry] : [...this.#observers, entry];
    return {
      unsubscribe: () => {
        this.#observers = this.#observers.filter((o) => o !== entry);
      },
    };
  }

  stop(): this {
    if (this.#status !== 'active') return this;
    this.#status = 'stopped';
    this.#snapshot = this.#freeze();
    this.#end();
    return this;
  }

  #drain(): void {
    this.#processing = true;
    try {
      let event: E | undefined;
      while (this.#status === 'active' && (event = this.#mailbox.shift()) !== undefined) this.#process(event);
    } finally {
      this.#processing = false;
      // An emptied mailbox can keep the capacity of its first push (160 bytes per held lock): drop it.
      if (this.#mailbox.length === 0) this.#mailbox.length = 0;
    }
  }

  #process(event: E): void {
    const ops: TimerOp[] = [];
    let changed = false;
    try {
      const transition = this.#select(event, this.#leaf);
      if (transition !== undefined)
        changed = this.#enter(this.chart.step(transition, this.#leaf), event, ops, undefined);
      changed = this.#settle(event, ops, undefined) || changed;
    } catch (error) {
      this.#fail(error);
      return;
    }
    // Like xstate, a snapshot is new only when the state or the context changed.
    if (changed || this.#status !== 'active') this.#snapshot = this.#freeze();
    this.#applyTimers(ops);
    this.#publish();
  }

  /**
   * Eventless transitions and internal events until the state is stable (xstate's macrostep loop).
   * Internal events left when the machine is done are dropped with the step, as xstate's are.
   * Returns whether anything changed.
   */
  #settle(event: AnyEvent, ops: TimerOp[], customs: (() => void)[] | undefined): boolean {
    let current = event;
    let selectEventless = true;
    let changed = false;
    while (this.#status === 'active') {
      const eventless = selectEventless ? this.#selectEventless(current) : undefined;
      if (eventless !== undefined) {
        selectEventless = this.#enter(this.chart.step(eventless, this.#leaf), current, ops, customs);
        changed = selectEventless || changed;
        continue;
      }
      const internal = this.#internal.shift();
      if (internal === undefined) break;
      current = internal;
      const transition = this.#select(internal, this.#leaf);
      if (transition !== undefined)
        changed = this.#enter(this.chart.step(transition, this.#leaf), internal, ops, customs) || changed;
      selectEventless = true;
    }
    this.#internal.length = 0;
    return changed;
  }

  /** Takes a step: runs its actions in order, moves to its leaf. Returns whether anything changed. */
  #enter(step: Step, event: AnyEvent, ops: TimerOp[], customs: (() => void)[] | undefined): boolean {
    let changed = step.leaf !== this.#leaf;
    for (const action of step.actions) changed = this.#run(action, event, ops, customs) || changed;
    this.#leaf = step.leaf;
    for (const done of step.doneEvents) this.#internal.push(done);
    if (step.done) this.#status = 'done';
    return changed;
  }

  /** Runs one action; returns true when it assigned to the context. */
  #run(action: unknown, event: AnyEvent, ops: TimerOp[], customs: (() => void)[] | undefined): boolean {
    const inline = typeof action === 'function';
    const resolved = implementationOf(this.#actions, action) as
      ((args: unknown, params: unknown) => void) | undefined;
    // xstate gives custom actions { context, event, self, system } and assignments also `spawn`:
    // one object serves both (the extra field is never read by an action).
    const args = { context: this.#context, event, self: this, system: undefined, spawn: noSpawn };
    const params = this.#params(action, inline, event);
    if (resolved === undefined) throw new Error(`action ${JSON.stringify(action)} is not implemented`);
    const builtin = resolved as unknown as {
      type?: string;
      assignment?: unknown;
      event?: unknown;
      delay?: unknown;
      id?: unknown;
      sendId?: unknown;
    };
    switch ('resolve' in resolved ? builtin.type : undefined) {
      case 'xstate.assign': {
        const assignment = builtin.assignment;
        let update: Record<string, unknown> = {};
        if (typeof assignment === 'function') update = assignment(args, params) as Record<string, unknown>;
        else
          for (const [key, value] of Object.entries(assignment as Record<string, unknown>))
            update[key] = typeof value === 'function' ? value(args, params) : value;
        // Spread, not Object.assign({}, …): assigning more than a dozen keys one by one turns the
        // copy into a dictionary-mode object (V8), 4x the memory and slow to read in every guard.
        this.#context = { ...this.#context, ...update };
        return true;
      }
      case 'xstate.raise': {
        const raised = (
          typeof builtin.event === 'function' ? builtin.event(args, params) : builtin.event
        ) as AnyEvent;
        const delay = this.#delay(builtin.delay, args, params);
        if (typeof delay !== 'number') this.#internal.push(raised);
        else
          ops.push({
            op: 'schedule',
            id: typeof builtin.id === 'string' ? builtin.id : `delay-${++anonymousDelays}`,
            event: raised,
            delay,
          });
        return false;
      }
      case 'xstate.cancel': {
        const id = typeof builtin.sendId === 'function' ? builtin.sendId(args, params) : builtin.sendId;
        ops.push({ op: 'cancel', id: String(id) });
        return false;
      }
      default:
        if (customs !== undefined) customs.push(() => resolved(args, params));
        else resolved(args, params);
        return false;
    }
  }

  #params(action: unknown, inline: boolean, event: AnyEvent): unknown {
    if (inline || typeof action === 'string' || action === null || typeof action !== 'object')
      return undefined;
    if (!('params' in action)) return undefined;
    const params = (action as { params: unknown }).params;
    return typeof params === 'function' ? params({ context: this.#context, event }) : params;
  }

  #delay(delay: unknown, args: unknown, params: unknown): unknown {
    const configured = typeof delay === 'string' ? this.#delays[delay] : delay;
    return typeof configured === 'function' ? configured(args, params) : configured;
  }

  /** The first enabled transition for `event`, from the active leaf outwards. */
  #select(event: AnyEvent, leaf: ChartNode): ChartTransition | undefined {
    for (let node: ChartNode | undefined = leaf; node !== undefined; node = node.parent) {
      const candidates = node.on.get(event.type);
      if (candidates === undefined) continue;
      for (const candidate of candidates) if (this.#guard(candidate.guard, event)) return candidate;
    }
    return undefined;
  }

  #selectEventless(event: AnyEvent): ChartTransition | undefined {
    for (let node: ChartNode | undefined = this.#leaf; node !== undefined; node = node.parent)
      for (const candidate of node.always) if (this.#guard(candidate.guard, event)) return candidate;
    return undefined;
  }

  #guard(guard: unknown, event: AnyEvent): boolean {
    if (guard === undefined) return true;
    const inline = typeof guard === 'function';
    const resolved = implementationOf(this.#guards, guard) as
      ((args: unknown, params: unknown) => boolean) | undefined;
    if (resolved === undefined) throw new Error(`guard ${JSON.stringify(guard)} is not implemented`);
    if ('check' in resolved) {
      const inner = (resolved as unknown as { guards: ReadonlyArray<unknown> }).guards;
      switch (resolved.name) {
        case 'and':
          return inner.every((g) => this.#guard(g, event));
        case 'or':
          return inner.some((g) => this.#guard(g, event));
        default:
          return !this.#guard(inner[0], event);
      }
    }
    return resolved({ context: this.#context, event }, this.#params(guard, inline, event));
  }

  #freeze(): RunnerSnapshot<C> {
    return new RunnerSnapshot(this.#leaf.value, this.#status, this.#context, this.#leaf);
  }

  #applyTimers(ops: ReadonlyArray<TimerOp>): void {
    for (const op of ops) {
      const existing = this.#timers?.get(op.id);
      if (op.op === 'cancel') {
        if (existing !== undefined) this.#clock.clearTimeout(existing);
        this.#timers?.delete(op.id);
        continue;
      }
      const timer = this.#clock.setTimeout(() => {
        this.#timers?.delete(op.id);
        this.send(op.event as E);
      }, op.delay);
      (this.#timers ??= new Map()).set(op.id, timer);
    }
  }

  #publish(): void {
    const snapshot = this.#snapshot;
    for (const observer of this.#observers) observer.next?.(snapshot);
    if (this.#status === 'done') this.#end();
  }

  #fail(error: unknown): void {
    this.#status = 'error';
    this.#snapshot = new RunnerSnapshot(this.#leaf.value, 'error', this.#context, this.#leaf, error);
    const observers = this.#observers.filter((o) => o.error !== undefined);
    this.#cancelTimers();
    this.#observers = [];
    if (observers.length === 0)
      setTimeout(() => {
        throw error;
      });
    for (const observer of observers) observer.error?.(error);
  }

  #cancelTimers(): void {
    for (const timer of this.#timers?.values() ?? []) this.#clock.clearTimeout(timer);
    this.#timers = undefined;
  }

  #end(): void {
    this.#cancelTimers();
    this.#mailbox.length = 0;
    const observers = this.#observers;
    this.#observers = [];
    for (const observer of observers) observer.complete?.();
  }
}

const noSpawn = (): never => {
  throw new Error('the lock machine runner does not spawn actors');
};
