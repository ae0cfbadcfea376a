import { setTimeout as sleep } from 'node:timers/promises';
import { startTcpProxy } from '@zk-lock/testkit';
import { parseConnectString } from '../connect-string.js';
import { newLock } from '../locks.js';
import { summarizeSafetyWindow, type SafetyTrial } from '../safety-window.js';
import type { BenchEnv, Workload } from '../workload.js';

interface Params {
  readonly trials: number;
}

/** The time `event` settles at, or `null` if `deadline` comes first; a rejection propagates. */
const timeOf = (event: Promise<number>, deadline: Promise<null>): Promise<number | null> =>
  Promise.race([event, deadline]);

/** A deadline that can be called off, so a finished trial leaves no timer keeping the process up. */
const deadlineIn = (ms: number): { readonly reached: Promise<null>; readonly cancel: () => void } => {
  let timer: NodeJS.Timeout | undefined;
  const reached = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return { reached, cancel: () => clearTimeout(timer) };
};

/**
 * One trial: the holder's session runs through a proxy, the competitor's directly. Once the holder
 * holds and the competitor waits, the proxy silently drops everything both ways after `delayMs`;
 * the trial records when the holder hears `lost` and when the competitor gets the lock.
 */
const trial = async (env: BenchEnv, key: string, delayMs: number): Promise<SafetyTrial> => {
  const [server] = parseConnectString(env.connectString);
  const proxy = await startTcpProxy({ target: `${server?.host}:${server?.port}` });
  const holder = newLock(env, { connectionPerLock: true, connectString: proxy.address });
  const competitor = newLock(env, { connectionPerLock: true });
  try {
    await holder.lock(key);
    const lost = new Promise<number>((resolve) => holder.once('lost', () => resolve(performance.now())));
    const competitorAcquired = competitor.lock(key).then(() => performance.now());
    // Handled below once the partition starts; until then a rejection must not count as unhandled.
    competitorAcquired.catch(() => undefined);
    await sleep(delayMs);
    const partitionedAt = performance.now();
    proxy.blackhole();
    const deadline = deadlineIn(3 * env.sessionTimeoutMs);
    try {
      const [lostAt, competitorAcquiredAt] = await Promise.all([
        timeOf(lost, deadline.reached),
        timeOf(competitorAcquired, deadline.reached),
      ]);
      return { partitionedAt, lostAt, competitorAcquiredAt, endedAt: performance.now() };
    } finally {
      deadline.cancel();
    }
  } finally {
    await Promise.allSettled([competitor.destroy(), holder.destroy()]);
    await proxy.close();
  }
};

/**
 * W5: how the holder learns of a silent partition compared with when another process can take the
 * lock. The trials run concurrently on their own keys and sessions (each waits a session timeout,
 * so in sequence three repetitions would need ~10 minutes); their partitions start at evenly spread
 * offsets over a third of the session timeout, the client's ping interval, so they sample every
 * phase of the heartbeat as sequential trials would.
 */
export const safetyWindow: Workload<Params> = {
  name: 'W5',
  full: { trials: 20 },
  smoke: { trials: 2 },
  run: async (env, { trials }) => {
    const spreadMs = env.sessionTimeoutMs / 3;
    let done = 0;
    const results = await Promise.all(
      Array.from({ length: trials }, async (_, i) => {
        const result = await trial(env, `w5-${i}`, (i * spreadMs) / trials);
        env.progress(`W5 trial ${++done}/${trials} done`);
        return result;
      }),
    );
    return { ...summarizeSafetyWindow(results) };
  },
};
