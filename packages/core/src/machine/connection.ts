import type { AnyActorRef } from 'xstate';
import type { LockPort } from '../port.js';
import type { ConnectionMachineEvent } from './types.js';

/**
 * The session's connection events, forwarded to a lock actor as `CONNECTION.*` events. A plain
 * port subscription rather than a child actor: every attempt needs it from `connect` to its end,
 * and a child actor per attempt costs more than the rest of an uncontended acquisition's children.
 */

/** The unsubscribe function of each subscribed lock actor. */
const subscriptions = new WeakMap<AnyActorRef, () => void>();

const forwarded = (event: Parameters<Parameters<LockPort['subscribe']>[0]>[0]): ConnectionMachineEvent =>
  event.type === 'suspended'
    ? { type: 'CONNECTION.SUSPENDED', lostInMs: event.lostInMs }
    : event.type === 'reconnected'
      ? { type: 'CONNECTION.RECONNECTED' }
      : { type: 'CONNECTION.LOST', reason: event.reason };

export const unsubscribeConnection = (self: AnyActorRef): void => {
  subscriptions.get(self)?.();
  subscriptions.delete(self);
};

export const subscribeConnection = (port: LockPort, self: AnyActorRef): void => {
  unsubscribeConnection(self);
  subscriptions.set(
    self,
    port.subscribe((event) => {
      // An actor stopped from outside (not through a final state) lets go on the next event.
      if (self.getSnapshot().status === 'active') self.send(forwarded(event));
      else unsubscribeConnection(self);
    }),
  );
};
