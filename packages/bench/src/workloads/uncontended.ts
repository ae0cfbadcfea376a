import { newLock } from '../locks.js';
import { nearestRank, ratio, round } from '../stats.js';
import type { Workload } from '../workload.js';

interface Params {
  readonly cycles: number;
  /** Warm-up cycles not measured (connect, JIT). */
  readonly dropped: number;
}

/**
 * W1: one session, one key, sequential acquire→release cycles on the same lock object. The first
 * `dropped` cycles warm up; `cycles` reports the measured ones.
 */
export const uncontended: Workload<Params> = {
  name: 'W1',
  full: { cycles: 2000, dropped: 100 },
  smoke: { cycles: 30, dropped: 5 },
  run: async (env, { cycles, dropped }) => {
    const lock = newLock(env);
    const key = 'w1';
    const cycle = async (): Promise<{ acquireMs: number; releaseMs: number }> => {
      const start = performance.now();
      await lock.lock(key);
      // The fencing token must be available on every acquisition (the issue counts its cost).
      if (lock.fencingToken === undefined) throw new Error('W1: no fencing token after lock()');
      const acquired = performance.now();
      await lock.unlock(false);
      return { acquireMs: acquired - start, releaseMs: performance.now() - acquired };
    };
    for (let i = 0; i < dropped; i++) await cycle();
    const measured = cycles - dropped;
    const { result, packets } = await env.meter.measure(async () => {
      const start = performance.now();
      const samples = [];
      for (let i = 0; i < measured; i++) samples.push(await cycle());
      return { samples, elapsedMs: performance.now() - start };
    });
    await lock.destroy();
    const acquire = result.samples.map((s) => s.acquireMs);
    const release = result.samples.map((s) => s.releaseMs);
    return {
      cycles: measured,
      cycles_per_s: round((measured * 1000) / result.elapsedMs, 0),
      acquire_p50_ms: round(nearestRank(acquire, 50), 3),
      acquire_p99_ms: round(nearestRank(acquire, 99), 3),
      release_p50_ms: round(nearestRank(release, 50), 3),
      release_p99_ms: round(nearestRank(release, 99), 3),
      packets_per_cycle: ratio(packets, measured, 3),
    };
  },
};
