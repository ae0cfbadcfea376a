import { startZooKeeper } from '@zk-lock/testkit';
import { ZookeeperLock } from 'zk-lock';

/**
 * Chaos finding 1 (seed 1, adapter of commit 25a09db; fixed in 5b2dcd4): a holder connected to a
 * follower learned `lost` up to a second AFTER the leader expired its session, so a competitor
 * held the lock meanwhile.
 *
 * Why: in an ensemble the leader expires sessions; a follower forwards the touches of its clients'
 * requests to the leader only with its replies to the leader's pings (every tickTime / 2). A
 * follower that stops right after answering a request never forwards that touch, so the leader's
 * deadline runs from an older touch than the send time of the answered request.
 *
 * Steps: 3 members (tickTime 500), session timeout 4000 ms. H holds `k` through the follower F
 * only, stays idle 1.2 s (below the adapter's idle ping of 1/3 of the timeout at the time), then
 * makes one request round on the same session (a second lock, same pool) and F is paused at once.
 * C waits for `k` through the leader.
 */
export interface FollowerTouchLag {
  readonly lostAfterPauseMs: number;
  readonly competitorAfterPauseMs: number;
  /** > 0: the holder was told after a competitor held the lock (the bug). */
  readonly lostAfterCompetitorMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const followerTouchLag = async (): Promise<FollowerTouchLag> => {
  const zk = await startZooKeeper({ servers: 3, tickTime: 500 });
  try {
    const leader = await zk.leader();
    const follower = zk.members.find((m) => m !== leader);
    if (follower === undefined) throw new Error('no follower');
    const viaFollower = { serverLocator: follower.address, sessionTimeout: 4_000 };
    const holder = await new ZookeeperLock(viaFollower).lock('k');
    const lost = new Promise<number>((resolve) => holder.on('lost', () => resolve(performance.now())));
    const competitor = new ZookeeperLock({ serverLocator: leader.address, sessionTimeout: 4_000 });
    const acquired = competitor.lock('k').then(() => performance.now());

    // The scenario itself, not a wait for an event: an idle spell, then one answered round.
    await sleep(1_200);
    await new ZookeeperLock(viaFollower).lock('other');
    follower.pause();
    const pausedAt = performance.now();
    const [lostAt, acquiredAt] = await Promise.all([lost, acquired]);
    follower.resume();
    await competitor.unlock();
    return {
      lostAfterPauseMs: Math.round(lostAt - pausedAt),
      competitorAfterPauseMs: Math.round(acquiredAt - pausedAt),
      lostAfterCompetitorMs: Math.round(lostAt - acquiredAt),
    };
  } finally {
    await zk.close();
  }
};
