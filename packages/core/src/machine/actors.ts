import * as E from 'fp-ts/lib/Either.js';
import { fromCallback, type EventObject } from 'xstate';
import type { LockPort } from '../port.js';
import type { InternalEvent } from './types.js';

/**
 * The watch on our predecessors, the one effect that lasts as long as a state (`waiting`) rather
 * than one request: an invoked actor, so that leaving the state disarms it.
 */

export interface WatchInput {
  readonly port: LockPort;
  readonly paths: ReadonlyArray<string>;
}

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
