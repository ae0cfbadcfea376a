import { megabytes, RssSampler } from '../rss-sampler.js';
import { ratio, round } from '../stats.js';
import type { BenchEnv, Fields } from '../workload.js';

/** W3's two phases: every key acquired (all held at once), then every one released. */
export interface Burst<Held> {
  readonly acquireAll: () => Promise<Held>;
  readonly releaseAll: (held: Held) => Promise<void>;
}

/**
 * W3's measurement of a burst over `keys` keys, whoever performs it (zk-lock, or the floor's bare
 * client): both phases timed, the server's packets, the process's peak RSS against its RSS before,
 * and the sessions the server gained while all were held.
 */
export const measureBurst = async <Held>(
  env: BenchEnv,
  keys: number,
  burst: Burst<Held>,
): Promise<Fields> => {
  const before = await env.meter.read();
  const rssBefore = process.memoryUsage.rss();
  const sampler = new RssSampler();
  const { result, packets } = await env.meter.measure(async () => {
    const start = performance.now();
    const held = await burst.acquireAll();
    const acquired = performance.now();
    const counters = await env.meter.read();
    const releaseStart = performance.now();
    await burst.releaseAll(held);
    return {
      acquireMs: acquired - start,
      releaseMs: performance.now() - releaseStart,
      sessions: counters.aliveConnections - before.aliveConnections,
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
};
