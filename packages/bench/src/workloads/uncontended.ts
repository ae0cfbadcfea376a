import { newLock } from '../locks.js';
import type { Workload } from '../workload.js';
import { measureCycles, type CycleCounts } from './measure-cycles.js';

/**
 * W1: one session, one key, sequential acquire→release cycles on the same lock object. The first
 * `dropped` cycles warm up; `cycles` reports the measured ones.
 */
export const uncontended: Workload<CycleCounts> = {
  name: 'W1',
  full: { cycles: 2000, dropped: 100 },
  smoke: { cycles: 30, dropped: 5 },
  run: async (env, counts) => {
    const lock = newLock(env);
    const key = 'w1';
    const fields = await measureCycles(env, counts, async () => {
      const start = performance.now();
      await lock.lock(key);
      // The fencing token must be available on every acquisition (the issue counts its cost).
      if (lock.fencingToken === undefined) throw new Error('W1: no fencing token after lock()');
      const acquired = performance.now();
      await lock.unlock(false);
      return { acquireMs: acquired - start, releaseMs: performance.now() - acquired };
    });
    await lock.destroy();
    return fields;
  },
};
