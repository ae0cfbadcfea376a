import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { HolderGauge } from '../holder-gauge.js';
import { newLock } from '../locks.js';
import { nearestRank, ratio, round } from '../stats.js';
import type { BenchEnv } from '../workload.js';

export interface ContendParams {
  readonly clients: number;
  readonly cycles: number;
  /** 0: release at once (after one event-loop turn, see `hold`). */
  readonly holdMs: number;
}

export interface Contention {
  readonly acquisitions: number;
  readonly perSecond: number | null;
  readonly waitP50Ms: number | null;
  readonly waitP99Ms: number | null;
  readonly gauge: HolderGauge;
  /** Time-weighted mean number of holders over the measured phase. */
  readonly avgHolders: number;
  readonly packetsPerAcquisition: number | null;
}

/**
 * Hold the lock. Even with no hold time the holder yields one event-loop turn, so that any other
 * client's acquisition that resolves meanwhile (in the same I/O phase) finds the gauge raised: a
 * holder that released within the same tick would hide every overlap from the counter.
 */
const hold = (holdMs: number): Promise<unknown> => (holdMs > 0 ? sleep(holdMs) : nextTurn());

/**
 * `clients` lock objects on one key, each on its own session (`connectionPerLock`), each running
 * `cycles` acquire→hold→release cycles; all start together. Every client first does one unmeasured
 * cycle, so that connecting the sessions is not part of the measured phase.
 */
export const contend = async (
  env: BenchEnv,
  key: string,
  maxHolders: number,
  { clients, cycles, holdMs }: ContendParams,
): Promise<Contention> => {
  const locks = Array.from({ length: clients }, () =>
    newLock(env, { connectionPerLock: true, maxConcurrentHolders: maxHolders }),
  );
  for (const lock of locks) {
    await lock.lock(key);
    await lock.unlock(false);
  }
  const waits: number[] = [];
  const { result, packets } = await env.meter.measure(async () => {
    const gauge = new HolderGauge(maxHolders);
    const start = performance.now();
    await Promise.all(
      locks.map(async (lock) => {
        for (let i = 0; i < cycles; i++) {
          const asked = performance.now();
          await lock.lock(key);
          gauge.acquired();
          waits.push(performance.now() - asked);
          await hold(holdMs);
          gauge.released();
          await lock.unlock(false);
        }
      }),
    );
    const elapsedMs = performance.now() - start;
    return { gauge, elapsedMs, avgHolders: gauge.averageHolders() };
  });
  await Promise.all(locks.map((lock) => lock.destroy()));
  const acquisitions = clients * cycles;
  return {
    acquisitions,
    perSecond: round((acquisitions * 1000) / result.elapsedMs, 0),
    waitP50Ms: round(nearestRank(waits, 50), 3),
    waitP99Ms: round(nearestRank(waits, 99), 3),
    gauge: result.gauge,
    avgHolders: result.avgHolders,
    packetsPerAcquisition: ratio(packets, acquisitions, 3),
  };
};
