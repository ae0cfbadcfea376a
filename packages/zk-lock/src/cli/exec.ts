import { constants } from 'node:os';
import type { LockHandle, Locks } from '../modern/index.js';
import type { ExecArgs } from './args.js';
import { runChild } from './child.js';
import { ExitCode } from './exit-codes.js';
import { describeFailure } from './failure.js';
import { startWaitIndicator } from './indicator.js';
import { locksFor } from './locks.js';
import { printError } from './report.js';

/**
 * `zk-lock exec`: wait for the lock, run the command while holding it, release it, exit with the
 * command's code (or a lock outcome's code, see `ExitCode`).
 */

const INTERRUPTS = ['SIGINT', 'SIGTERM'] as const;

const signalExitCode = (signal: NodeJS.Signals): number => 128 + constants.signals[signal];

/**
 * SIGINT / SIGTERM while waiting abandon the wait (its node is removed) and exit 128 + signal
 * number. A second one exits at once, for when ZooKeeper is too slow to answer the removal.
 */
const interruptibleWait = () => {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received !== undefined) process.exit(signalExitCode(signal));
    received = signal;
    controller.abort();
  };
  for (const signal of INTERRUPTS) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      for (const signal of INTERRUPTS) process.off(signal, onSignal);
    },
  };
};

const acquire = (locks: Locks, args: ExecArgs, signal: AbortSignal): Promise<LockHandle> => {
  const options = { timeout: args.timeout, failImmediate: args.failImmediate, signal };
  switch (args.mode) {
    case 'read':
      return locks.readLock(args.key, options);
    case 'write':
      return locks.writeLock(args.key, options);
    case 'exclusive':
      return locks.acquire(args.key, { ...options, maxConcurrentHolders: args.maxHolders });
  }
};

const waitForLock = async (locks: Locks, args: ExecArgs): Promise<LockHandle | number> => {
  const wait = interruptibleWait();
  const indicator = startWaitIndicator(process.stderr, args.key);
  try {
    return await acquire(locks, args, wait.signal);
  } catch (error) {
    const signal = wait.received();
    if (signal !== undefined) return signalExitCode(signal);
    const failure = describeFailure(error, args.key);
    printError(failure.message, error, args.verbose);
    return failure.code;
  } finally {
    indicator.stop();
    wait.dispose();
  }
};

const runHolding = async (lock: LockHandle, args: ExecArgs): Promise<number> => {
  const outcome = await runChild({
    argv: args.argv,
    env: { ...process.env, ZK_LOCK_FENCING_TOKEN: String(lock.fencingToken), ZK_LOCK_PATH: lock.path },
    lostSignal: lock.lostSignal,
    graceMs: args.graceMs,
  });
  if (outcome.stoppedForLoss || lock.lostSignal.aborted) return ExitCode.LOST;
  try {
    await lock.release();
  } catch (error) {
    // The command finished; its node goes with the session at the latest, so report but keep its code.
    printError(`could not release lock '${args.key}': ${(error as Error).message}`, error, args.verbose);
  }
  return outcome.exitCode;
};

export const runExec = async (args: ExecArgs): Promise<number> => {
  const locks = locksFor(args.connection);
  try {
    const lock = await waitForLock(locks, args);
    return typeof lock === 'number' ? lock : await runHolding(lock, args);
  } finally {
    await locks.close();
  }
};
