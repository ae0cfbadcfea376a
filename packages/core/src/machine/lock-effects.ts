import * as E from 'fp-ts/lib/Either.js';
import type { ExecutableActionsFrom } from 'xstate';
import { asZkFailure, type LockPort } from '../port.js';
import { connectionEvent } from './connection.js';
import type { lockMachine } from './lock-machine.js';
import { answerEvent, portCall } from './requests.js';
import type { LockEvent, RequestEffect, WatchEffect } from './types.js';
import { watchEvent } from './watch.js';

/** `setTimeout` and `clearTimeout`: the clock the machine's delays run on (a simulated one in tests). */
export interface LockClock {
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/** Where the events the effects produce go: the attempt's engine. */
export interface LockEventSink {
  send(event: LockEvent): void;
}

/** An action `transition(lockMachine, ...)` returns for the shell to execute. */
export type LockAction = ExecutableActionsFrom<typeof lockMachine>;

/**
 * A delayed event, as xstate 5 returns `raise(event, { delay, id })` from `transition`: an action
 * of type `xstate.raise` with these params (a raise without a delay comes back too, already
 * processed inside `transition`: `delay` is undefined then). `after` transitions are such raises.
 */
interface RaiseParams {
  readonly event: LockEvent;
  readonly id: string | undefined;
  readonly delay: number | undefined;
}

/**
 * `cancel(id)`, as xstate 5 returns it from `transition`: an action of type `xstate.cancel` (a type
 * missing from xstate's type of executable actions).
 */
interface CancelParams {
  readonly sendId: string;
}

/**
 * Executes the actions of ONE attempt's machine (`lockMachine`): requests, the deletion watch and
 * the session subscription go to the port, delayed events to the clock; the events they produce
 * (answers, watch reports, connection events, elapsed delays) go to the sink. It keeps what a
 * running attempt needs between actions, and nothing about the recipe:
 * - the number of the latest request: an answer to an earlier one, sent by a state the machine has
 *   left, is dropped (as a stopped invocation's would be);
 * - the watch's generation and disarm function: no report after `disarmWatch`, also when arming
 *   was still in flight;
 * - the subscription's unsubscribe function;
 * - the pending delayed events by id, until they fire or are cancelled.
 */
export class LockEffects {
  #latestRequest = 0;
  #watchGeneration = 0;
  #disarm: (() => void) | undefined;
  #unsubscribe: (() => void) | undefined;
  /** Created with the first delayed event (most attempts never have one pending). */
  #timers: Map<string, unknown> | undefined;
  #anonymousDelays = 0;

  constructor(
    private readonly port: LockPort,
    private readonly clock: LockClock,
    private readonly sink: LockEventSink,
  ) {}

  /**
   * Executes one action `transition` returned, by its type (a string of the machine's definition,
   * or xstate's for its builtins; never a function's name) and its params.
   */
  execute(type: string, params: unknown): void {
    switch (type) {
      case 'request':
        return this.#request(params as RequestEffect);
      case 'armWatch':
        return this.#armWatch(params as WatchEffect);
      case 'disarmWatch':
        return this.#disarmWatch();
      case 'subscribeConnection':
        return this.#subscribe();
      case 'unsubscribeConnection':
        return this.#unsubscribeConnection();
      case 'disconnect':
        // A failed close cannot change the outcome of a final state; `disconnect` is idempotent,
        // so a shell that needs its result awaits `port.disconnect()` itself.
        this.port.disconnect().catch(() => undefined);
        return;
      case 'xstate.raise':
        return this.#schedule(params as RaiseParams);
      case 'xstate.cancel':
        return this.#cancel((params as CancelParams).sendId);
    }
  }

  /** Lets go of everything the attempt still has (it ended or was stopped): nothing reaches the sink after this. */
  end(): void {
    this.#latestRequest++;
    this.#disarmWatch();
    this.#unsubscribeConnection();
    const timers = this.#timers;
    this.#timers = undefined;
    for (const timer of timers?.values() ?? []) this.clock.clearTimeout(timer);
  }

  #request(effect: RequestEffect): void {
    const id = ++this.#latestRequest;
    const deliver = (answer: E.Either<unknown, unknown>): void => {
      if (id === this.#latestRequest) this.sink.send(answerEvent(effect.request, answer));
    };
    portCall(this.port, effect)().then(deliver, (error: unknown) => deliver(E.left(error)));
  }

  #armWatch(effect: WatchEffect): void {
    const generation = ++this.#watchGeneration;
    const current = (): boolean => generation === this.#watchGeneration;
    const send = (event: LockEvent): void => {
      if (current()) this.sink.send(event);
    };
    this.port
      .watchDeletion(effect.paths, (report) => send(watchEvent(effect, report)))()
      .then(
        (armed) => {
          if (E.isLeft(armed)) send({ type: 'WATCH.FAILED', failure: armed.left });
          else if (current()) this.#disarm = armed.right;
          else armed.right();
        },
        (error: unknown) => send({ type: 'WATCH.FAILED', failure: asZkFailure(error) }),
      );
  }

  #disarmWatch(): void {
    this.#watchGeneration++;
    const disarm = this.#disarm;
    this.#disarm = undefined;
    disarm?.();
  }

  #subscribe(): void {
    this.#unsubscribeConnection();
    this.#unsubscribe = this.port.subscribe((event) => this.sink.send(connectionEvent(event)));
  }

  #unsubscribeConnection(): void {
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    unsubscribe?.();
  }

  #schedule({ event, id, delay }: RaiseParams): void {
    // Without a delay, `transition` has processed the raised event already.
    if (typeof delay !== 'number') return;
    const key = id ?? `delay-${++this.#anonymousDelays}`;
    this.#cancel(key);
    const timer = this.clock.setTimeout(() => {
      this.#timers?.delete(key);
      this.sink.send(event);
    }, delay);
    (this.#timers ??= new Map()).set(key, timer);
  }

  #cancel(id: string): void {
    const timer = this.#timers?.get(id);
    if (timer === undefined) return;
    this.clock.clearTimeout(timer);
    this.#timers?.delete(id);
  }
}
