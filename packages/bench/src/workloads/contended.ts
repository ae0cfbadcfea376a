import type { Workload } from '../workload.js';
import { contend, type ContendParams } from './contend.js';

/** W2: a mutex, 16 clients on their own sessions, 100 cycles each, no hold time. */
export const contended: Workload<ContendParams> = {
  name: 'W2',
  full: { clients: 16, cycles: 100, holdMs: 0 },
  smoke: { clients: 4, cycles: 10, holdMs: 0 },
  run: async (env, params) => {
    const c = await contend(env, 'w2', 1, params);
    return {
      clients: params.clients,
      acquisitions: c.acquisitions,
      acquisitions_per_s: c.perSecond,
      wait_p50_ms: c.waitP50Ms,
      wait_p99_ms: c.waitP99Ms,
      max_holders: c.gauge.maxHolders,
      violations: c.gauge.violations,
      packets_per_acquisition: c.packetsPerAcquisition,
    };
  },
};
