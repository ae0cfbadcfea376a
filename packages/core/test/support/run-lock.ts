import { createActor, waitFor, type Actor, type SimulatedClock } from 'xstate';
import {
  createLockRunner,
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

/**
 * What runs the machine: xstate's own actor, or the chart runner the shells use. Suites run once
 * on each (`engines` with `useEngine` in a `beforeAll`), so the runner must behave as xstate does
 * on every scenario and model path.
 */
export type Engine = 'xstate' | 'chart runner';
export const engines: ReadonlyArray<Engine> = ['xstate', 'chart runner'];
let engine: Engine = 'xstate';
export const useEngine = (chosen: Engine): void => {
  engine = chosen;
};

/** An actor of the lock machine over `port`, not started, on the current engine. */
export const lockActor = (port: LockPort, attempt: AttemptInput, clock?: SimulatedClock) => {
  const input = { ...attempt, port };
  if (engine === 'chart runner')
    // Typed as xstate's actor: the suites use only what both offer (start, send, subscribe,
    // getSnapshot with value, status, context and matches).
    return createLockRunner(input, { clock }) as unknown as Actor<typeof lockMachine>;
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
