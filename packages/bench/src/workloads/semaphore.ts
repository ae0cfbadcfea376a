import { round } from '../stats.js';
import type { Workload } from '../workload.js';
import { contend, type ContendParams } from './contend.js';

const SLOTS = 3;

/** The fields W4 and W4h share, from one contended run. */
const leaseFields = (params: ContendParams, c: Awaited<ReturnType<typeof contend>>) => ({
  clients: params.clients,
  leases: c.acquisitions,
  leases_per_s: c.perSecond,
  wait_p50_ms: c.waitP50Ms,
  wait_p99_ms: c.waitP99Ms,
  max_holders: c.gauge.maxHolders,
  violations: c.gauge.violations,
});

/** W4: a semaphore of 3 slots, 16 clients on their own sessions, 50 cycles each, no hold time. */
export const semaphore: Workload<ContendParams> = {
  name: 'W4',
  full: { clients: 16, cycles: 50, holdMs: 0 },
  smoke: { clients: 4, cycles: 10, holdMs: 0 },
  run: async (env, params) => {
    return leaseFields(params, await contend(env, 'w4', SLOTS, params));
  },
};

/** W4h: W4 with a 5 ms hold, and how busy the slots were kept (time-weighted mean of holders). */
export const semaphoreWithHold: Workload<ContendParams> = {
  name: 'W4h',
  full: { clients: 16, cycles: 50, holdMs: 5 },
  smoke: { clients: 4, cycles: 10, holdMs: 5 },
  run: async (env, params) => {
    const c = await contend(env, 'w4h', SLOTS, params);
    return { ...leaseFields(params, c), avg_holders: round(c.avgHolders, 2) };
  },
};
