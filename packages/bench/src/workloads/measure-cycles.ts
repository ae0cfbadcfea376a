import { nearestRank, ratio, round } from '../stats.js';
import type { BenchEnv, Fields } from '../workload.js';

/** W1's counts: `dropped` warm-up cycles (connect, JIT), then the rest measured. */
export interface CycleCounts {
  readonly cycles: number;
  readonly dropped: number;
}

export interface CycleTimes {
  readonly acquireMs: number;
  readonly releaseMs: number;
}

/**
 * W1's measurement of sequential acquire→release `cycle`s, whoever performs them (zk-lock, or the
 * floor's bare client): the warm-up, the measured cycles with the server's packets, and W1's fields.
 */
export const measureCycles = async (
  env: BenchEnv,
  { cycles, dropped }: CycleCounts,
  cycle: () => Promise<CycleTimes>,
): Promise<Fields> => {
  for (let i = 0; i < dropped; i++) await cycle();
  const measured = cycles - dropped;
  const { result, packets } = await env.meter.measure(async () => {
    const start = performance.now();
    const samples: CycleTimes[] = [];
    for (let i = 0; i < measured; i++) samples.push(await cycle());
    return { samples, elapsedMs: performance.now() - start };
  });
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
};
