import zookeeper from '@zk-lock/node-zookeeper-client';

/** The ZooKeeper error code of a node-zookeeper-client callback error, if it is one. */
export const zkCode = (error: Error | zookeeper.Exception): number | undefined =>
  error instanceof zookeeper.Exception ? error.getCode() : undefined;
