import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_WINDOW } from '@zk-lock/zookeeper';
import { FLOOR_WINDOW, inTurn } from '../src/floor/in-turn.js';
import { workloads as floorWorkloads } from '../src/floor/registry.js';
import { floorManyKeys, floorUncontended } from '../src/floor/workloads.js';
import { SMOKE_CONTAINER_CHECK_MS, containerCheckProperties } from '../src/container-check.js';
import { runLibraries } from '../src/repetitions.js';
import { floorRunner } from '../src/runners.js';
import { floorWorkloadNames } from '../src/workload.js';
import { manyKeys } from '../src/workloads/many-keys.js';
import { uncontended } from '../src/workloads/uncontended.js';
import { expectedFields } from './support/expected-fields.js';

/**
 * The floor (node-zookeeper-client alone, sending zk-lock's requests) stands under zk-lock's figures
 * in the comparison, so it must run the same counts and speak the same interface. No performance
 * figure is checked.
 */
describe('the floor', () => {
  it('runs the counts of the workloads it stands for, and no others', () => {
    expect(Object.keys(floorWorkloads).sort()).toEqual([...floorWorkloadNames].sort());
    expect([floorUncontended.full, floorUncontended.smoke]).toEqual([uncontended.full, uncontended.smoke]);
    expect([floorManyKeys.full, floorManyKeys.smoke]).toEqual([manyKeys.full, manyKeys.smoke]);
  });

  it('takes W3 in turn as zk-lock does: the same window size, at most that many running, in call order', async () => {
    expect(FLOOR_WINDOW).toBe(SESSION_WINDOW);
    const window = inTurn(2);
    const started: number[] = [];
    const finish: Array<() => void> = [];
    const all = Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        window(() => {
          started.push(i);
          return new Promise<number>((resolve) => (finish[i] = () => resolve(i)));
        }),
      ),
    );
    // Every promise callback has run once the event loop turns.
    const settled = () => new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    finish[1]?.();
    await settled();
    expect(started).toEqual([0, 1, 2]);
    finish[0]?.();
    finish[2]?.();
    await settled();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    finish[3]?.();
    finish[4]?.();
    await expect(all).resolves.toEqual([0, 1, 2, 3, 4]);
  });

  describe('against a real server', () => {
    let zk: ZooKeeper;
    beforeAll(async () => {
      zk = await startZooKeeper({ systemProperties: containerCheckProperties(SMOKE_CONTAINER_CHECK_MS) });
    });
    afterAll(async () => {
      await zk?.close();
    });

    it(
      'runs W1 and W3 through bench:one --floor with every field and zk-lock’s packet counts',
      { timeout: 120_000 },
      async () => {
        const [library] = await runLibraries(
          floorWorkloadNames,
          1,
          {
            connectString: zk.connectString,
            size: 'smoke',
            progress: () => undefined,
            containerCheckMs: SMOKE_CONTAINER_CHECK_MS,
          },
          [floorRunner],
        );

        expect(library?.lib).toMatch(/^floor-node-zookeeper-client-\d+\.\d+\.\d+(-zklock\.\d+)?$/);
        const byName = Object.fromEntries((library?.results ?? []).map((r) => [r.workload, r.runs[0] ?? {}]));
        for (const workload of floorWorkloadNames) {
          const run = byName[workload] ?? {};
          expect(Object.keys(run), workload).toEqual(expectedFields[workload]);
          for (const field of expectedFields[workload])
            expect(run[field], `${workload}.${field}`).toEqual(expect.any(Number));
        }
        // The requests zk-lock sends (docs/benchmarks.md, "Round trips"): the floor sends the same.
        expect(byName.W1?.packets_per_cycle).toBe(3);
        // Four per key, and the connect request of the session opened in the measured phase (as
        // zk-lock's is).
        expect(Math.round((byName.W3?.packets_per_key ?? 0) * 50)).toBe(4 * 50 + 1);
        expect(byName.W3?.keys).toBe(50);
        expect(byName.W3?.sessions).toBe(1);
        // Its parents are containers too, as zk-lock's.
        expect(byName.W3?.parents_left).toBe(0);
      },
    );
  });
});
