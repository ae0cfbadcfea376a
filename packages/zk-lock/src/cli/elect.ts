import type { ElectArgs } from './args.js';
import { runHoldingCommand } from './holding.js';
import { locksFor } from './locks.js';

/**
 * `zk-lock elect`: campaign, run the command while leading (stopped once the leadership is lost),
 * resign when it ends, exit with its code (or an outcome's code, see `ExitCode`).
 */
export const runElect = async (args: ElectArgs): Promise<number> => {
  const locks = locksFor(args.connection);
  try {
    return await runHoldingCommand({ ...args, subject: 'leadership' }, async (signal) => {
      const leadership = await locks.campaign(args.key, { value: args.value, timeout: args.timeout, signal });
      return {
        fencingToken: leadership.fencingToken,
        path: leadership.path,
        lostSignal: leadership.lostSignal,
        letGo: () => leadership.resign(),
      };
    });
  } finally {
    await locks.close();
  }
};
