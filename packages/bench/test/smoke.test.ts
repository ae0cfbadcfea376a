import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMOKE_CONTAINER_CHECK_MS, containerCheckProperties } from '../src/container-check.js';
import { runRepetitions } from '../src/repetitions.js';
import { workloadNames } from '../src/workload.js';
import { expectedFields } from './support/expected-fields.js';

/**
 * One repetition of every workload with small counts, each through the `bench:one` command in its
 * own process, against a real server: the bench cannot rot unnoticed. No performance figure is
 * checked here (that is what `pnpm bench` is for), only that every field comes out and the locks
 * were never held by more clients than allowed.
 */
describe('bench smoke run', () => {
  let zk: ZooKeeper;
  beforeAll(async () => {
    // Empty containers deleted every half second (as `pnpm bench`'s server, only more often).
    zk = await startZooKeeper({ systemProperties: containerCheckProperties(SMOKE_CONTAINER_CHECK_MS) });
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
      containerCheckMs: SMOKE_CONTAINER_CHECK_MS,
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
    // W3's keys leave no lock parent behind once the server's container check has run.
    expect(byName.W3?.parents_left).toBe(0);
    expect(progress.some((line) => line.startsWith('[rep 1/1] W5'))).toBe(true);
  });
});
