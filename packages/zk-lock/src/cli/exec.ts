import type { LockHandle, Locks } from '../modern/index.js';
import type { ExecArgs } from './args.js';
import { runHoldingCommand } from './holding.js';
import { locksFor } from './locks.js';

/**
 * `zk-lock exec`: wait for the lock, run the command while holding it, release it, exit with the
 * command's code (or a lock outcome's code, see `ExitCode`).
 */

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

export const runExec = async (args: ExecArgs): Promise<number> => {
  const locks = locksFor(args.connection);
  try {
    return await runHoldingCommand({ ...args, subject: 'lock' }, async (signal) => {
      const lock = await acquire(locks, args, signal);
      return {
        fencingToken: lock.fencingToken,
        path: lock.path,
        lostSignal: lock.lostSignal,
        letGo: () => lock.release(),
      };
    });
  } finally {
    await locks.close();
  }
};
