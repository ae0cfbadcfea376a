import { createActor, waitFor, type SimulatedClock } from 'xstate';
import {
  encodeOwnerData,
  lockMachine,
  type LockMachineInput,
  type LockPort,
  type LockSnapshot,
} from '@zk-lock/core';

let attempt = 0;

/** What an attempt is about, without the port it runs on. */
export type AttemptInput = Omit<LockMachineInput, 'port'>;

/** Input for one attempt on `parentPath` with a fresh lock id. */
export const lockInput = (parentPath: string, overrides: Partial<AttemptInput> = {}): AttemptInput => {
  attempt++;
  const lockId = `lock-id-${attempt}`;
  return {
    parentPath,
    kind: 'exclusive',
    maxHolders: 1,
    failImmediate: false,
    timeoutMs: 0,
    lockId,
    nodeData: encodeOwnerData({ lockId, hostname: 'test-host', pid: 1, createdAt: 0 }),
    ...overrides,
  };
};

/** An actor of the lock machine over `port`, not started. */
export const lockActor = (port: LockPort, attempt: AttemptInput, clock?: SimulatedClock) => {
  const input = { ...attempt, port };
  return createActor(lockMachine, clock === undefined ? { input } : { input, clock });
};

/** Starts an actor of the lock machine over `port` and sends ACQUIRE. */
export const startLock = (port: LockPort, input: AttemptInput, clock?: SimulatedClock) => {
  const actor = lockActor(port, input, clock);
  actor.start();
  actor.send({ type: 'ACQUIRE' });
  return actor;
};

export type LockActor = ReturnType<typeof startLock>;

/** Resolves when the actor is held or has ended. */
export const settled = (actor: LockActor): Promise<LockSnapshot> =>
  waitFor(actor, (s) => s.matches('held') || s.status === 'done');

/** Lets every pending reply and watch notification of the fake store arrive. */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
