import { setTimeout as sleep } from 'node:timers/promises';
import { connectRaw } from '@zk-lock/testkit';
import type { Client, Stat } from '@zk-lock/node-zookeeper-client';
import type { BenchEnv } from './workload.js';

/** How often the count is read while it falls. */
const POLL_MS = 100;
/** What the server may take, after a check started, to delete 5000 containers. */
const DELETION_MS = 10_000;

const childrenOf = (client: Client, path: string): Promise<number> =>
  new Promise((resolve, reject) =>
    client.exists(path, (error: Error | null, stat: Stat | null) =>
      error ? reject(error) : resolve(stat?.numChildren ?? 0),
    ),
  );

/**
 * W3's `parents_left`: the lock parents still under W3's prefix once the server's container check
 * had time to run after the release phase. Read outside the measured phase, on a session of its
 * own, every 100 ms until none is left, or until two check intervals (a check that started before
 * the release ended may miss some; the next takes them) and the deletions' time have passed.
 */
export const parentsLeft = async (env: BenchEnv): Promise<number> => {
  const client = await connectRaw(env.connectString);
  try {
    const prefix = `/locks/${env.pathPrefix}`;
    const until = performance.now() + 2 * env.containerCheckMs + DELETION_MS;
    let left = await childrenOf(client, prefix);
    while (left > 0 && performance.now() < until) {
      await sleep(POLL_MS);
      left = await childrenOf(client, prefix);
    }
    return left;
  } finally {
    client.close();
  }
};
