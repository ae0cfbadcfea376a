import type { Workload } from '../workload.js';
import { parentsLeft } from '../parents-left.js';
import { measureBurst } from '../workloads/measure-burst.js';
import { measureCycles, type CycleCounts } from '../workloads/measure-cycles.js';
import { FLOOR_WINDOW, inTurn } from './in-turn.js';
import {
  close,
  type Client,
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
export const floorUncontended: Workload<CycleCounts> = {
  name: 'W1',
  full: { cycles: 2000, dropped: 100 },
  smoke: { cycles: 30, dropped: 5 },
  run: async (env, counts) => {
    const client = await connect(env.connectString, env.sessionTimeoutMs);
    const parent = await createPath(client, `/locks/${env.pathPrefix}/w1`);
    const data = ownerData();
    const fields = await measureCycles(env, counts, async () => {
      const start = performance.now();
      const [node] = await Promise.all([createLockNode(client, parent, data), listChildren(client, parent)]);
      const acquired = performance.now();
      await remove(client, node);
      return { acquireMs: acquired - start, releaseMs: performance.now() - acquired };
    });
    await close(client);
    return fields;
  },
};

/**
 * W3 as zk-lock sends it: the session opened, then every key started at once, as W3's caller does,
 * and taken in turn through zk-lock's window (at most 32 at a time): the parent's create (a
 * container), the lock node's create and the listing together; then every delete, in turn the same
 * way. Only the node's
 * path is kept per key. The prefix exists beforehand, made by a session that is gone before the
 * measured phase (as zk-lock's warm-up).
 */
export const floorManyKeys: Workload<{ readonly keys: number }> = {
  name: 'W3',
  full: { keys: 5000 },
  smoke: { keys: 50 },
  run: async (env, { keys }) => {
    const setup = await connect(env.connectString, env.sessionTimeoutMs);
    const prefix = await createPath(setup, `/locks/${env.pathPrefix}`);
    await close(setup);
    await env.meter.quiesce();
    const data = ownerData();
    let session: Client | undefined;
    try {
      const fields = await measureBurst(env, keys, {
        acquireAll: async () => {
          const client = await connect(env.connectString, env.sessionTimeoutMs);
          session = client;
          const window = inTurn(FLOOR_WINDOW);
          const nodes = await Promise.all(
            Array.from({ length: keys }, (_, i) =>
              window(async () => {
                const parent = `${prefix}/k${String(i).padStart(5, '0')}`;
                const [, node] = await Promise.all([
                  createParent(client, parent),
                  createLockNode(client, parent, data),
                  listChildren(client, parent),
                ]);
                return node;
              }),
            ),
          );
          return { client, nodes, window };
        },
        releaseAll: async ({ client, nodes, window }) => {
          await Promise.all(nodes.map((node) => window(() => remove(client, node))));
        },
      });
      return { ...fields, parents_left: await parentsLeft(env) };
    } finally {
      if (session !== undefined) await close(session);
    }
  },
};
