import type { ZooKeeper } from '@zk-lock/testkit';

/**
 * `zk.close()`, kept alive until it resolves. The testkit unrefs its server processes, so when
 * nothing else holds the event loop (the end of a CLI run) node would exit before the servers'
 * exit events arrive, leaving `close()` unsettled and the run's output unprinted.
 */
export const closeZooKeeper = async (zk: ZooKeeper): Promise<void> => {
  const keepAlive = setInterval(() => undefined, 60_000);
  try {
    await zk.close();
  } finally {
    clearInterval(keepAlive);
  }
};
