import { newLock } from '../locks.js';
import { megabytes, RssSampler } from '../rss-sampler.js';
import { ratio, round } from '../stats.js';
import type { Workload } from '../workload.js';

interface Params {
  readonly keys: number;
}

const keyName = (i: number): string => `k${String(i).padStart(5, '0')}`;

/**
 * W3: one process acquires `keys` distinct, never used keys so that all are held at once, the way
 * a Node user naturally would (one lock object per key, all `lock()` calls concurrently, on the
 * shared session), then releases them all. `sessions` is how many connections the server gained while
 * all were held (the target: one).
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
    const before = await env.meter.read();
    const rssBefore = process.memoryUsage.rss();
    const sampler = new RssSampler();
    const { result, packets } = await env.meter.measure(async () => {
      const start = performance.now();
      const locks = Array.from({ length: keys }, () => newLock(env));
      await Promise.all(locks.map((lock, i) => lock.lock(keyName(i))));
      const acquired = performance.now();
      const held = await env.meter.read();
      const releaseStart = performance.now();
      await Promise.all(locks.map((lock) => lock.unlock()));
      return {
        acquireMs: acquired - start,
        releaseMs: performance.now() - releaseStart,
        sessions: held.aliveConnections - before.aliveConnections,
      };
    });
    const peak = sampler.stop();
    return {
      keys,
      acquire_all_s: round(result.acquireMs / 1000, 3),
      release_all_s: round(result.releaseMs / 1000, 3),
      rss_before_mb: round(megabytes(rssBefore), 1),
      peak_rss_mb: round(megabytes(peak), 1),
      packets_per_key: ratio(packets, keys, 3),
      sessions: result.sessions,
    };
  },
};
