import type { ZooKeeper } from '@zk-lock/testkit';
import { connectRaw, waitFor } from '@zk-lock/testkit';
import zookeeper from '@zk-lock/node-zookeeper-client';
import type { FinalScan } from '../check/index.js';
import { mntrValue, sessionsInCons } from './cons.js';
import { lockNodesUnder } from './lock-nodes.js';

/** Resolves when `path` is gone (an `exists` watch fires on its deletion), or at once if it is. */
const gone = (client: zookeeper.Client, path: string): Promise<void> =>
  new Promise((resolve, reject) =>
    client.exists(
      path,
      (event) => {
        if (event.getType() === zookeeper.Event.NODE_DELETED) resolve();
      },
      (error, stat) => {
        if (error) reject(error);
        else if (!stat) resolve();
      },
    ),
  );

/**
 * The end-of-run scan, once every worker has ended: waits until the `lock-` nodes under `root`
 * are deleted (a killed holder's node goes when its session expires) and the leader tracks no
 * session, each within `graceMs`; then reports what is left, and the sessions any member's
 * `cons` still lists.
 */
export const finalScan = async (zk: ZooKeeper, root: string, graceMs: number): Promise<FinalScan> => {
  const client = await connectRaw(zk.connectString);
  let lockNodes: string[];
  try {
    const pending = await lockNodesUnder(client, root);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all(pending.map((path) => gone(client, path))), deadline]);
    lockNodes = await lockNodesUnder(client, root);
  } finally {
    client.close();
  }
  const leader = await zk.leader();
  // The leader's session count has no watch; poll it (bounded) until the scan's own session is gone too.
  const trackedSessions = await waitFor(
    async () => {
      const count = mntrValue(await leader.fourLetter('mntr'), 'zk_global_sessions') ?? 0;
      return count === 0 ? 0 : undefined;
    },
    { timeoutMs: graceMs, intervalMs: 200, message: 'no session left on the leader' },
  ).catch(async () => mntrValue(await leader.fourLetter('mntr'), 'zk_global_sessions') ?? -1);
  const openSessions = (
    await Promise.all(zk.members.map(async (m) => sessionsInCons(await m.fourLetter('cons'))))
  ).flat();
  return { lockNodes, openSessions, trackedSessions };
};
