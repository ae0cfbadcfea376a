/**
 * Reproduction of chaos finding 1 (seed 1, `pnpm vitest run --project chaos`): a holder connected
 * to a follower learns `lost` up to about a second AFTER the leader expired its session, so a
 * competitor holds the lock meanwhile.
 *
 * Why: in an ensemble the leader expires sessions; a follower only forwards the touches of its
 * clients' requests to the leader with its replies to the leader's pings (every tickTime / 2). A
 * follower that stops right after answering a request never forwards that touch, so the leader's
 * deadline runs from an older touch, while the client's liveness clock runs from the send time of
 * the answered request.
 *
 * Steps: 3 members (tickTime 500), session timeout 4000 ms. H holds `k` through the follower F
 * only, stays idle 1.2 s (below the 1/3-timeout ping), then does one request round on the same
 * session (a second lock, same pool) and F is paused at once. C waits for `k` on the leader.
 * Run: `TSX_TSCONFIG_PATH=tsconfig.json node --import tsx packages/chaos/src/repro/follower-touch-lag.ts`
 * from the repository root. Prints one JSON line; `lost_after_competitor_ms` > 0 is the bug.
 */
import { startZooKeeper } from '@zk-lock/testkit';
import { ZookeeperLock } from 'zk-lock';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const zk = await startZooKeeper({ servers: 3, tickTime: 500 });
try {
  const leader = await zk.leader();
  const follower = zk.members.find((m) => m !== leader)!;
  const viaFollower = { serverLocator: follower.address, sessionTimeout: 4_000 };
  const holder = await new ZookeeperLock(viaFollower).lock('k');
  let lostAt = NaN;
  holder.on('lost', () => (lostAt = performance.now()));

  const competitor = new ZookeeperLock({ serverLocator: leader.address, sessionTimeout: 4_000 });
  const competitorAcquired = competitor.lock('k').then(() => performance.now());

  await sleep(1_200);
  const other = await new ZookeeperLock(viaFollower).lock('other');
  follower.pause();
  const pausedAt = performance.now();
  void other; // its session is the holder's (pooled); it is lost with it

  const acquiredAt = await competitorAcquired;
  await sleep(Math.max(0, pausedAt + 6_000 - performance.now()));
  follower.resume();
  console.log(
    JSON.stringify({
      lost_after_pause_ms: Math.round(lostAt - pausedAt),
      competitor_after_pause_ms: Math.round(acquiredAt - pausedAt),
      lost_after_competitor_ms: Math.round(lostAt - acquiredAt),
    }),
  );
  await competitor.unlock();
} finally {
  await zk.close();
}
