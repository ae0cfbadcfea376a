import type { ConnectionEvent } from '../port.js';
import type { ConnectionMachineEvent } from './types.js';

/**
 * The session's connection events as the machine's `CONNECTION.*` events. The shell subscribes to
 * the port when the machine asks (`subscribeConnection`, once a session is known) and lets go when
 * it asks again (`unsubscribeConnection`, in every final state): a plain subscription, not a child
 * actor, since every attempt needs one.
 */
export const connectionEvent = (event: ConnectionEvent): ConnectionMachineEvent =>
  event.type === 'suspended'
    ? { type: 'CONNECTION.SUSPENDED', lostInMs: event.lostInMs }
    : event.type === 'reconnected'
      ? { type: 'CONNECTION.RECONNECTED' }
      : { type: 'CONNECTION.LOST', reason: event.reason };
