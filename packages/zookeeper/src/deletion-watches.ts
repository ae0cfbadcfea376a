import type { WatchReport, ZkFailure } from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { WatchEvent, ZkSession } from './session.js';

type Listener = (report: WatchReport) => void;

class Entry {
  readonly listeners = new Set<Listener>();
  /** Settles when the first `getData` is answered: Right once armed (or reported gone). */
  armed!: Promise<E.Either<ZkFailure, void>>;
}

/**
 * The deletion watches of one session: one ZooKeeper data watch per path, however many of the
 * session's waiters listen to it. ZooKeeper cannot remove a watch, so it stays registered until
 * its node goes (or its data changes, when it is armed again); a listener that lets go only stops
 * hearing it. Arming a path the session watches already therefore costs no request: typically a
 * waiter that listed again and now counts down on nodes it watched before, or several lock
 * objects of one process waiting on the same key.
 */
export class DeletionWatches {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly session: ZkSession) {}

  /** Adds `listener` to the watch of `path`, arming one if the session has none. */
  add(path: string, listener: Listener): TE.TaskEither<ZkFailure, void> {
    return () => {
      let entry = this.#entries.get(path);
      if (entry === undefined) {
        entry = new Entry();
        this.#entries.set(path, entry);
        entry.armed = this.#arm(path, entry);
      }
      entry.listeners.add(listener);
      return entry.armed;
    };
  }

  /** `listener` no longer hears `path`; the watch itself stays until it fires. */
  remove(path: string, listener: Listener): void {
    this.#entries.get(path)?.listeners.delete(listener);
  }

  /**
   * A getData watch, not an exists watch: on a missing node it leaves no watch behind on the
   * server (an exists watch would stay registered for a name that never comes back).
   */
  async #arm(path: string, entry: Entry): Promise<E.Either<ZkFailure, void>> {
    const answer = await this.session.getData(path, (event) => this.#onEvent(path, entry, event))();
    if (E.isRight(answer)) return E.right(undefined);
    this.#drop(path, entry);
    if (answer.left.code !== 'NO_NODE') return answer;
    this.#report(entry, { _tag: 'Deleted', path });
    return E.right(undefined);
  }

  #onEvent(path: string, entry: Entry, event: WatchEvent): void {
    if (this.#entries.get(path) !== entry) return;
    if (event.type === 'deleted') {
      this.#drop(path, entry);
      this.#report(entry, { _tag: 'Deleted', path });
      return;
    }
    // The data changed but the node is still there: watch again. If that fails, nothing is known
    // any more: the listeners hear `Lapsed` and list again, which is always safe.
    void this.#arm(path, entry).then((armed) => {
      if (E.isLeft(armed)) this.#report(entry, { _tag: 'Lapsed' });
    });
  }

  #drop(path: string, entry: Entry): void {
    if (this.#entries.get(path) === entry) this.#entries.delete(path);
  }

  #report(entry: Entry, report: WatchReport): void {
    for (const listener of [...entry.listeners]) listener(report);
  }
}

const bySession = new WeakMap<ZkSession, DeletionWatches>();

/** The deletion watches of `session`; a new session has none. */
export const deletionWatches = (session: ZkSession): DeletionWatches => {
  let watches = bySession.get(session);
  if (watches === undefined) bySession.set(session, (watches = new DeletionWatches(session)));
  return watches;
};
