import * as E from 'fp-ts/lib/Either.js';
import { fromCallback, type EventObject } from 'xstate';
import type { ChildrenListing, ChildWithOwner, CreatedAndListed, LockPort, SessionInfo } from '../port.js';
import { fromRequest } from './request-logic.js';
import type { InternalEvent } from './types.js';

/**
 * The machine's effects as xstate actor logic. The logic is built once for all actors; each
 * invocation gets the attempt's `LockPort` in its input. Request actors fail with the port's
 * `ZkFailure`, so every `xstate.error.actor.*` event carries a typed failure.
 */

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

export const connectLogic = fromRequest<SessionInfo, PortInput>(({ port }) => port.connect());

export const createSequentialAndListLogic = fromRequest<CreatedAndListed, CreateSequentialInput>(
  ({ port, parent, prefix, data }) => port.createSequentialAndList(parent, prefix, data),
);

export const createParentsLogic = fromRequest<void, PathInput>(({ port, path }) => port.createParents(path));

export const listChildrenLogic = fromRequest<ChildrenListing, ParentInput>(({ port, parent }) =>
  port.listChildren(parent),
);

export const listChildrenWithOwnersLogic = fromRequest<ReadonlyArray<ChildWithOwner>, ParentInput>(
  ({ port, parent }) => port.listChildrenWithOwners(parent),
);

export const removeLogic = fromRequest<void, PathInput>(({ port, path }) => port.remove(path));

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
  createSequentialAndList: createSequentialAndListLogic,
  createParents: createParentsLogic,
  listChildren: listChildrenLogic,
  listChildrenWithOwners: listChildrenWithOwnersLogic,
  remove: removeLogic,
  watchDeletion: watchDeletionLogic,
};
