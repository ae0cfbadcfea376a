import type { WorkloadName } from '../../src/workload.js';

/** The field names: tools that compare libraries read them, so a rename must fail here. */
export const expectedFields: Readonly<Record<WorkloadName, ReadonlyArray<string>>> = {
  W1: [
    'cycles',
    'cycles_per_s',
    'acquire_p50_ms',
    'acquire_p99_ms',
    'release_p50_ms',
    'release_p99_ms',
    'packets_per_cycle',
  ],
  W2: [
    'clients',
    'acquisitions',
    'acquisitions_per_s',
    'wait_p50_ms',
    'wait_p99_ms',
    'max_holders',
    'violations',
    'packets_per_acquisition',
  ],
  W3: [
    'keys',
    'acquire_all_s',
    'release_all_s',
    'rss_before_mb',
    'peak_rss_mb',
    'packets_per_key',
    'sessions',
    'parents_left',
  ],
  W4: ['clients', 'leases', 'leases_per_s', 'wait_p50_ms', 'wait_p99_ms', 'max_holders', 'violations'],
  W4h: [
    'clients',
    'leases',
    'leases_per_s',
    'wait_p50_ms',
    'wait_p99_ms',
    'max_holders',
    'violations',
    'avg_holders',
  ],
  W5: ['trials', 'lost_before_competitor', 'worst_overlap_ms', 'lost_after_partition_p50_ms'],
};
