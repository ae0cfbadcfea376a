import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { fromCallback, fromPromise, type EventObject } from 'xstate';
import {
  zkFailure,
  type ChildrenListing,
  type ChildWithOwner,
  type LockPort,
  type SessionInfo,
  type ZkFailure,
} from '../port.js';
import type { ConnectionMachineEvent, InternalEvent } from './types.js';

/**
 * The machine's effects as xstate actor logic, built from a `LockPort`. Promise actors reject with
 * the port's `ZkFailure`, so every `xstate.error.actor.*` event carries a typed failure.
 */

const run = <A>(task: TE.TaskEither<ZkFailure, A>): Promise<A> =>
  task().then((result) => (E.isRight(result) ? result.right : Promise.reject(result.left)));

export interface CreateSequentialInput {
  readonly parent: string;
  readonly prefix: string;
  readonly data: string;
}
export interface PathInput {
  readonly path: string;
}
export interface ParentInput {
  readonly parent: string;
}
export interface WatchInput {
  readonly paths: ReadonlyArray<string>;
}

export const connectLogic = (port: LockPort) => fromPromise<SessionInfo>(() => run(port.connect()));

export const createSequentialLogic = (port: LockPort) =>
  fromPromise<string, CreateSequentialInput>(({ input }) =>
    run(port.createSequential(input.parent, input.prefix, input.data)),
  );

export const createParentsLogic = (port: LockPort) =>
  fromPromise<void, PathInput>(({ input }) => run(port.createParents(input.path)));

export const listChildrenLogic = (port: LockPort) =>
  fromPromise<ChildrenListing, ParentInput>(({ input }) => run(port.listChildren(input.parent)));

export const listChildrenWithOwnersLogic = (port: LockPort) =>
  fromPromise<ReadonlyArray<ChildWithOwner>, ParentInput>(({ input }) =>
    run(port.listChildrenWithOwners(input.parent)),
  );

export const removeLogic = (port: LockPort) =>
  fromPromise<void, PathInput>(({ input }) => run(port.remove(input.path)));

/**
 * Arms the deletion watches and reports `WATCH.FIRED` once, or `WATCH.FAILED`. When the actor
 * stops (the machine left `waiting`) the watches are disarmed, also if arming is still in flight.
 */
export const watchDeletionLogic = (port: LockPort) =>
  fromCallback<EventObject, WatchInput>(({ input, sendBack }) => {
    let stopped = false;
    let disarm: (() => void) | undefined;
    const send = (event: InternalEvent): void => {
      if (!stopped) sendBack(event);
    };
    void port
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

/** Forwards the session's connection events as `CONNECTION.*` events. */
export const connectionLogic = (port: LockPort) =>
  fromCallback<EventObject>(({ sendBack }) =>
    port.subscribe((event) => {
      const forwarded: ConnectionMachineEvent =
        event.type === 'suspended'
          ? { type: 'CONNECTION.SUSPENDED', lostInMs: event.lostInMs }
          : event.type === 'reconnected'
            ? { type: 'CONNECTION.RECONNECTED' }
            : { type: 'CONNECTION.LOST', reason: event.reason };
      sendBack(forwarded);
    }),
  );

/** Every actor the machine invokes, built from one port. */
export const portActors = (port: LockPort) => ({
  connect: connectLogic(port),
  createSequential: createSequentialLogic(port),
  createParents: createParentsLogic(port),
  listChildren: listChildrenLogic(port),
  listChildrenWithOwners: listChildrenWithOwnersLogic(port),
  remove: removeLogic(port),
  watchDeletion: watchDeletionLogic(port),
  connection: connectionLogic(port),
});

const failing = () =>
  TE.left(zkFailure('CLOSED', 'no LockPort provided: build the machine with createLockMachine(port)'));

/** The port of the bare `lockMachine` definition: every request fails with CLOSED. */
export const unprovidedPort: LockPort = {
  connect: failing,
  createSequential: failing,
  createParents: failing,
  listChildren: failing,
  listChildrenWithOwners: failing,
  watchDeletion: failing,
  remove: failing,
  subscribe: () => () => undefined,
  disconnect: () => Promise.resolve(),
};
