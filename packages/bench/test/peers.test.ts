import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZOOKEEPER_CONTAINER_CHECK_MS } from '../src/container-check.js';
import { runLibraries } from '../src/repetitions.js';
import { peerRunners } from '../src/runners.js';
import { workloadNames } from '../src/workload.js';
import { expectedFields } from './support/expected-fields.js';

/** Fields a peer's runner adds to say how its method differs (see docs/benchmarks.md). */
const addedFields: Readonly<Record<string, ReadonlyArray<string>>> = { W3: ['workers'] };
/** zk-lock's fields a peer's runner does not report: W3's `parents_left` waits for the server's container check. */
const omittedFields: Readonly<Record<string, ReadonlyArray<string>>> = { W3: ['parents_left'] };

/**
 * The comparison's runners for kazoo and Curator, once each with small counts against a real
 * server, exactly as `pnpm bench --peers` drives them: a runner that no longer speaks the
 * `bench:one` interface, or whose recipe lets two clients hold a mutex, fails here instead of
 * silently dropping out of the comparison. No performance figure is checked.
 */
describe('peer runners (kazoo, Curator)', () => {
  let zk: ZooKeeper;
  beforeAll(async () => {
    zk = await startZooKeeper();
  });
  afterAll(async () => {
    await zk?.close();
  });

  it('run every workload but W5 through the bench:one interface', { timeout: 300_000 }, async () => {
    const libraries = await runLibraries(
      workloadNames.filter((name) => name !== 'W5'),
      1,
      {
        connectString: zk.connectString,
        size: 'smoke',
        progress: () => undefined,
        containerCheckMs: ZOOKEEPER_CONTAINER_CHECK_MS,
      },
      peerRunners,
    );

    expect(libraries.map((l) => l.lib)).toEqual([
      expect.stringMatching(/^kazoo-\d+\.\d+/),
      expect.stringMatching(/^curator-\d+\.\d+/),
    ]);
    for (const { lib, results } of libraries) {
      expect(
        results.map((r) => r.workload),
        lib,
      ).toEqual(['W1', 'W2', 'W3', 'W4', 'W4h']);
      for (const { workload, runs } of results) {
        const run = runs[0] ?? {};
        const omitted = omittedFields[workload] ?? [];
        const fields = [
          ...expectedFields[workload].filter((field) => !omitted.includes(field)),
          ...(addedFields[workload] ?? []),
        ];
        expect(Object.keys(run).sort(), `${lib} ${workload}`).toEqual([...fields].sort());
        for (const field of fields)
          expect(run[field], `${lib} ${workload}.${field}`).toEqual(expect.any(Number));
      }
      const byName = Object.fromEntries(results.map((r) => [r.workload, r.runs[0] ?? {}]));
      expect(byName.W2?.violations, lib).toBe(0);
      expect(byName.W2?.max_holders, lib).toBe(1);
      expect(byName.W4?.violations, lib).toBe(0);
      expect(byName.W4h?.violations, lib).toBe(0);
      expect(byName.W3?.keys, lib).toBe(50);
    }
  });
});
