import * as E from 'fp-ts/lib/Either.js';
import type { AnyActorRef } from 'xstate';
import type { LockContext, InternalEvent } from './types.js';

/**
 * The deletion watch of `waiting`: armed by the state's entry action, disarmed by its exit action.
 * It reports `WATCH.FIRED` once, or `WATCH.FAILED`, and nothing once the state is left, also when
 * arming is still in flight then. Actions rather than an invoked actor for the same reason as the
 * requests (see `requests.ts`): a child actor per wait cost more than the wait's own steps.
 */

interface Watch {
  /** Set once armed: lets go of the watch (ZooKeeper watches cannot be removed; later firings are ignored). */
  disarm: (() => void) | undefined;
}

/** The watch each waiting actor has armed. */
const watches = new WeakMap<AnyActorRef, Watch>();

/** The child names `decide` told us to watch, as paths. */
const watchedPaths = (context: LockContext): ReadonlyArray<string> =>
  context.decision?._tag === 'Wait'
    ? context.decision.watch.map((name) => `${context.parentPath}/${name}`)
    : [];

export const armWatch = (context: LockContext, self: AnyActorRef): void => {
  const watch: Watch = { disarm: undefined };
  watches.set(self, watch);
  const current = (): boolean => watches.get(self) === watch && self.getSnapshot().status === 'active';
  const send = (event: InternalEvent): void => {
    if (current()) self.send(event);
  };
  void context.port
    .watchDeletion(watchedPaths(context), () => send({ type: 'WATCH.FIRED' }))()
    .then((armed) => {
      if (E.isLeft(armed)) send({ type: 'WATCH.FAILED', failure: armed.left });
      else if (current()) watch.disarm = armed.right;
      else armed.right();
    });
};

export const disarmWatch = (self: AnyActorRef): void => {
  const watch = watches.get(self);
  watches.delete(self);
  watch?.disarm?.();
};
