import * as E from 'fp-ts/lib/Either.js';
import type { AnyActorRef } from 'xstate';
import type { LockContext, InternalEvent } from './types.js';

/**
 * The deletion watch of `waiting`: armed by the state's entry action, disarmed by its exit action.
 * It reports `WATCH.FIRED` for each deletion (with the deleted child's name; without one when the
 * watch lapsed), or `WATCH.FAILED`, and nothing once the state is left, also when arming is still
 * in flight then. Actions rather than an invoked actor for the same reason as the
 * requests (see `requests.ts`): a child actor per wait cost more than the wait's own steps.
 */

interface Watch {
  /** Set once armed: lets go of the watch (ZooKeeper watches cannot be removed; later firings are ignored). */
  disarm: (() => void) | undefined;
}

/** The watch each waiting actor has armed. */
const watches = new WeakMap<AnyActorRef, Watch>();

/**
 * The child names `decide` told us to watch, as paths. A countdown also watches our own node: it
 * takes the lock without listing again, so this is how it still notices the node deleted behind
 * its back (its deletion is no count; the machine lists again and finds it missing).
 */
const watchedPaths = (context: LockContext): ReadonlyArray<string> => {
  const { decision, parentPath, nodePath } = context;
  if (decision?._tag !== 'Wait') return [];
  const ahead = decision.watch.map((name) => `${parentPath}/${name}`);
  return decision.countdown && nodePath !== undefined ? [...ahead, nodePath] : ahead;
};

export const armWatch = (context: LockContext, self: AnyActorRef): void => {
  const watch: Watch = { disarm: undefined };
  watches.set(self, watch);
  const current = (): boolean => watches.get(self) === watch && self.getSnapshot().status === 'active';
  const send = (event: InternalEvent): void => {
    if (current()) self.send(event);
  };
  const prefix = `${context.parentPath}/`;
  void context.port
    .watchDeletion(watchedPaths(context), (report) =>
      send(
        report._tag === 'Deleted' && report.path.startsWith(prefix)
          ? { type: 'WATCH.FIRED', deleted: report.path.slice(prefix.length) }
          : { type: 'WATCH.FIRED' },
      ),
    )()
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
