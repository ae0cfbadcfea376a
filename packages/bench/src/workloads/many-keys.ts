import { newLock } from '../locks.js';
import { parentsLeft } from '../parents-left.js';
import type { Workload } from '../workload.js';
import { measureBurst } from './measure-burst.js';

interface Params {
  readonly keys: number;
}

const keyName = (i: number): string => `k${String(i).padStart(5, '0')}`;

/**
 * W3: one process acquires `keys` distinct, never used keys so that all are held at once, the way
 * a Node user naturally would (one lock object per key, all `lock()` calls concurrently, on the
 * shared session), then releases them all. `sessions` is how many connections the server gained while
 * all were held (the issue's target: one); `parents_left` how many lock parents the server still
 * holds once its container check has run (issue 20's target: none).
 */
export const manyKeys: Workload<Params> = {
  name: 'W3',
  full: { keys: 5000 },
  smoke: { keys: 50 },
  run: async (env, { keys }) => {
    // The prefix is a namespace a user creates once in a lifetime; the keys under it are new.
    const warmUp = newLock(env);
    await warmUp.lock('warm-up');
    await warmUp.unlock();
    await env.meter.quiesce(); // its session may still be closing: it must not count as ours
    const fields = await measureBurst(env, keys, {
      acquireAll: async () => {
        const locks = Array.from({ length: keys }, () => newLock(env));
        await Promise.all(locks.map((lock, i) => lock.lock(keyName(i))));
        return locks;
      },
      releaseAll: async (locks) => {
        await Promise.all(locks.map((lock) => lock.unlock()));
      },
    });
    return { ...fields, parents_left: await parentsLeft(env) };
  },
};
