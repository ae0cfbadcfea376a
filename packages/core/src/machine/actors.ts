import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { fromCallback, fromPromise, type EventObject } from 'xstate';
import type { ChildrenListing, ChildWithOwner, LockPort, SessionInfo, ZkFailure } from '../port.js';
import type { InternalEvent } from './types.js';

/**
 * The machine's effects as xstate actor logic. The logic is built once for all actors; each
 * invocation gets the attempt's `LockPort` in its input. Promise actors reject with the port's
 * `ZkFailure`, so every `xstate.error.actor.*` event carries a typed failure.
 */

const run = <A>(task: TE.TaskEither<ZkFailure, A>): Promise<A> =>
  task().then((result) => (E.isRight(result) ? result.right : Promise.reject(result.left)));

export interface PortInput {
  readonly port: LockPort;
}
export interface CreateSequentialInput extends PortInput {
  readonly parent: string;
  readonly prefix: string;
  readonly data: string;
}
export interface PathInput extends PortInput {
  readonly path: string;
}
export interface ParentInput extends PortInput {
  readonly parent: string;
}
export interface WatchInput extends PortInput {
  readonly paths: ReadonlyArray<string>;
}

export const connectLogic = fromPromise<SessionInfo, PortInput>(({ input }) => run(input.port.connect()));

export const createSequentialLogic = fromPromise<string, CreateSequentialInput>(({ input }) =>
  run(input.port.createSequential(input.parent, input.prefix, input.data)),
);

export const createParentsLogic = fromPromise<void, PathInput>(({ input }) =>
  run(input.port.createParents(input.path)),
);

export const listChildrenLogic = fromPromise<ChildrenListing, ParentInput>(({ input }) =>
  run(input.port.listChildren(input.parent)),
);

export const listChildrenWithOwnersLogic = fromPromise<ReadonlyArray<ChildWithOwner>, ParentInput>(
  ({ input }) => run(input.port.listChildrenWithOwners(input.parent)),
);

export const removeLogic = fromPromise<void, PathInput>(({ input }) => run(input.port.remove(input.path)));

/**
 * Arms the deletion watches and reports `WATCH.FIRED` once, or `WATCH.FAILED`. When the actor
 * stops (the machine left `waiting`) the watches are disarmed, also if arming is still in flight.
 */
export const watchDeletionLogic = fromCallback<EventObject, WatchInput>(({ input, sendBack }) => {
  let stopped = false;
  let disarm: (() => void) | undefined;
  const send = (event: InternalEvent): void => {
    if (!stopped) sendBack(event);
  };
  void input.port
    .watchDeletion(input.paths, () => send({ type: 'WATCH.FIRED' }))()
    .then((armed) => {
      if (E.isLeft(armed)) send({ type: 'WATCH.FAILED', failure: armed.left });
      else if (stopped) armed.right();
      else disarm = armed.right;
    });
  return () => {
    stopped = true;
    disarm?.();
  };
});

/** Every actor the machine invokes. */
export const lockActors = {
  connect: connectLogic,
  createSequential: createSequentialLogic,
  createParents: createParentsLogic,
  listChildren: listChildrenLogic,
  listChildrenWithOwners: listChildrenWithOwnersLogic,
  remove: removeLogic,
  watchDeletion: watchDeletionLogic,
};
