import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRepetitions } from '../src/repetitions.js';
import { workloadNames, type WorkloadName } from '../src/workload.js';

/** The field names: tools that compare libraries read them, so a rename must fail here. */
const expectedFields: Readonly<Record<WorkloadName, ReadonlyArray<string>>> = {
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

/**
 * One repetition of every workload with small counts, each through the `bench:one` command in its
 * own process, against a real server: the bench cannot rot unnoticed. No performance figure is
 * checked here (that is what `pnpm bench` is for), only that every field comes out and the locks
 * were never held by more clients than allowed.
 */
describe('bench smoke run', () => {
  let zk: ZooKeeper;
  beforeAll(async () => {
    zk = await startZooKeeper();
  });
  afterAll(async () => {
    await zk?.close();
  });

  it('runs every workload once through bench:one and reports every field', { timeout: 300_000 }, async () => {
    const progress: string[] = [];
    const { lib, results } = await runRepetitions(workloadNames, 1, {
      connectString: zk.connectString,
      size: 'smoke',
      progress: (line) => progress.push(line),
    });

    expect(lib).toMatch(/^zk-lock-\d+\.\d+\.\d+/);
    expect(results.map((r) => r.workload)).toEqual([...workloadNames]);
    for (const { workload, runs } of results) {
      expect(runs, workload).toHaveLength(1);
      const run = runs[0] ?? {};
      expect(Object.keys(run), workload).toEqual(expectedFields[workload]);
      for (const field of expectedFields[workload]) {
        if (workload === 'W5' && field === 'worst_overlap_ms') continue; // null when no competitor got in
        expect(run[field], `${workload}.${field}`).toEqual(expect.any(Number));
      }
    }
    const byName = Object.fromEntries(results.map((r) => [r.workload, r.runs[0] ?? {}]));
    expect(byName.W2?.violations).toBe(0);
    expect(byName.W2?.max_holders).toBe(1);
    expect(byName.W4?.violations).toBe(0);
    expect(byName.W4h?.violations).toBe(0);
    expect(byName.W5?.trials).toBe(2);
    expect(progress.some((line) => line.startsWith('[rep 1/1] W5'))).toBe(true);
  });
});
