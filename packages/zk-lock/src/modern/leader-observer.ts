import {
  initialLeaderView,
  stepLeaderView,
  type ConnectionEvent,
  type LeaderViewEvent,
  type LockConfig,
  type ZkFailure,
} from '@zk-lock/core';
import { type SessionLease, type WatchEvent, type ZkSession } from '@zk-lock/zookeeper';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { zooKeeperError } from '../outcome-errors.js';
import { leaseSession } from '../sessions.js';
import { abortError } from './abort.js';
import { leaderFrom, type Leader } from './leader.js';

/**
 * `Locks.observeLeader`: the leader of an election now, then each change, as an async iterator,
 * for anyone (campaigning or not). Driven by ZooKeeper watches, never by polling: a child watch on
 * the election's parent and a data watch on each participant; what they mean is decided by the
 * core's `stepLeaderView`. What is reported, and what can be missed, is in docs/guarantees.md.
 */

/** Failures after which the session's own events (reconnected, lost) bring the observer back. */
const TRANSIENT: ReadonlySet<ZkFailure['code']> = new Set(['CONNECTION_LOSS', 'SESSION_EXPIRED', 'CLOSED']);

/**
 * What the watches of one session call into. ZooKeeper cannot remove a watch, so a watch stays
 * registered until it fires or the session ends; it holds only this gate, which lets go of the
 * observer when the observation ends (or moves to a new session): nothing is held, nothing more
 * is yielded.
 */
class WatchGate {
  constructor(public handlers: WatchHandlers | undefined) {}
}

interface WatchHandlers {
  readonly list: () => void;
  readonly connection: (event: ConnectionEvent) => void;
  readonly nodeEvent: (node: string, event: WatchEvent) => void;
}

// The callbacks a session keeps are made here, outside the observer's methods: a closure made in
// a method would share its scope with the method's other closures, `this` included, and keep the
// observer alive for as long as ZooKeeper keeps the watch.
const listOnChange = (gate: WatchGate) => (): void => gate.handlers?.list();
const onConnection =
  (gate: WatchGate) =>
  (event: ConnectionEvent): void =>
    gate.handlers?.connection(event);
const onNodeEvent =
  (gate: WatchGate, node: string) =>
  (event: WatchEvent): void =>
    gate.handlers?.nodeEvent(node, event);

export class LeaderObserver implements AsyncIterableIterator<Leader | undefined> {
  readonly #config: LockConfig;
  readonly #key: string;
  readonly #parentPath: string;
  readonly #signal: AbortSignal | undefined;
  readonly #untrack: () => void;
  #view = initialLeaderView;
  #lease: SessionLease | undefined;
  #gate = new WatchGate(undefined);
  readonly #handlers: WatchHandlers = {
    list: () => this.#list(),
    connection: (event) => this.#onConnection(event),
    nodeEvent: (node, event) => this.#onNodeEvent(node, event),
  };
  #unsubscribe: (() => void) | undefined;
  #started = false;
  #listing = false;
  #listAgain = false;
  /** Reports not taken by `next()` yet, in order (`undefined`: nobody leads). */
  readonly #queue: Array<Leader | undefined> = [];
  /** `next()` calls waiting for a report, in call order. */
  readonly #waiting: Array<{
    readonly resolve: (result: IteratorResult<Leader | undefined>) => void;
    readonly reject: (error: unknown) => void;
  }> = [];
  #failure: { readonly error: unknown } | undefined;
  #ended = false;

  /** @internal Observers come from `Locks.observeLeader`. */
  constructor(
    config: LockConfig,
    key: string,
    parentPath: string,
    signal: AbortSignal | undefined,
    track: (close: () => Promise<unknown>) => () => void,
  ) {
    this.#config = config;
    this.#key = key;
    this.#parentPath = parentPath;
    this.#signal = signal;
    this.#untrack = track(() => this.return());
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    if (signal?.aborted) this.#onAbort();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next report: a leader, or `undefined` when nobody leads. The first comes at once. */
  next(): Promise<IteratorResult<Leader | undefined>> {
    if (this.#queue.length > 0) return Promise.resolve({ done: false, value: this.#queue.shift() });
    if (this.#failure !== undefined) return Promise.reject(this.#failure.error);
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    if (!this.#started) {
      this.#started = true;
      void this.#open();
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** Ends the observation (a `for await` loop calls it on `break`): its watches call nothing any more. */
  async return(): Promise<IteratorResult<Leader | undefined>> {
    this.#end();
    return { done: true, value: undefined };
  }

  #end(failure?: { readonly error: unknown }): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failure = failure;
    this.#gate.handlers = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    void this.#lease?.release();
    this.#lease = undefined;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#untrack();
    for (const waiting of this.#waiting.splice(0)) {
      if (failure !== undefined) waiting.reject(failure.error);
      else waiting.resolve({ done: true, value: undefined });
    }
  }

  readonly #onAbort = (): void => {
    const signal = this.#signal as AbortSignal;
    this.#end({ error: abortError(signal, `observing the leader of '${this.#key}'`) });
  };

  #report(leader: Leader | undefined): void {
    const waiting = this.#waiting.shift();
    if (waiting !== undefined) waiting.resolve({ done: false, value: leader });
    else this.#queue.push(leader);
  }

  /** Leases a session (a new one after a loss) and lists the election from scratch. */
  async #open(): Promise<void> {
    let lease: SessionLease;
    try {
      lease = await leaseSession(this.#config);
    } catch (error) {
      this.#end({ error });
      return;
    }
    if (this.#ended) {
      void lease.release();
      return;
    }
    this.#lease = lease;
    this.#gate = new WatchGate(this.#handlers);
    this.#listing = false;
    this.#listAgain = false;
    const gate = this.#gate;
    this.#unsubscribe = lease.session.subscribe(onConnection(gate));
    this.#list();
  }

  #onConnection(event: ConnectionEvent): void {
    if (event.type === 'suspended') this.#apply({ _tag: 'Disconnected' });
    else if (event.type === 'reconnected') this.#list();
    else {
      // The session is gone, and its watches with it: a new session starts over.
      this.#apply({ _tag: 'Disconnected' });
      this.#gate.handlers = undefined;
      this.#unsubscribe?.();
      void this.#lease?.release();
      this.#lease = undefined;
      void this.#open();
    }
  }

  #apply(event: LeaderViewEvent): void {
    if (this.#ended) return;
    const step = stepLeaderView(this.#view, event);
    this.#view = step.view;
    if (step.watch.length > 0) this.#watchNodes(step.watch);
    if (step.relist) this.#list();
    if (O.isSome(step.report))
      this.#report(
        step.report.value === null ? undefined : leaderFrom(this.#key, this.#parentPath, step.report.value),
      );
  }

  #failed(failure: ZkFailure): void {
    if (!TRANSIENT.has(failure.code))
      this.#end({ error: zooKeeperError(failure, `observing ${this.#parentPath}`) });
  }

  /** Lists the parent with a child watch; one listing at a time, another right after if asked meanwhile. */
  #list(): void {
    const session = this.#lease?.session;
    if (session === undefined || this.#ended) return;
    if (this.#listing) {
      this.#listAgain = true;
      return;
    }
    this.#listing = true;
    const gate = this.#gate;
    void session
      .getChildren(this.#parentPath, listOnChange(gate))()
      .then((listing) => {
        if (gate.handlers === undefined) return;
        this.#listing = false;
        if (E.isRight(listing))
          this.#apply({
            _tag: 'Listed',
            children: listing.right.children,
            parentCzxid: listing.right.stat.czxid,
          });
        else if (listing.left.code === 'NO_NODE') {
          this.#apply({ _tag: 'ParentMissing' });
          this.#awaitParent(session, gate);
        } else this.#failed(listing.left);
        if (this.#listAgain) {
          this.#listAgain = false;
          this.#list();
        }
      });
  }

  /** No parent yet: an existence watch says when a first campaigner creates it. */
  #awaitParent(session: ZkSession, gate: WatchGate): void {
    void session
      .exists(this.#parentPath, listOnChange(gate))()
      .then((exists) => {
        if (gate.handlers === undefined) return;
        if (E.isLeft(exists)) this.#failed(exists.left);
        else if (O.isSome(exists.right)) this.#list();
      });
  }

  /** Reads each node with a data watch, all in one batch, in queue order. */
  #watchNodes(nodes: ReadonlyArray<string>): void {
    const session = this.#lease?.session;
    if (session === undefined) return;
    const gate = this.#gate;
    session.batch(() => {
      for (const node of nodes) {
        void session
          .getData(`${this.#parentPath}/${node}`, onNodeEvent(gate, node))()
          .then((read) => {
            if (gate.handlers === undefined) return;
            if (E.isRight(read))
              this.#apply({ _tag: 'Watched', node, data: read.right.data.toString('utf8') });
            else if (read.left.code === 'NO_NODE') this.#apply({ _tag: 'Vanished', node });
            else this.#failed(read.left);
          });
      }
    });
  }

  #onNodeEvent(node: string, event: WatchEvent): void {
    if (event.type === 'deleted') this.#apply({ _tag: 'Deleted', node });
    else if (event.type === 'dataChanged') this.#apply({ _tag: 'DataChanged', node });
  }
}
