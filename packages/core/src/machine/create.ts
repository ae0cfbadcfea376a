import type { LockPort } from '../port.js';
import { portActors } from './actors.js';
import { lockMachine } from './lock-machine.js';

/** `lockMachine` with every effect taken from `port`: start one actor per acquisition attempt. */
export const createLockMachine = (port: LockPort) =>
  lockMachine.provide({
    actors: portActors(port),
    actions: {
      disconnect: () => {
        // A failed close cannot change the outcome of a final state; `disconnect` is idempotent,
        // so a shell that needs its result awaits `port.disconnect()` itself.
        port.disconnect().catch(() => undefined);
      },
    },
  });

export type LockMachine = typeof lockMachine;
