import { megabytes, RssSampler } from '../rss-sampler.js';
import { nearestRank, ratio, round } from '../stats.js';
import type { Workload } from '../workload.js';
import {
  close,
  connect,
  createLockNode,
  createParent,
  createPath,
  listChildren,
  ownerData,
  remove,
} from './client.js';

/**
 * The floor: W1 and W3 with node-zookeeper-client alone, sending exactly the requests zk-lock
 * sends for them (docs/benchmarks.md, "Round trips"), with the same counts and timing points, and
 * no lock logic at all: no waiting, no watches, no liveness clock. It is not a lock (it never
 * checks the listing); it shows what the client zk-lock is built on costs by itself, which no
 * recipe on top of it can undercut. It does not load zk-lock: the counts are W1's and W3's own
 * (a test checks they stay equal).
 */

/** W1's cycle as zk-lock sends it: create and listing together, then the delete. */
export const floorUncontended: Workload<{ readonly cycles: number; readonly dropped: number }> = {
  name: 'W1',
  full: { cycles: 2000, dropped: 100 },
  smoke: { cycles: 30, dropped: 5 },
  run: async (env, { cycles, dropped }) => {
    const client = await connect(env.connectString, env.sessionTimeoutMs);
    const parent = await createPath(client, `/locks/${env.pathPrefix}/w1`);
    const data = ownerData();
    const cycle = async (): Promise<{ acquireMs: number; releaseMs: number }> => {
      const start = performance.now();
      const [node] = await Promise.all([createLockNode(client, parent, data), listChildren(client, parent)]);
      const acquired = performance.now();
      await remove(client, node);
      return { acquireMs: acquired - start, releaseMs: performance.now() - acquired };
    };
    for (let i = 0; i < dropped; i++) await cycle();
    const measured = cycles - dropped;
    const { result, packets } = await env.meter.measure(async () => {
      const start = performance.now();
      const samples = [];
      for (let i = 0; i < measured; i++) samples.push(await cycle());
      return { samples, elapsedMs: performance.now() - start };
    });
    await close(client);
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
  },
};

/**
 * W3 as zk-lock sends it: for every key at once, the parent's create, the lock node's create and
 * the listing together; then every delete at once. One session.
 */
export const floorManyKeys: Workload<{ readonly keys: number }> = {
  name: 'W3',
  full: { keys: 5000 },
  smoke: { keys: 50 },
  run: async (env, { keys }) => {
    const before = await env.meter.read();
    const client = await connect(env.connectString, env.sessionTimeoutMs);
    const prefix = await createPath(client, `/locks/${env.pathPrefix}`);
    const data = ownerData();
    const rssBefore = process.memoryUsage.rss();
    const sampler = new RssSampler();
    const { result, packets } = await env.meter.measure(async () => {
      const start = performance.now();
      const nodes = await Promise.all(
        Array.from({ length: keys }, async (_, i) => {
          const parent = `${prefix}/k${String(i).padStart(5, '0')}`;
          const [, node] = await Promise.all([
            createParent(client, parent),
            createLockNode(client, parent, data),
            listChildren(client, parent),
          ]);
          return node;
        }),
      );
      const acquired = performance.now();
      const held = await env.meter.read();
      await Promise.all(nodes.map((node) => remove(client, node)));
      return {
        acquireMs: acquired - start,
        releaseMs: performance.now() - acquired,
        sessions: held.aliveConnections - before.aliveConnections,
      };
    });
    const peak = sampler.stop();
    await close(client);
    return {
      keys,
      acquire_all_s: round(result.acquireMs / 1000, 3),
      release_all_s: round(result.releaseMs / 1000, 3),
      rss_before_mb: round(megabytes(rssBefore), 1),
      peak_rss_mb: round(megabytes(peak), 1),
      packets_per_key: ratio(packets, keys, 3),
      sessions: result.sessions,
    };
  },
};
